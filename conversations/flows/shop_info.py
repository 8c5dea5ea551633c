"""Questions about the shop, answered at any step from the shop's own data; then the open
question again (or the menu, or the booking the message also asked for).

```
any step ──question──► answer ──► the same step asked again (draft kept)
MENU / first contact ──question──► answer ──► MENU
any step ──question + "quiero un turno"──► answer ──► booking (with what the message said)
```
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, time, timedelta

from conversations.context import Context
from conversations.flows import booking
from conversations.flows import shop_hours as hours
from conversations.flows.common import menu, say
from conversations.flows.labels import price_list
from conversations.reply import Prompt, Reply
from conversations.state import Asked, State, Step
from conversations.understanding import (
    CatalogEntry,
    Focus,
    Intent,
    Question,
    Topic,
    Understanding,
    combined_service,
)
from domain.calendar import DayRule
from domain.formatting import format_day, format_hour, format_list_of, weekday_name
from domain.model import ProfessionalSchedule
from domain.phone import format_phone

# What a follow-up ("¿y ...?") must name to make sense for the last question's topic.
_FOLLOWS: dict[Topic, tuple[str, ...]] = {
    Topic.PRICE: ("service_id",),
    Topic.WHO_DOES: ("service_id",),
    Topic.SCHEDULE: ("professional_id", "day"),
    Topic.HOURS: ("day", "professional_id"),
    Topic.STAFF: ("day", "professional_id"),
    Topic.PAYMENT: ("payment_method",),
}
_AT_THE_START = (Step.START, Step.MENU, Step.ASK_NAME)


def question_for(state: State, understood: Understanding, ctx: Context) -> Question | None:
    """The question to answer: a follow-up read against last turn's, None where the step at
    hand takes the message as its answer ("¿puedo pagar en efectivo?" when asked how to pay)."""
    question = understood.question
    if question is None:
        return None
    if question.topic is Topic.FOLLOW_UP:
        question = _followed(question, state.asked, ctx)
    if question is None:
        return None
    paying = question.topic is Topic.PAYMENT and state.step is Step.PAYMENT
    if paying and question.payment_method in ctx.payment_methods:
        return None
    unnamed = question.topic is Topic.PRICE and question.service_id is None
    if unnamed and state.step not in _AT_THE_START:  # "¿cuánto sale?" mid-booking: the one chosen
        question = replace(question, service_id=state.draft.service_id)
    return question


def answered(
    state: State,
    question: Question,
    understood: Understanding,
    ctx: Context,
    again: Prompt,
    go_on: Callable[[State], Reply],
) -> Reply:
    """The answer, then the step's question `again`, or `go_on` with a booking also asked for."""
    said = answer(state, question, ctx)
    if _books(question, understood):
        if state.step in _AT_THE_START:
            return said.then(booking.start(said.state, understood, ctx))
        return said.then(go_on(said.state))
    if state.step in _AT_THE_START:
        return said.then(menu(said.state, ctx))
    return said.then(again(said.state, ctx))


def welcome(state: State, question: Question, understood: Understanding, ctx: Context) -> Reply:
    """A first message that asks about the shop: hello, the answer, then the menu or booking."""
    _ = ctx.gettext
    if ctx.customer_name:
        hello = _("Hi, {name}!").format(name=ctx.customer_name)
    else:
        hello = _("Hi! I'm the assistant of {shop}.").format(shop=ctx.shop.name)
    started = replace(state, step=Step.MENU)  # what follows is read as at the menu
    then = answered(started, question, understood, ctx, menu, lambda s: menu(s, ctx))
    return say(started, hello).then(then)


def answer(state: State, question: Question, ctx: Context) -> Reply:
    """The answer alone, remembered for a follow-up."""
    text = _ANSWERS[question.topic](question, ctx)
    asked = Asked(question.topic.value, question.service_id, question.professional_id, question.day)
    return say(replace(state, asked=asked), text)


def _books(question: Question, understood: Understanding) -> bool:
    """The message also asks for a turno; for a price, naming when is asking ("¿cuánto sale
    un corte para mañana?")."""
    if question.topic is Topic.PRICE:
        when = (understood.first_day, understood.at, understood.window)
        return Intent.BOOK in understood.intents or any(v is not None for v in when)
    return question.books


def _followed(question: Question, last: Asked | None, ctx: Context) -> Question | None:
    """ "¿y con barba?" after a price: the same topic about the new subject."""
    if last is None or Topic(last.topic) not in _FOLLOWS:
        return None
    topic = Topic(last.topic)
    if not any(getattr(question, field) is not None for field in _FOLLOWS[topic]):
        return None
    if topic in (Topic.HOURS, Topic.STAFF) and question.professional_id is not None:
        topic = Topic.SCHEDULE  # "¿a qué hora abren el sábado?" "¿y Tincho?"
    service_id = question.service_id
    if question.adds and service_id is not None and last.service_id is not None:
        service_id = _together(last.service_id, service_id, ctx) or service_id
    return replace(
        question,
        topic=topic,
        service_id=service_id or last.service_id,
        professional_id=question.professional_id or last.professional_id,
        day=question.day or last.day,
    )


def _together(base_id: int, added_id: int, ctx: Context) -> int | None:
    entries = tuple(CatalogEntry(s.id, s.name) for s in ctx.services if s.active)
    base = next((e for e in entries if e.id == base_id), None)
    added = next((e for e in entries if e.id == added_id), None)
    if base is None or added is None:
        return None
    return combined_service(base, added, entries)


# -- the answers ------------------------------------------------------------------------------


