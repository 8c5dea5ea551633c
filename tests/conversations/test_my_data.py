"""The customer's data in the chat (Ley 25.326): what the shop keeps, and erasing it."""

from __future__ import annotations

from conversations.commands import EraseMyData, ShowMyData
from conversations.state import Step
from tests.conversations.driver import EngineChat, context
from tests.conversations.test_engine_steps import UPCOMING, at_menu, at_service


def test_asking_what_data_the_shop_has_lists_it_and_goes_back_to_the_menu() -> None:
    chat = at_menu().send("what data do you have about me?")

    assert ShowMyData() in chat.runtime.commands
    assert "Juan" in chat.text
    assert "+5491158749895" in chat.text
    assert "3 turnos in total" in chat.text
    assert chat.state.step is Step.MENU


def test_erasing_asks_first_saying_what_goes_what_stays_and_the_turnos_ahead() -> None:
    chat = EngineChat(ctx=context(upcoming=(UPCOMING,))).send("hola").send("delete my data")

    assert chat.state.step is Step.CONFIRM_ERASE
    assert "accounts" in chat.text
    assert "turno ahead is cancelled" in chat.text
    assert [c.label for c in chat.state.choices] == ["Yes, erase them", "No"]
    assert not any(isinstance(c, EraseMyData) for c in chat.runtime.commands)


def test_confirming_erases_and_starts_the_conversation_over() -> None:
    chat = at_menu().send("delete my data").tap("Yes, erase them")

    assert EraseMyData() in chat.runtime.commands
    assert "erased your data" in chat.text
    assert chat.state.step is Step.START


def test_saying_no_erases_nothing() -> None:
    chat = at_menu().send("delete my data").send("no")

    assert not any(isinstance(c, EraseMyData) for c in chat.runtime.commands)
    assert chat.state.step is Step.MENU


def test_asking_mid_booking_leaves_the_booking_for_the_question() -> None:
    chat = at_service().send("borrar mis datos")

    assert chat.state.step is Step.CONFIRM_ERASE
