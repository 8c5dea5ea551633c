"""Questions about the shop, answered at any step from the shop's own data; then the open
question again (or the menu, or the booking the message also asked for).

```
any step ──question──► answer ──► the same step asked again (draft kept)
MENU / first contact ──question──► answer ──► MENU
any step ──question + "quiero un turno"──► answer ──► booking (with what the message said)
any step ──"¿tienen estacionamiento?"──► passed on to the shop (MessageShop) ──► asked again
MENU ──answer──► "quiero para el sábado" ──► booking about what the answer was about
```
The answers themselves: shop_answers (and shop_hours_answers). Diagram: shop_info.mmd.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from conversations.commands import MessageShop, SaveName
from conversations.context import Context
from conversations.flows import booking, shop_answers
from conversations.flows import shop_hours as hours
from conversations.flows.common import choice_key, menu, say
from conversations.reply import Prompt, Reply
from conversations.state import Asked, State, Step
from conversations.understanding import (
    CatalogEntry,
    Intent,
    Question,
    Topic,
    Understanding,
    combined_service,
)

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
    if question is None or (question.topic is Topic.OTHER and not _only_asks(understood)):
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
    text: str = "",
) -> Reply:
    """The answer, then the step's question `again`, or `go_on` with a booking also asked for
    (at the menu, where there is no step to go on with, a booking starts)."""
    # "¿Tincho trabaja los lunes? quiero un corte el lunes 14": about that Monday
    booked_day = understood.first_day if _books(question, understood) else None
    asked_day = question.day
    if booked_day and asked_day and asked_day.weekday() == booked_day.weekday():
        question = replace(question, day=booked_day)
    said = answer(state, question, ctx, text)
    if _books(question, understood):
        understood = _filled(understood, _asked(question), state, ctx)
        if state.step is Step.ASK_NAME:  # what it asked for waits in the draft for the name
            return said.then(again(booking.merge(said.state, understood, ctx), ctx))
        if go_on is None or state.step in _AT_THE_START:
            return said.then(booking.start(said.state, understood, ctx))
        return said.then(go_on(said.state))
    return said.then(again(said.state, ctx))


def _works(professional_id: int | None, day: date | None, ctx: Context) -> bool:
    """Whether the professional works that day (True when either is not said)."""
    schedule = next((s for s in ctx.schedules if s.professional_id == professional_id), None)
    if professional_id is None or day is None or schedule is None:
        return True
    return hours.on_day(schedule, day, ctx) is not None


def welcome(
    state: State, question: Question, understood: Understanding, ctx: Context, text: str = ""
) -> Reply:
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
    return hello.then(answered(started, question, understood, ctx, menu, text=text))


def answer(state: State, question: Question, ctx: Context, text: str = "") -> Reply:
    """The answer alone (to each question the message asks), remembered for a follow-up; one
    the chat cannot answer is passed on to the shop (`text`: the message)."""
    asked = (question, *question.more)
    # The subject to remember is the last one that has one ("¿cuánto sale la barba y dónde
    # están?" then "can I book one…": the barba), else the last question.
    subject = next((q for q in reversed(asked) if q.service_id or q.professional_id), asked[-1])
    said = say(replace(state, asked=_asked(subject)), *(shop_answers.text(q, ctx) for q in asked))
    if question.topic is Topic.OTHER:
        return Reply(said.state, said.messages, (MessageShop(text.strip()[:1000]),))
    return said


def _only_asks(understood: Understanding) -> bool:
    """The message says nothing the chat understands but that it asks (and maybe hello)."""
    said = (
        understood.service_id,
        understood.professional_id,
        understood.first_day,
        understood.at,
        understood.window,
        understood.number,
        understood.payment_method,
        understood.name,
    )
    small_talk = {Intent.GREETING, Intent.THANKS}
    return not understood.intents - small_talk and all(v is None for v in said)


def _asked(question: Question) -> Asked:
    return Asked(question.topic.value, question.service_id, question.professional_id, question.day)


def carried(
    understood: Understanding, last: Asked | None, state: State, ctx: Context
) -> Understanding:
    """A turno asked for right after an answer is about what the answer was about: "quien hace
    color?" "quiero para el sábado" is a color; "¿a qué hora entra Facu mañana?" "a las 12 con
    él" is with Facu, tomorrow. Only what neither the message nor the draft says is filled in."""
    when = (understood.first_day, understood.at, understood.window)
    wants = Intent.BOOK in understood.intents or any(v is not None for v in when)
    if last is not None and last.topic == Topic.WHO_DOES.value and last.service_id:
        # "¿Lu hace barba?" "No, lo hacen Tincho y Facu" "ah, con Tincho": a barba with him
        wants = wants or understood.professional_id is not None
    if last is None or understood.question is not None or not wants:
        return understood
    return _filled(understood, last, state, ctx)


def _filled(understood: Understanding, last: Asked, state: State, ctx: Context) -> Understanding:
    """What the message asks for, with what it leaves unsaid taken from a question's subject
    (not a professional who doesn't work the day asked for: "¿Tincho trabaja los lunes?
    quiero un corte el lunes" is with whoever works then)."""
    draft = state.draft
    day = understood.first_day or draft.day or draft.first_day
    changes: dict[str, object] = {}
    if understood.service_id is None and draft.service_id is None and last.service_id:
        changes["service_id"] = last.service_id
    chosen = draft.professional_id is not None or draft.any_professional
    named = understood.professional_id is not None or understood.any_professional
    works = _works(last.professional_id, day, ctx)
    if not (chosen or named) and last.professional_id is not None and works:
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
