"""The conversation engine: `handle(state, event, context) -> Reply`, pure and synchronous.

The runtime feeds it what the person sent (`UserMessage`) and the results of the commands it
asked for; it answers with the next state, messages and commands. Every step lives in one of
the flow tables merged into STEPS; this module only does what is common to all of them:
idle restarts, stale choices, "volver" / "cancelar" / "menú", and reading choices from text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from conversations.commands import (
    ComebackAsk,
    ComebackDue,
    Done,
    Nudge,
    ReminderDue,
    Result,
    SlotOffered,
)
from conversations.context import Context
from conversations.flows import (
    booking,
    comeback,
    greeting,
    my_bookings,
    my_data,
    my_waitlist,
    naming,
    offers,
    pair,
    reminders,
    shop_info,
)
from conversations.flows.common import menu, say
from conversations.flows.labels import price_list
from conversations.messages import BACK, MENU, QUIT, Choice, UserMessage
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import State, Step
from conversations.understanding import (
    CatalogEntry,
    Intent,
    ShopVocabulary,
    Understanding,
    first_name,
    introduced_name,
    normalize,
    understand,
)
from conversations.understanding.language import ENGLISH, detect_language, greets_in_english
from conversations.understanding.normalize import readable

IDLE_AFTER = timedelta(hours=3)
UNDATED_LISTS = frozenset({Step.SERVICE, Step.PROFESSIONAL, Step.TIME, Step.PAYMENT})
DATA_RIGHTS = frozenset({Intent.MY_DATA, Intent.ERASE_DATA})  # Ley 25.326: see, erase
MAX_COMMAND_WORDS = 3  # "volvé al menú por favor"; longer texts are answers where a step takes text

STEPS: dict[Step, StepSpec] = {
    **greeting.STEPS,
    **naming.STEPS,
    **booking.STEPS,
    **my_bookings.STEPS,
    **my_waitlist.STEPS,
    **my_data.STEPS,
    **reminders.STEPS,
    **offers.STEPS,
    **comeback.STEPS,
    **pair.STEPS,
}


def handle(state: State, event: UserMessage | Result | Nudge, ctx: Context) -> Reply:
    """One turn: the person's message, a command's result or a nudge from the runtime (a
    reminder, a freed slot offered) in; the next state and words out.

    The words are in the customer's language: the one their last plain message was written in
    (remembered in the state, so reminders and offers speak it too), else the shop's.
    """
    language = state.language
    if isinstance(event, UserMessage) and event.choice_id is None:
        language = detect_language(event.text) or language
        if language is None and greets_in_english(event.text):  # the first "Hello!"
            language = ENGLISH
    ctx = ctx.speaking(language)
    if isinstance(event, UserMessage):
        reply = _on_message(state, event, ctx)
    elif isinstance(event, ReminderDue):
        reply = reminders.remind(state, event, ctx)
    elif isinstance(event, SlotOffered):
        reply = offers.offered(state, event, ctx)
    elif isinstance(event, ComebackAsk):
        reply = comeback.asked(state, event, ctx)
    elif isinstance(event, ComebackDue):
        reply = comeback.due(state, event, ctx)
    elif isinstance(event, Done):
        reply = Reply(state)  # an acknowledgement (name saved, message passed on): no step waits
    else:
        spec = STEPS.get(state.step)
        reply = spec.on_result(state, event, ctx) if spec and spec.on_result else Reply(state)
    return replace(reply, state=replace(reply.state, updated_at=ctx.now, language=language))


def _on_message(state: State, message: UserMessage, ctx: Context) -> Reply:
    _ = ctx.gettext
    text = readable(message.text)
    understood = understand(text, vocabulary(ctx), ctx.today)
    # A question about the shop (read against the one answered last turn, then forgotten).
    question = shop_info.question_for(state, understood, ctx)
    understood = shop_info.carried(understood, state.asked, state, ctx)
    previous, state = state.asked, replace(state, asked=None)
    if message.attachment and greeting.awaiting_transfer(ctx):
        return greeting.transferred(state, ctx, receipt=message.attachment)  # the receipt
    if state.step is Step.START or state.step not in STEPS:
        if question is not None:
            return shop_info.welcome(State(), question, understood, ctx, text)
        return naming.first_contact(State(), text, understood, ctx)
    # (read again with the name known, against the question answered last turn)
    passing = _named_in_passing(replace(state, asked=previous), text, message, understood, ctx)
    if passing is not None:
        return passing
    if state.updated_at is not None and ctx.now - state.updated_at > IDLE_AFTER:
        restart = menu(state, ctx, before=[_("It's been a while, so let's start over.")])
        if message.choice_id:
            return restart
        if question is not None:  # "¿abren mañana?" days later: the answer, not a restart
            return shop_info.answered(restart.state, question, understood, ctx, menu, text=text)
        return restart.then(_dispatch(restart.state, text, None, understood, ctx))
    if message.choice_id in (BACK, QUIT, MENU):
        return _navigate(state, message.choice_id, ctx)
    choice = None
    if message.choice_id:
        choice = next((c for c in state.choices if c.id == message.choice_id), None)
        if choice is None:
            stale = say(state, _("That option is from an earlier message."))
            return stale.then(STEPS[state.step].prompt(state, ctx))
    else:
        choice = _choice_from_text(text, understood, state.choices, state.step)
        if choice is not None and understood.number is not None:  # "el 2" picked, no date
            understood = replace(understood, first_day=None, last_day=None, weekday=None)
        spec = STEPS[state.step]
        if choice is None:
            if question is not None and not spec.takes_text:
                go_on = lambda s: _dispatch(s, text, None, understood, ctx)  # noqa: E731
                # After a hello, "¿dónde quedan?" is answered with the menu: the name waits.
                prompt = menu if state.step is Step.ASK_NAME else spec.prompt
                return shop_info.answered(state, question, understood, ctx, prompt, go_on, text)
            reaction = shop_info.reaction(state, previous, understood, ctx)
            if reaction is not None:
                return reaction
            if understood.intents & DATA_RIGHTS and state.step not in my_data.STEPS:
                # «borrar mis datos» at any step: the customer's rights come first.
                at_menu = replace(state, step=Step.MENU)
                return STEPS[Step.MENU].on_answer(at_menu, Answer(text, None, understood), ctx)
            if spec.takes_text and len(normalize(text).split()) > MAX_COMMAND_WORDS:
                return _dispatch(state, text, None, understood, ctx)
            if spec.cancel_is_answer and understood.intents & {Intent.QUIT, Intent.CANCEL}:
                cancel = replace(understood, intents=understood.intents | {Intent.CANCEL})
                return _dispatch(state, text, None, cancel, ctx)
            if state.step in booking.STEPS and booking.about_my_turnos(text, understood, ctx):
                # "mis turnos" / "cancelá el del jueves" mid-booking: that flow instead.
                at_menu = replace(state, step=Step.MENU)
                return STEPS[Step.MENU].on_answer(at_menu, Answer(text, None, understood), ctx)
            if spec.bot_asked and _about_something_else(understood):
                at_menu = replace(state, step=Step.MENU)
                return STEPS[Step.MENU].on_answer(at_menu, Answer(text, None, understood), ctx)
            if spec.small_talk and understood.just_greeting:
                return _greet_again(state, ctx)
            if spec.small_talk and Intent.PRICES in understood.intents:
                # "¿cuánto sale?" mid-booking: answer, then the open question again.
                asked = (
                    understood.priced_service_id or understood.service_id or state.draft.service_id
                )
                answered = say(state, price_list(asked, ctx))
                if _books_too(understood):  # «cuánto sale? y si tenés a las 17 lo reservo»
                    return answered.then(_dispatch(state, text, None, understood, ctx))
                return answered.then(spec.prompt(state, ctx))
            if naming.puzzled(text) and state.step not in naming.TAKES_NAMES:
                return _explain(state, ctx)
            if Intent.QUIT in understood.intents:
                return _navigate(state, QUIT, ctx)
            if Intent.MENU in understood.intents:
                return _navigate(state, MENU, ctx)
            if Intent.BACK in understood.intents:
                return _navigate(state, BACK, ctx)
    if choice is not None and choice.id in (BACK, QUIT, MENU):
        return _navigate(state, choice.id, ctx)
    return _dispatch(state, text, choice, understood, ctx)


def _named_in_passing(
    state: State, text: str, message: UserMessage, understood: Understanding, ctx: Context
) -> Reply | None:
    """ "Soy Diego" at a step that asked something else: the name is saved, and the message
    read with it known (or, if it says nothing more, the question asked again)."""
    if ctx.customer_name or state.step in naming.TAKES_NAMES or message.choice_id:
        return None
    name = introduced_name(text)
    if name is None and understood.professional_id is None:
        # A first name alone ("Gonza") where nothing asked for one: the name asked before,
        # given late (at the menu any name: there it answers nothing else).
        name = understood.name if state.step is Step.MENU else first_name(text)
    if name is None or len(name) > naming.MAX_NAME:
        return None
    named = naming.named(ctx, name)
    nice = naming.saved(state, name).then(
        say(state, ctx.gettext("Nice to meet you, {name}!").format(name=name))
    )
    if greeting.says_something(understood) or understood.number is not None:
        return nice.then(_on_message(state, message, named))
    return nice.then(STEPS[state.step].prompt(state, named))


# What a message to a question the bot raised may be about instead of answering it.
SOMETHING_ELSE = frozenset(
    {
        Intent.MY_BOOKINGS,
        Intent.BOOK,
        Intent.HELP,
        Intent.HUMAN,
        Intent.WAITLIST,
        Intent.MY_DATA,
        Intent.ERASE_DATA,
    }
)
ANSWERS = frozenset({Intent.YES, Intent.NO, Intent.CANCEL, Intent.RESCHEDULE})


def _about_something_else(understood: Understanding) -> bool:
    return bool(understood.intents & SOMETHING_ELSE) and not understood.intents & ANSWERS


def _books_too(understood: Understanding) -> bool:
    """A price question that also says when or with whom (the booking goes on with it)."""
    said = (understood.first_day, understood.at, understood.window, understood.professional_id)
    return understood.priced_service_id is not None or any(v is not None for v in said)


def _explain(state: State, ctx: Context) -> Reply:
    """A friendly hint on how to answer, then the open question again."""
    hint = ctx.gettext(
        "No worries: tap one of the options, or tell me in your own words, for example "
        "\u201ccorte mañana a la tarde\u201d."
    )
    return say(state, hint).then(STEPS[state.step].prompt(state, ctx))


def _greet_again(state: State, ctx: Context) -> Reply:
    """A bare "hola" in the middle of a flow: greet back and ask the open question again."""
    _ = ctx.gettext
    if ctx.customer_name:
        hello = _("Hi, {name}! Let's pick up where we left off:").format(name=ctx.customer_name)
    else:
        hello = _("Hi! Let's pick up where we left off:")
    return say(state, hello).then(STEPS[state.step].prompt(state, ctx))


def _dispatch(
    state: State, text: str, choice: Choice | None, understood: Understanding, ctx: Context
) -> Reply:
    if state.step in booking.STEPS and choice is None:  # «yo a las 10 y él a las 10:30»
        state = replace(state, draft=pair.noted(state.draft, understood))
    return STEPS[state.step].on_answer(state, Answer(text, choice, understood), ctx)


def _navigate(state: State, where: str, ctx: Context) -> Reply:
    _ = ctx.gettext
    if where == QUIT:
        return menu(state, ctx, before=[_("OK, let's leave it there.")])
    if where == MENU or state.step is Step.MENU:
        return menu(state, ctx)
    back = STEPS[state.step].back
    if back is Step.MENU:
        return menu(state, ctx)
    return STEPS[back].prompt(booking.rewind(state, back), ctx)


def _choice_from_text(
    text: str, understood: Understanding, choices: tuple[Choice, ...], step: Step
) -> Choice | None:
    """A choice named by its number ("2", "dos") or its label ("Corte")."""
    offered = [c for c in choices if c.id not in (BACK, QUIT, MENU)]
    # "el 2" is a date (first_day is set), a bare "2" the second option; but in a list with
    # no dates in it (services, people, one day's times) "el 2" is the second option too.
    dated = understood.first_day is not None and step not in UNDATED_LISTS
    number = understood.number if not dated else None
    # Among times, a number past the last option is the hour ("16" at eight times is 16:00);
    # one within them is the option numbered so on WhatsApp (there "9" may be «Más tarde»).
    timed = [c for c in offered if c.value and c.id.partition(".")[2].startswith("slot.")]
    if number is not None and step is Step.TIME and timed and number > len(offered):
        number = None
    if number is not None and 1 <= number <= len(offered):
        return offered[number - 1]
    wanted = normalize(text)
    if not wanted:
        return None
    exact = [c for c in choices if normalize(c.label) == wanted]
    return exact[0] if len(exact) == 1 else None


def vocabulary(ctx: Context) -> ShopVocabulary:
    """The words this shop's customers may use for its services and people."""
    return ShopVocabulary(
        services=tuple(CatalogEntry(s.id, s.name, s.synonyms) for s in ctx.services if s.active),
        professionals=tuple(
            CatalogEntry(p.id, p.name, (p.nickname,) if p.nickname else ())
            for p in ctx.professionals
            if p.active
        ),
        opens=ctx.opens,
        closes=ctx.closes,
    )
