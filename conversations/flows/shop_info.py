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

from conversations.commands import SaveName
from conversations.context import Context
from conversations.flows import booking
from conversations.flows import shop_hours as hours
from conversations.flows.common import choice_key, menu, say
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
from domain.model import ProfessionalSchedule, Service
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
_AT_THE_START = (Step.START, Step.MENU)
MAX_NAME = 40  # as greeting.MAX_NAME: longer is not a name someone goes by


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
    question = _about_the_same(question, state, understood)
    paying = question.topic is Topic.PAYMENT and state.step is Step.PAYMENT
    if paying and question.payment_method in ctx.payment_methods:
        return None
    if question.topic is Topic.PRICE and question.service_id is None:
        # "¿cuánto sale?" with a service chosen: that one (none at the menu: all of them)
        question = replace(question, service_id=state.draft.service_id)
    return question


def answered(
    state: State,
    question: Question,
    understood: Understanding,
    ctx: Context,
    again: Prompt,
    go_on: Callable[[State], Reply] | None = None,
) -> Reply:
    """The answer, then the step's question `again`, or `go_on` with a booking also asked for
    (at the menu, where there is no step to go on with, a booking starts)."""
    said = answer(state, question, ctx)
    if _books(question, understood):
        understood = _filled(understood, _asked(question), state)
        if state.step is Step.ASK_NAME:  # what it asked for waits in the draft for the name
            return said.then(again(booking.merge(said.state, understood, ctx), ctx))
        if go_on is None or state.step in _AT_THE_START:
            return said.then(booking.start(said.state, understood, ctx))
        return said.then(go_on(said.state))
    return said.then(again(said.state, ctx))


def welcome(state: State, question: Question, understood: Understanding, ctx: Context) -> Reply:
    """A first message that asks about the shop: hello, the answer, then the menu or booking."""
    _ = ctx.gettext
    started = replace(state, step=Step.MENU)  # what follows is read as at the menu
    name = understood.name if understood.name and len(understood.name) <= MAX_NAME else None
    if ctx.customer_name:
        hello = say(started, _("Hi, {name}!").format(name=ctx.customer_name))
    elif name:  # "Hola, soy Agus. ¿Quién hace color?"
        nice = _("Nice to meet you, {name}!").format(name=name)
        hello = Reply(started, say(started, nice).messages, (SaveName(name),))
    else:
        hello = say(started, _("Hi! I'm the assistant of {shop}.").format(shop=ctx.shop.name))
    return hello.then(answered(started, question, understood, ctx, menu))


def answer(state: State, question: Question, ctx: Context) -> Reply:
    """The answer alone (to each question the message asks), remembered for a follow-up."""
    asked = (question, *question.more)
    text = "\n".join(_ANSWERS[q.topic](q, ctx) for q in asked)
    return say(replace(state, asked=_asked(asked[-1])), text)


def _asked(question: Question) -> Asked:
    return Asked(question.topic.value, question.service_id, question.professional_id, question.day)


def carried(understood: Understanding, last: Asked | None, state: State) -> Understanding:
    """A turno asked for right after an answer is about what the answer was about: "quien hace
    color?" "quiero para el sábado" is a color; "¿a qué hora entra Facu mañana?" "a las 12 con
    él" is with Facu, tomorrow. Only what neither the message nor the draft says is filled in."""
    when = (understood.first_day, understood.at, understood.window)
    wants = Intent.BOOK in understood.intents or any(v is not None for v in when)
    if last is None or understood.question is not None or not wants:
        return understood
    return _filled(understood, last, state)


def _filled(understood: Understanding, last: Asked, state: State) -> Understanding:
    """What the message asks for, with what it leaves unsaid taken from a question's subject."""
    draft = state.draft
    changes: dict[str, object] = {}
    if understood.service_id is None and draft.service_id is None and last.service_id:
        changes["service_id"] = last.service_id
    chosen = draft.professional_id is not None or draft.any_professional
    named = understood.professional_id is not None or understood.any_professional
    if not (chosen or named) and last.professional_id is not None:
        changes["professional_id"] = last.professional_id
    no_day = understood.first_day is None and draft.day is None and draft.first_day is None
    if no_day and last.day is not None:
        changes.update(first_day=last.day, last_day=last.day)
    return replace(understood, **changes) if changes else understood  # type: ignore[arg-type]


def reaction(
    state: State, last: Asked | None, understood: Understanding, ctx: Context
) -> Reply | None:
    """ "Ah, buenísimo" right after an answer, at the menu: a word back and the menu again
    (instead of "no te entendí")."""
    said = (
        understood.service_id,
        understood.professional_id,
        understood.first_day,
        understood.at,
        understood.window,
        understood.number,
        understood.payment_method,
        understood.question,
    )
    if last is None or state.step is not Step.MENU or understood.intents != {Intent.YES}:
        return None
    if any(value is not None for value in said):
        return None
    return menu(state, ctx, before=[ctx.gettext("Great!")])


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


def _about_the_same(question: Question, state: State, understood: Understanding) -> Question:
    """A question that names nothing is about what the last answer or the booking was about:
    "¿y cuánto sale?" after who does color, "¿y él qué días viene?" with Facu chosen."""
    last = state.asked
    names = (question.service_id, question.professional_id, question.day)
    topic = question.topic
    if topic is Topic.PRICE and question.service_id is None:
        offered = _option(state, understood)  # "¿cuánto sale el 3?" with the services on screen
        if offered is not None:
            return replace(question, service_id=offered, day=None)
    if all(v is None for v in names) and last is not None:
        if topic in (Topic.PRICE, Topic.WHO_DOES):
            return replace(question, service_id=last.service_id)
        if topic is Topic.HOURS and (question.someone or question.going_on):
            return _as_schedule(
                replace(question, professional_id=last.professional_id, day=last.day)
            )
    if topic is Topic.HOURS and question.someone and question.professional_id is None:
        who = last.professional_id if last is not None else None
        return _as_schedule(replace(question, professional_id=who or state.draft.professional_id))
    return question


def _as_schedule(question: Question) -> Question:
    """Opening hours asked about someone are that professional's hours."""
    if question.professional_id is None:
        return question
    return replace(question, topic=Topic.SCHEDULE)


def _option(state: State, understood: Understanding) -> int | None:
    """The service of the option numbered in the message, when services are on offer."""
    number = understood.number or (understood.first_day.day if understood.first_day else None)
    if state.step is not Step.SERVICE or number is None:
        return None
    offered = [c for c in state.choices if choice_key(c.id).startswith("svc.")]
    if not 1 <= number <= len(offered):
        return None
    return int(choice_key(offered[number - 1].id).removeprefix("svc."))


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
        weekday = weekday_name(day.weekday(), ctx.locale)
        line = _("No, we don't open on {weekday}.").format(weekday=weekday)
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
    if asked is None and question.day is not None:
        return _who_does_on(service, question.day, ctx)
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


def _who_does_on(service: Service, day: date, ctx: Context) -> str:
    """ "¿Quién me hace la barba el sábado?": who does it that day, and when."""
    _ = ctx.gettext
    closed = _closed_day(day, ctx)
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
    return _("{when}: {people}.").format(when=when, people=_list(people, ctx))


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