def _where(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    shop = ctx.shop
    if not shop.address:
        return _unknown(ctx)
    lines = [_("We're at {address}.").format(address=shop.address)]
    if shop.maps_url:
        lines.append(_("Map: {url}").format(url=shop.maps_url))
    return "\n".join(lines)


def _contact(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    if not ctx.shop.contact_phone:
        return _unknown(ctx)
    return _("The shop's phone is {phone}.").format(phone=format_phone(ctx.shop.contact_phone))


def _unknown(ctx: Context) -> str:
    return ctx.gettext(
        "Sorry, I don't have that at hand: the people at the shop can tell you "
        "(\u201chablar con el local\u201d)."
    )


def _hours(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    spans = hours.weekly(hours.working(ctx))
    if question.day is None:
        return _week(spans, ctx)
    closed = _closed_day(question.day, ctx)
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
        open_days = _list([_days(a, b, ctx) for a, b in hours.runs(list(spans))], ctx)
        lines = [_("We're open {days}: {hours}.").format(days=open_days, hours=_list(pieces, ctx))]
    closed = [_plural(weekday_name(d, ctx.locale)) for d in hours.WEEK if d not in spans]
    if not ctx.shop.policy.open_on_holidays:
        closed.append(_("holidays"))
    if closed:
        lines.append(_("We're closed on {days}.").format(days=_list(closed, ctx)))
    return " ".join(lines)


def _closed_day(day: date, ctx: Context) -> str | None:
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
        closed = _plural(weekday_name(day.weekday(), ctx.locale))
        line = _("We're closed on {days}.").format(days=closed)
    else:  # everyone who works that weekday is off that day
        line = _("The shop is closed on {day}.").format(day=format_day(day, ctx.locale))
    open_days = _list([_days(a, b, ctx) for a, b in hours.runs(list(spans))], ctx)
    return line + " " + _("We're open {days}.").format(days=open_days)


def _schedule(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    professional = ctx.professional(question.professional_id)
    schedule = _schedule_of(question.professional_id, ctx)
    if professional is None:
        return _staff(question, ctx)
    who = professional.nickname or professional.name
    if schedule is None or not schedule.hours:
        return _("{professional} has no hours set right now.").format(professional=who)
    if question.day is None:
        return _their_week(who, schedule, ctx)
    closed = _closed_day(question.day, ctx)
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
    return _("{professional} works {hours}.").format(professional=who, hours=_list(pieces, ctx))


def _staff(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    day = question.day
    if day is None:
        lines = []
        for schedule in hours.working(ctx):
            professional = ctx.professional(schedule.professional_id)
            if professional is not None and schedule.hours:
                lines.append(_their_week(professional.nickname or professional.name, schedule, ctx))
        return "\n".join(lines) or _hours(question, ctx)
    closed = _closed_day(day, ctx)
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
    return _("{when}: {people}.").format(when=when, people=_list(people, ctx))


def _who_does(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    service = ctx.service(question.service_id)
    if service is None:
        return price_list(None, ctx)
    doers = [
        p.nickname or p.name
        for p in ctx.professionals
        if p.active and p.id in service.professional_ids
    ]
    if not doers:
        return _("Right now nobody does {service}.").format(service=service.name)
    names = _list(doers, ctx)
    asked = ctx.professional(question.professional_id)
    if asked is not None:
        who = asked.nickname or asked.name
        if asked.id in service.professional_ids:
            return _("Yes, {professional} does {service}.").format(
                professional=who, service=service.name
            )
        text = ctx.ngettext(
            "No, {professional} doesn't do {service}: {names} does.",
            "No, {professional} doesn't do {service}: {names} do.",
            len(doers),
        )
        return text.format(professional=who, service=service.name, names=names)
    text = ctx.ngettext("{service}: {names} does it.", "{service}: {names} do it.", len(doers))
    return text.format(service=service.name, names=names)


def _payment(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    offered = [_method(m, ctx) for m in ctx.payment_methods]
    methods = format_list_of(offered, ctx.locale, alternatives=True)
    asked = question.payment_method
    if asked is None:
        return _("You can pay with {methods}.").format(methods=methods)
    if asked in ctx.payment_methods:
        return _("Yes, you can pay with {method}.").format(method=_method(asked, ctx))
    return _("Sorry, we don't take that. You can pay with {methods}.").format(methods=methods)


def _method(method: str, ctx: Context) -> str:
    """A payment method inside a sentence ("efectivo", "transferencia")."""
    _ = ctx.gettext
    words = {
        "cash": _("cash"),
        "transfer": _("bank transfer"),
        "mercadopago": _("Mercado Pago"),
        "ticket": _("Rapipago or Pago Fácil"),
    }
    return words.get(method, method)


def _price(question: Question, ctx: Context) -> str:
    return price_list(question.service_id, ctx)


_ANSWERS: dict[Topic, Callable[[Question, Context], str]] = {
    Topic.WHERE: _where,
    Topic.CONTACT: _contact,
    Topic.HOURS: _hours,
    Topic.SCHEDULE: _schedule,
    Topic.STAFF: _staff,
    Topic.WHO_DOES: _who_does,
    Topic.PAYMENT: _payment,
    Topic.PRICE: _price,
}


# -- words ------------------------------------------------------------------------------------


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


def _list(items: list[str], ctx: Context) -> str:
    return format_list_of(items, ctx.locale)


def _plural(weekday: str) -> str:
    """ "domingos", "sábados", "lunes" ("Sundays" in English): both add an s where none is."""
    return weekday if weekday.endswith("s") else weekday + "s"
