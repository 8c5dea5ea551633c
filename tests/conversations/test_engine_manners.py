"""How the engine behaves around the edges of a flow: greetings mid-flow, the word "cancelar"
where it names a turno, messages for the shop, days with nothing to offer (English catalog)."""

from __future__ import annotations

from datetime import timedelta

from conversations.commands import (
    CancelBooking,
    Failed,
    FindDays,
    FindSlots,
    MessageShop,
    SaveName,
)
from conversations.context import BookingView
from conversations.engine import handle
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


def test_a_full_agenda_offers_the_waitlist() -> None:
    chat = EngineChat().send("hola")
    chat.runtime.full = True

    chat.send("corte con Tincho el martes")

    assert chat.state.step is Step.WAITLIST_OFFER  # nothing free at all in the coming days
    assert "Shall I put you on the waitlist?" in chat.text


def test_a_full_time_window_offers_another_time_and_the_waitlist() -> None:
    chat = EngineChat().send("hola")
    chat.runtime.full = True

    chat.send("corte con Tincho el martes a la tarde")

    assert chat.state.step is Step.DAY
    labels = [c.label for r in chat.replies for c in r.choices]
    assert {"Another time those days", "Waitlist for those days"} <= set(labels)


def test_a_window_after_closing_offers_another_time_but_no_waitlist() -> None:
    chat = EngineChat().send("hola")

    chat.send("corte con Tincho el martes después de las 19:45")  # closes at 20

    labels = [c.label for r in chat.replies for c in r.choices]
    assert "Another time those days" in labels
    assert "Waitlist for those days" not in labels


def test_a_turno_refused_because_the_customer_is_busy_asks_for_another_time() -> None:
    chat = EngineChat().send("hola").tap("Book").tap("Corte ·").tap("Tincho")
    chat.tap_first().tap_first().tap_first()
    assert chat.state.step is Step.CONFIRM

    reply = handle(chat.state, Failed("customer_busy"), chat.ctx)

    assert reply.state.step is Step.TIME
    assert reply.messages[0].text == "You already have a turno at that time."
    assert [type(c) for c in reply.commands] == [FindSlots]


def test_times_overlapping_the_customers_own_turnos_are_not_offered() -> None:
    mine = BookingView(7, 1, 2, NOW + timedelta(days=1, hours=2), "confirmed", "cash")
    chat = EngineChat(ctx=context(upcoming=(mine,))).send("hola")

    chat.send("corte con Tincho mañana")

    labels = [c.label for r in chat.replies for c in r.choices]
    assert chat.state.step is Step.TIME
    assert "11:00" not in labels  # mine: 11:00-11:30 with Facu (NOW is 09:00 local)
    assert {"10:30", "11:30"} <= set(labels)


def test_a_first_message_asking_for_a_turno_is_answered_and_the_name_asked_after_the_time() -> None:
    chat = EngineChat(ctx=context(customer_name=None))

    chat.send("hola, ¿tenés algo mañana a la tarde para corte con Tincho?")
    assert chat.state.step is Step.TIME
    chat.send("las 17")
    assert chat.state.step is Step.NAME
    chat.send("Nico")

    assert "Thanks, Nico!" in chat.text
    assert chat.state.step is Step.PAYMENT
    assert SaveName("Nico") in chat.runtime.commands


def test_a_name_longer_than_anyone_goes_by_is_asked_again() -> None:
    chat = EngineChat(ctx=context(customer_name=None)).send("hola")

    chat.send("a" * 500)

    assert chat.state.step is Step.ASK_NAME


def test_typing_cancelar_at_the_cancel_question_cancels() -> None:
    upcoming = BookingView(7, 1, 1, NOW + timedelta(days=2), "confirmed", "cash")
    chat = EngineChat(ctx=context(upcoming=(upcoming,))).send("hola").tap("My turnos")
    chat.tap_first().tap("Cancel it")
    assert chat.state.step is Step.CONFIRM_CANCEL
    assert "Back to the menu" in [c.label for r in chat.replies for c in r.choices]

    chat.send("cancelalo")

    assert chat.runtime.commands[-1] == CancelBooking(7)


def test_asking_for_another_service_keeps_the_professional_when_they_do_it() -> None:
    chat = EngineChat().send("hola").send("corte con Facu el domingo")  # Sunday: closed
    assert chat.state.draft.professional_id == 2

    chat.send("mejor una barba el martes")

    assert chat.state.draft.professional_id == 2
    assert chat.state.draft.service_id == 2


def test_asking_for_a_service_the_professional_doesnt_do_says_who_does() -> None:
    chat = EngineChat().send("hola").send("corte con Facu el domingo")

    chat.send("mejor color el martes")

    assert "Facu doesn't do color: only Lu does." in chat.text
    assert chat.state.draft.professional_id == 3


def test_asking_a_price_at_the_menu_answers_it() -> None:
    chat = EngineChat().send("hola")

    chat.send("cuánto sale el corte?")

    assert chat.state.step is Step.MENU
    assert "Corte: $\xa012.000 (30 min)" in chat.text


def test_asking_prices_mid_booking_answers_and_asks_again() -> None:
    chat = EngineChat().send("hola").tap("Book")

    chat.send("precios?")

    assert chat.state.step is Step.SERVICE
    assert "Our prices:" in chat.text
    assert "Color: $\xa025.000 (90 min)" in chat.text


def test_a_price_question_with_a_day_goes_on_to_book() -> None:
    chat = EngineChat().send("hola")

    chat.send("cuánto sale un corte con Tincho para mañana?")

    assert "Corte: $\xa012.000 (30 min)" in chat.text
    assert chat.state.step is Step.TIME
