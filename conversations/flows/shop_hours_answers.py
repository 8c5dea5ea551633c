"""Answers about when the shop and its people work: opening hours, a day, a professional's
week, who is in on a day. Computed by shop_hours from the weekly hours in the context."""

from __future__ import annotations

from datetime import date, time, timedelta

from conversations.context import Context
from conversations.flows import shop_hours as hours
from conversations.understanding import Focus, Question
from domain.calendar import DayRule
from domain.formatting import format_day, format_hour, format_list_of, weekday_name
from domain.model import ProfessionalSchedule, Service


def hours_answer(question: Question, ctx: Context) -> str:
    """When the shop opens: on the day asked about, or each day of the week."""
    _ = ctx.gettext
    spans = hours.weekly(hours.working(ctx))
    if question.day is None:
        return _week(spans, ctx)
    closed = closed_day(question.day, ctx)
    if closed:
        return closed
    span = None
    if question.day.weekday() in spans:
        day_spans = [hours.on_day(s, question.day, ctx) for s in hours.working(ctx)]
        found = [s for s in day_spans if s is not None]
        span = (min(s[0] for s in found), max(s[1] for s in found)) if found else None
    if span is None:
        return _closed_weekday(question.day, spans, ctx)
    when = _when(question.day, ctx, capital=True)
    if question.focus is Focus.START:
        return _("{when} we open at {time}.").format(when=when, time=_hour(span[0], ctx))
    if question.focus is Focus.END:
        return _("{when} we close at {time}.").format(when=when, time=_hour(span[1], ctx))
    return _("{when} we're open {span}.").format(when=when, span=_span(span, ctx))


def _week(spans: dict[int, hours.Span], ctx: Context) -> str:
    """ "Abrimos de lunes a sábado: …. Cerramos los domingos y feriados." """
    _ = ctx.gettext
    if not spans:
        return _("We're open {span}.").format(span=_span((ctx.opens, ctx.closes), ctx))
    groups = hours.grouped(spans)
    if len(groups) == 1:
        first, last, span = groups[0]
        lines = [
            _("We're open {days}, {span}.").format(
                days=_days(first, last, ctx), span=_span(span, ctx)
            )
        ]
    else:
        pieces = [
            _("{days} {span}").format(days=_days(a, b, ctx), span=_span(s, ctx))
            for a, b, s in groups
        ]
        open_days = listed([_days(a, b, ctx) for a, b in hours.runs(list(spans))], ctx)
        lines = [_("We're open {days}: {hours}.").format(days=open_days, hours=listed(pieces, ctx))]
    closed = [_plural(weekday_name(d, ctx.locale)) for d in hours.WEEK if d not in spans]
    if not ctx.shop.policy.open_on_holidays:
        closed.append(_("holidays"))
    if closed:
        lines.append(_("We're closed on {days}.").format(days=listed(closed, ctx)))
    return " ".join(lines)


def closed_day(day: date, ctx: Context) -> str | None:
    """Why the shop is closed on `day` as a whole (a holiday, its own word), else None."""
    _ = ctx.gettext
    found = hours.status(day, ctx)
    named = format_day(day, ctx.locale)
    if found.is_open:
        return None
    if found.why is DayRule.HOLIDAY and found.holiday:
        if found.holiday.casefold().startswith("feriado"):
            return _("{day} is a bridge holiday and the shop is closed.").format(day=named)
        return _("{day} is a holiday ({holiday}) and the shop is closed.").format(
            day=named, holiday=found.holiday
        )
    return _("The shop is closed on {day}.").format(day=named)


def _closed_weekday(day: date, spans: dict[int, hours.Span], ctx: Context) -> str:
    _ = ctx.gettext
    if day.weekday() not in spans:
        weekday = weekday_name(day.weekday(), ctx.locale)
        line = _("No, we don't open on {weekday}.").format(weekday=weekday)
    else:  # everyone who works that weekday is off that day
        line = _("The shop is closed on {day}.").format(day=format_day(day, ctx.locale))
    open_days = listed([_days(a, b, ctx) for a, b in hours.runs(list(spans))], ctx)
    return line + " " + _("We're open {days}.").format(days=open_days)


