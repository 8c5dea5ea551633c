"""How the engine behaves around the edges of a flow: greetings mid-flow, the word "cancelar"
where it names a turno, messages for the shop, days with nothing to offer (English catalog)."""

from __future__ import annotations

from datetime import timedelta

from conversations.commands import FindDays, MessageShop
from conversations.context import BookingView
from conversations.state import Step
from tests.conversations.driver import NOW, EngineChat, context


def test_a_greeting_in_the_middle_of_a_booking_greets_back_and_asks_again() -> None:
    chat = EngineChat().send("hola").tap("Book").tap("Corte ·")
    assert chat.state.step is Step.PROFESSIONAL

    chat.send("hola!")

    assert chat.state.step is Step.PROFESSIONAL
    assert "Hi, Juan! Let's pick up where we left off:" in chat.text
    assert "didn't get that" not in chat.text
    assert any(c.label == "Tincho" for r in chat.replies for c in r.choices)


def test_typing_cancelar_while_looking_at_a_turno_asks_to_cancel_that_turno() -> None:
    upcoming = BookingView(7, 1, 1, NOW + timedelta(days=2), "confirmed", "cash")
    chat = EngineChat(ctx=context(upcoming=(upcoming,))).send("hola").tap("My turnos")
    chat.tap_first()
    assert chat.state.step is Step.BOOKING_ACTIONS
    assert "Back to the menu" in [c.label for r in chat.replies for c in r.choices]

    chat.send("cancelar")

    assert chat.state.step is Step.CONFIRM_CANCEL
    assert "Shall I cancel Corte · " in chat.text


def test_a_long_message_for_the_shop_that_mentions_the_menu_still_reaches_the_shop() -> None:
    chat = EngineChat().send("hola").tap("Talk")

    chat.send("menú por favor, ¿tienen precios para chicos?")

    assert chat.state.step is Step.MENU
    sent = [c for c in chat.runtime.commands if isinstance(c, MessageShop)]
    assert [c.text for c in sent] == ["menú por favor, ¿tienen precios para chicos?"]


def test_a_named_day_goes_through_the_day_search_with_the_days_wanted() -> None:
    chat = EngineChat().send("hola")

    chat.send("corte con Tincho el domingo")  # the fake agenda is closed on Sundays

    finds = [c for c in chat.runtime.commands if isinstance(c, FindDays)]
    assert finds
    assert finds[-1].wanted is not None
    assert chat.state.step is Step.DAY
    assert "Tincho doesn't work on" in chat.text
    assert "Anyone those days" in [c.label for r in chat.replies for c in r.choices]


def test_a_full_day_offers_the_waitlist_and_other_times() -> None:
    chat = EngineChat().send("hola")
    chat.runtime.full = True

    chat.send("corte con Tincho el martes a la tarde")

    assert chat.state.step is Step.WAITLIST_OFFER  # nothing free at all in the coming days
    assert "Shall I put you on the waitlist?" in chat.text
