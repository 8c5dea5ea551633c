"""Every step against every kind of input: never an exception, always a way forward."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from conversations.commands import (
    ComebackAsk,
    ComebackDue,
    FreeSlot,
    ReminderDue,
    SaveName,
    SlotOffered,
    Waiting,
)
from conversations.context import BookingView
from conversations.messages import BACK, MENU, QUIT
from conversations.state import State, Step
from tests.conversations.driver import NOW, EngineChat, context


def at_menu() -> EngineChat:
    return EngineChat().send("hola")


def at_service() -> EngineChat:
    return at_menu().tap("Book")


def at_professional() -> EngineChat:
    return at_service().tap("Corte ·")


def at_day() -> EngineChat:
    return at_professional().tap("Tincho")


def at_time() -> EngineChat:
    return at_day().tap_first()


def at_payment() -> EngineChat:
    return at_time().tap_first()


def at_confirm() -> EngineChat:
    return at_payment().tap_first()


def at_ask_name() -> EngineChat:
    return EngineChat(ctx=context(customer_name=None)).send("hola")


def at_name() -> EngineChat:
    chat = EngineChat(ctx=context(customer_name=None)).send("corte con Tincho mañana a las 11")
    return chat


def at_human() -> EngineChat:
    return at_menu().tap("Talk")


UPCOMING = BookingView(7, 1, 1, NOW + timedelta(days=1), "confirmed", "cash")


def at_my_bookings() -> EngineChat:
    return EngineChat(ctx=context(upcoming=(UPCOMING,))).send("hola").tap("My turnos")


def at_booking_actions() -> EngineChat:
    return at_my_bookings().tap_first()


def at_confirm_cancel() -> EngineChat:
    return at_booking_actions().tap("Cancel it")


def at_reminder() -> EngineChat:
    chat = EngineChat(ctx=context(upcoming=(UPCOMING,))).send("hola")
    return chat.event(ReminderDue(UPCOMING.id))


HELD = BookingView(8, 1, 1, NOW + timedelta(days=2), "held", None)


def at_slot_offer() -> EngineChat:
    chat = EngineChat(ctx=context(upcoming=(HELD,))).send("hola")
    return chat.event(SlotOffered(HELD.id))


def at_waitlist_offer() -> EngineChat:
    chat = at_menu()
    chat.runtime.full = True
    return chat.send("corte con Tincho el martes")


ENTRY = Waiting(4, 1, 1, NOW.date() + timedelta(days=1), NOW.date() + timedelta(days=7), None)


def at_my_waitlist() -> EngineChat:
    chat = at_menu()
    chat.runtime.waiting = (ENTRY,)
    return chat.send("mi lista de espera")


def at_comeback_ask() -> EngineChat:
    return at_menu().event(ComebackAsk())


def at_comeback_offer() -> EngineChat:
    free = FreeSlot(NOW + timedelta(days=2), 1, 1)
    return at_menu().event(ComebackDue(1, 1, 4, (free,)))


def at_pair_name() -> EngineChat:
    return at_menu().send("corte con Tincho mañana a las 11 para mí y mi hermano, seguidos")


def at_pair_time() -> EngineChat:
    return at_menu().send("corte con Tincho mañana para mí y mi hermano, yo a las 11 y él 11:15")


def at_my_data() -> EngineChat:
    chat = at_menu()
    chat.runtime.data_slow = True  # the runtime has not answered yet: the step waits
    return chat.send("qué datos tienen míos")


def at_confirm_erase() -> EngineChat:
    return EngineChat(ctx=context(upcoming=(UPCOMING,))).send("hola").send("borrar mis datos")


REACH: dict[Step, Callable[[], EngineChat]] = {
    Step.ASK_NAME: at_ask_name,
    Step.NAME: at_name,
    Step.MENU: at_menu,
    Step.SERVICE: at_service,
    Step.PROFESSIONAL: at_professional,
    Step.DAY: at_day,
    Step.TIME: at_time,
    Step.PAYMENT: at_payment,
    Step.CONFIRM: at_confirm,
    Step.HUMAN: at_human,
    Step.MY_BOOKINGS: at_my_bookings,
    Step.BOOKING_ACTIONS: at_booking_actions,
    Step.CONFIRM_CANCEL: at_confirm_cancel,
    Step.WAITLIST_OFFER: at_waitlist_offer,
    Step.REMINDER: at_reminder,
    Step.SLOT_OFFER: at_slot_offer,
    Step.MY_WAITLIST: at_my_waitlist,
    Step.COMEBACK_ASK: at_comeback_ask,
    Step.COMEBACK_OFFER: at_comeback_offer,
    Step.PAIR_NAME: at_pair_name,
    Step.PAIR_TIME: at_pair_time,
    Step.MY_DATA: at_my_data,
    Step.CONFIRM_ERASE: at_confirm_erase,
}


def test_every_step_is_reachable_in_these_tests() -> None:
    assert set(REACH) == set(Step) - {Step.START}


INPUTS: dict[str, Callable[[EngineChat], EngineChat]] = {
    "volver": lambda chat: chat.send("volver"),
    "cancelar": lambda chat: chat.send("/cancelar"),
    "menu": lambda chat: chat.send("menú"),
    "back button": lambda chat: chat.send(choice_id=BACK),
    "quit button": lambda chat: chat.send(choice_id=QUIT),
    "menu button": lambda chat: chat.send(choice_id=MENU),
    "garbage": lambda chat: chat.send("asdkjh qwe"),
    "empty": lambda chat: chat.send(""),
    "emojis": lambda chat: chat.send("💈✂️🔥"),
    "long": lambda chat: chat.send("x" * 10_000),
    "html": lambda chat: chat.send("<b>hola</b><script>x()</script>"),
    "sql": lambda chat: chat.send("' OR 1=1; --"),
    "unknown choice": lambda chat: chat.send(choice_id="12345.nope"),
    "first choice": lambda chat: chat.tap_first(),
    "number": lambda chat: chat.send("1"),
}


@pytest.mark.parametrize("step", list(REACH))
@pytest.mark.parametrize("kind", list(INPUTS))
def test_every_step_answers_every_kind_of_input(step: Step, kind: str) -> None:
    chat = REACH[step]()
    assert chat.state.step is step

    INPUTS[kind](chat)

    assert chat.replies, "the bot always answers"
    assert chat.state.step in Step
    assert State.from_json(chat.state.to_json()) == chat.state
    offered = [c.id for r in chat.replies for c in r.choices]
    assert set(offered) <= {c.id for c in chat.state.choices}


TEXTS = [
    "hola",
    "corte",
    "mañana a la tarde",
    "con Tincho",
    "a las 5",
    "sí",
    "no",
    "volver",
    "cancelar",
    "menú",
    "mis turnos",
    "lo de siempre",
    "ayuda",
    "2",
    "dos",
    "",
    "🙃",
]


@pytest.mark.parametrize("text", ["Nico", "soy Nico", "nico", "Juli", "Samir", "Vale", "Mati"])
def test_a_short_first_name_at_the_name_step_is_saved_not_read_as_a_command(text: str) -> None:
    chat = at_ask_name().send(text)
    assert chat.state.step is Step.MENU
    assert SaveName(text.removeprefix("soy ").capitalize()) in chat.runtime.commands


@pytest.mark.parametrize("text", ["menú", "menu", "/start", "volver", "cancelar"])
def test_commands_at_the_name_step_still_navigate(text: str) -> None:
    chat = at_ask_name().send(text)
    assert chat.state.step is Step.MENU
    assert not any(isinstance(c, SaveName) for c in chat.runtime.commands)


class ChatMachine(RuleBasedStateMachine):
    """Random texts and taps never raise and always leave a valid, storable state."""

    def __init__(self) -> None:
        super().__init__()
        self.chat = EngineChat().send("hola")

    @rule(text=st.one_of(st.sampled_from(TEXTS), st.text(max_size=40)))
    def say(self, text: str) -> None:
        self.chat.send(text)

    @rule(data=st.data())
    def tap(self, data: st.DataObject) -> None:
        choices = [c for r in self.chat.replies for c in r.choices]
        if choices:
            self.chat.send(choice_id=data.draw(st.sampled_from(choices)).id)

    @rule(choice_id=st.text(max_size=12))
    def tap_anything(self, choice_id: str) -> None:
        self.chat.send(choice_id=choice_id)

    @invariant()
    def state_is_valid(self) -> None:
        state = self.chat.state
        assert state.step in Step
        assert self.chat.replies
        assert len({c.id for c in state.choices}) == len(state.choices)
        assert State.from_json(state.to_json()) == state


ChatMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=20, deadline=None)
TestChatMachine = ChatMachine.TestCase
