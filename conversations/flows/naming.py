"""First contact and the customer's name: asked when it is needed, taken whenever it is given.

A new customer who only says hello is asked their name at once; one who asks or says anything
else gets an answer first, and the name is asked when a booking needs it: right after its time
is settled (booking.ask_name), before the payment. While the name is being asked, a message that
is no name is read for what it is (a price, a correction, "mis turnos"); "el que sea", "dos" or
"asdfgh" are no names. A name given in passing ("soy Diego", "Hola! Diego") is saved anywhere.

```
START ──hello only──────────► ASK_NAME ──name (SaveName)──► MENU
START ──(known) / name given / anything else──► what it asked for, or MENU
ASK_NAME ──anything else────► what it asked for (the name waits for a booking)
TIME ──slot settled, name unknown──► NAME ──name (SaveName)──► PAYMENT (booking.advance)
NAME ──a correction──► booking.advance;  NAME ──"mis turnos", "ayuda"──► the menu's answer
```
"""

from __future__ import annotations

from dataclasses import replace

from conversations.commands import SaveName
from conversations.context import Context
from conversations.flows import booking, greeting
from conversations.flows.common import ask, menu
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import State, Step
from conversations.understanding import Intent, Understanding, normalize

MAX_NAME = 40  # longer is not a name someone goes by
# Steps that read names their own way (PAIR_NAME: the second person's, not the customer's).
TAKES_NAMES = frozenset({Step.START, Step.ASK_NAME, Step.NAME, Step.PAIR_NAME})
# Not an answer to "¿cómo te llamás?" that moves anything: "sí", "no", "dale".
_BARE_ANSWERS = frozenset({Intent.GREETING, Intent.YES, Intent.NO})
# At the booking's name question, these leave the booking for what they ask.
_ELSEWHERE = frozenset(
    {
        Intent.MY_BOOKINGS,
        Intent.RESCHEDULE,
        Intent.WAITLIST,
        Intent.HELP,
        Intent.HUMAN,
        Intent.TRANSFERRED,
        Intent.REPEAT,
    }
)


PUZZLED = frozenset({"", "que", "como", "eh", "mm", "mmm", "no entiendo", "no entendi", "y"})


def puzzled(text: str) -> bool:
    """ "?", "¿qué?", "no entiendo?": the person does not know what to answer."""
    return "?" in text and normalize(text) in PUZZLED


def first_contact(state: State, text: str, understood: Understanding, ctx: Context) -> Reply:
    """The first message of a chat: greet (by name if known) and read what it asked for."""
    _ = ctx.gettext
    if ctx.customer_name is not None:
        hello = _("Hi, {name}!").format(name=ctx.customer_name)
        return greeting.welcome(state, text, understood, ctx, hello)
    name = given_name(understood)
    if name is not None:
        nice = _("Nice to meet you, {name}!").format(name=name)
        besides = _besides(understood, name, ctx)
        return saved(state, name).then(
            greeting.welcome(state, text, besides, named(ctx, name), nice)
        )
    hello = _("Hi! I'm the assistant of {shop}.").format(shop=ctx.shop.name)
    if greeting.says_something(understood):  # the name is asked if a booking needs it
        return greeting.welcome(state, text, understood, ctx, hello)
    return ask(
        state, ctx, Step.ASK_NAME, _("What's your name?"), [], before=[hello], navigation=False
    )


def given_name(understood: Understanding) -> str | None:
    """The person's name in the message, if it gives one."""
    name = understood.name
    return name if name and len(name) <= MAX_NAME else None


def _besides(understood: Understanding, name: str, ctx: Context) -> Understanding:
    """What a message says besides the name: "Ángeles Ruiz" asks for no barber Facundo Ruiz."""
    professional = ctx.professional(understood.professional_id)
    if professional is None:
        return understood
    theirs = normalize(f"{professional.name} {professional.nickname or ''}").split()
    if any(word in theirs for word in normalize(name).split()):
        return replace(understood, professional_id=None)
    return understood