def schedule_answer(question: Question, ctx: Context) -> str:
    """When one professional works: the day asked about, or their week."""
    _ = ctx.gettext
    professional = ctx.professional(question.professional_id)
    schedule = _schedule_of(question.professional_id, ctx)
    if professional is None:
        return staff_answer(question, ctx)
    who = professional.nickname or professional.name
    if schedule is None or not schedule.hours:
        return _("{professional} has no hours set right now.").format(professional=who)
    if question.day is None:
        return _their_week(who, schedule, ctx)
    closed = closed_day(question.day, ctx)
    if closed:
        return closed
    span = hours.on_day(schedule, question.day, ctx)
    when = _when(question.day, ctx)
    if span is None:
        off = _("{professional} doesn't work {when}.").format(professional=who, when=when)
        if question.day.weekday() in hours.weekly([schedule]):
            return off
        return off + " " + _their_week(who, schedule, ctx)
    if question.focus is Focus.START:
        text = _("{professional} starts at {time} {when}.")
        return text.format(professional=who, time=_hour(span[0], ctx), when=when)
    if question.focus is Focus.END:
        text = _("{professional} works until {time} {when}.")
        return text.format(professional=who, time=_hour(span[1], ctx), when=when)
    text = _("{professional} works {span} {when}.")
    return text.format(professional=who, span=_span(span, ctx), when=when)


def _their_week(who: str, schedule: ProfessionalSchedule, ctx: Context) -> str:
    _ = ctx.gettext
    pieces = [
        _("{days} {span}").format(days=_days(a, b, ctx), span=_span(s, ctx))
        for a, b, s in hours.grouped(hours.weekly([schedule]))
    ]
    return _("{professional} works {hours}.").format(professional=who, hours=listed(pieces, ctx))


def staff_answer(question: Question, ctx: Context) -> str:
    """Who works on the day asked about (and when), or everyone's week."""
    _ = ctx.gettext
    day = question.day
    if day is None:
        lines = []
        for schedule in hours.working(ctx):
            professional = ctx.professional(schedule.professional_id)
            if professional is not None and schedule.hours:
                lines.append(_their_week(professional.nickname or professional.name, schedule, ctx))
        return "\n".join(lines) or hours_answer(question, ctx)
    closed = closed_day(day, ctx)
    if closed:
        return closed
    people = []
    for schedule in hours.working(ctx):
        professional = ctx.professional(schedule.professional_id)
        span = hours.on_day(schedule, day, ctx)
        if professional is not None and span is not None:
            name = professional.nickname or professional.name
            people.append(f"{name} ({_span(span, ctx)})")
    if not people:
        return _closed_weekday(day, hours.weekly(hours.working(ctx)), ctx)
    when = _when(day, ctx, capital=True)
    return _("{when}: {people}.").format(when=when, people=listed(people, ctx))


def who_does_on(service: Service, day: date, ctx: Context) -> str:
    """ "¿Quién me hace la barba el sábado?": who does it that day, and when."""
    _ = ctx.gettext
    closed = closed_day(day, ctx)
    if closed:
        return closed
    people = []
    for schedule in hours.working(ctx):
        professional = ctx.professional(schedule.professional_id)
        span = hours.on_day(schedule, day, ctx)
        if professional and span and professional.id in service.professional_ids:
            people.append(f"{professional.nickname or professional.name} ({_span(span, ctx)})")
    when = _when(day, ctx, capital=True)
    if not people:
        return _("{when} nobody does {service}.").format(when=when, service=service.name)
    return _("{when}: {people}.").format(when=when, people=listed(people, ctx))


def _schedule_of(professional_id: int | None, ctx: Context) -> ProfessionalSchedule | None:
    return next((s for s in ctx.schedules if s.professional_id == professional_id), None)


def _when(day: date, ctx: Context, *, capital: bool = False) -> str:
    """ "hoy", "mañana", "el sábado 5 de diciembre" (capitalized to start a sentence)."""
    _ = ctx.gettext
    if day == ctx.today:
        return _("Today") if capital else _("today")
    if day == ctx.today + timedelta(days=1):
        return _("Tomorrow") if capital else _("tomorrow")
    named = format_day(day, ctx.locale)
    return (_("On {day}") if capital else _("on {day}")).format(day=named)


def _days(first: int, last: int, ctx: Context) -> str:
    """ "lunes", "de martes a sábado"."""
    if first == last:
        return weekday_name(first, ctx.locale)
    return ctx.gettext("{first} to {last}").format(
        first=weekday_name(first, ctx.locale), last=weekday_name(last, ctx.locale)
    )


def _span(span: hours.Span, ctx: Context) -> str:
    """ "de 9 a 20"."""
    return ctx.gettext("from {start} to {end}").format(
        start=_hour(span[0], ctx), end=_hour(span[1], ctx)
    )


def _hour(at: time, ctx: Context) -> str:
    return format_hour(at, ctx.locale)


def listed(items: list[str], ctx: Context) -> str:
    """Items joined as a sentence lists them ("Tincho, Facu y Lu")."""
    return format_list_of(items, ctx.locale)


def _plural(weekday: str) -> str:
    """ "domingos", "sábados", "lunes" ("Sundays" in English): both add an s where none is."""
    return weekday if weekday.endswith("s") else weekday + "s"