def named(ctx: Context, name: str) -> Context:
    """This turn's context once the name is given (the runtime saves it with SaveName)."""
    return replace(ctx, customer_name=name)


def saved(state: State, name: str) -> Reply:
    """Save the name; nothing said."""
    return Reply(state, (), (SaveName(name),))


def _ask_name_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    """The answer to "¿cómo te llamás?" after a hello: the name, or what they want instead."""
    _ = ctx.gettext
    understood = answer.understood
    name = given_name(understood)
    if name is not None:
        nice = _("Nice to meet you, {name}!").format(name=name)
        besides = _besides(understood, name, ctx)
        welcome = greeting.welcome(state, answer.text, besides, named(ctx, name), nice)
        return saved(state, name).then(welcome)
    # "el que sea" reads as "anyone", but there is no one to choose yet.
    bare = replace(understood, intents=understood.intents - _BARE_ANSWERS, any_professional=False)
    if greeting.says_something(bare):
        return greeting.answer_at_menu(state, answer, ctx)  # the name waits for a booking
    if understood.just_greeting:
        return ask(state, ctx, Step.ASK_NAME, _("Hi! What's your name?"), [], navigation=False)
    if puzzled(answer.text):
        about = _(
            "I'm {shop}'s assistant: I book turnos and answer questions about the shop."
        ).format(shop=ctx.shop.name)
        question = _(
            "What's your name? Or just tell me what you need, for example "
            "\u201ccorte mañana a la tarde\u201d."
        )
        return ask(state, ctx, Step.ASK_NAME, question, [], before=[about], navigation=False)
    return ask(
        state,
        ctx,
        Step.ASK_NAME,
        _(
            "Sorry, I didn't catch a name there. What's your name? Or just tell me what you "
            "need, for example \u201ccorte mañana a la tarde\u201d."
        ),
        [],
        navigation=False,
    )


def _booking_name_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    """The answer to "¿a nombre de quién?": the name, a change to the turno, or a question."""
    _ = ctx.gettext
    understood = answer.understood
    method = understood.payment_method
    if method is not None and method in ctx.payment_methods:  # "a nombre de Diego, efectivo"
        state = state.with_draft(payment_method=method)
    name = given_name(understood)
    draft = state.draft
    if draft.for_other and draft.for_name is None:  # «para mi viejo»: the name is his
        name = understood.for_name or understood.under_name or name
        if name is not None:
            return booking.advance(state.with_draft(for_name=name), ctx)
    if name is not None:
        thanks = greeting.note(_("Thanks, {name}!").format(name=name))
        return (
            saved(state, name)
            .then(Reply(state, (thanks,)))
            .then(booking.advance(state, named(ctx, name)))
        )
    changed = _changed(state, understood, ctx)
    if changed is not None:  # "no, mejor el viernes", "con Facu"
        return booking.advance(changed, ctx)
    if understood.intents & _ELSEWHERE:
        return greeting.answer_at_menu(state, answer, ctx)
    if Intent.CANCEL in understood.intents:
        return menu(state, ctx, before=[_("OK, let's leave it there.")])
    nudge = _("To book it I need a name (a first name is enough).")
    return booking.ask_name(state, ctx, before=(nudge,))


def _changed(state: State, understood: Understanding, ctx: Context) -> State | None:
    """The booking with what the message changes (a new day, time, service or person)."""
    merged = booking.merge(state, understood, ctx)
    if merged.draft == state.draft:
        return None
    if merged.draft.professional_id != state.draft.professional_id:
        merged = merged.with_draft(slot=None)  # that time was someone else's
    return merged


def _ask_name_prompt(state: State, ctx: Context) -> Reply:
    return ask(state, ctx, Step.ASK_NAME, ctx.gettext("What's your name?"), [], navigation=False)


STEPS: dict[Step, StepSpec] = {
    Step.ASK_NAME: StepSpec(
        prompt=_ask_name_prompt,
        on_answer=_ask_name_answer,
        on_result=greeting.quiet,
        small_talk=False,
    ),
    Step.NAME: StepSpec(booking.ask_name, _booking_name_answer, back=Step.TIME),
}
