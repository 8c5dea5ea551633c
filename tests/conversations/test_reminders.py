"""The reminder the bot sends before a turno, and what each of its answers does."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import translations
from conversations.commands import CancelBooking, FindDays, ReminderDue
from conversations.context import BookingView, Context
from conversations.state import Mode, State, Step
from tests.conversations.driver import EngineChat, context

THURSDAY_17 = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)  # 17:00 in Buenos Aires
TURNO = BookingView(41, 1, 1, THURSDAY_17, "confirmed", "cash")


def spanish(**changes: object) -> Context:
    """The engine's context in the shop's own language (es_AR)."""
    es = translations("es_AR")
    return context(gettext=es.gettext, ngettext=es.ngettext, locale="es_AR", **changes)


def reminded() -> EngineChat:
    """A customer with one turno, just reminded of it."""
    chat = EngineChat(ctx=spanish(upcoming=(TURNO,)))
    chat.send("hola")
    return chat.event(ReminderDue(TURNO.id))


def test_the_reminder_names_the_turno_and_offers_confirm_cancel_and_reschedule() -> None:
    """Service, professional and time, with the three answers and no Volver / Cancelar."""
    chat = reminded()

    assert chat.state.step is Step.REMINDER
    assert chat.state.draft.booking_id == TURNO.id
    for detail in ("Corte", "Tincho", "17:00"):
        assert detail in chat.text
    labels = [c.label for r in chat.replies for c in r.choices]
    assert labels == ["Confirmo", "Cancelar el turno", "Reprogramar"]


def test_confirming_thanks_and_goes_back_to_the_menu() -> None:
    """ "Confirmo": a warm word and the menu; nothing is asked of the runtime."""
    chat = reminded().tap("Confirmo")

    assert "te esperamos" in chat.text.lower()
    assert chat.state.step is Step.MENU
    assert chat.runtime.commands == []


def test_cancel_from_the_reminder_asks_once_with_the_policy_then_cancels() -> None:
    """ "Cancelar el turno": the cancellation policy, a yes, and the turno is cancelled."""
    chat = reminded().tap("Cancelar el turno")
    assert chat.state.step is Step.CONFIRM_CANCEL
    assert "sin cargo" in chat.text

    chat.tap("Sí")

    assert chat.runtime.commands == [CancelBooking(TURNO.id)]
    assert "cancelé" in chat.text


def test_reschedule_from_the_reminder_moves_that_turno() -> None:
    """ "Reprogramar": the same service and professional, new days to pick, in reschedule mode."""
    chat = reminded().tap("Reprogramar")

    assert chat.state.draft.mode is Mode.RESCHEDULE
    assert chat.state.draft.booking_id == TURNO.id
    assert chat.state.step is Step.DAY
    assert isinstance(chat.runtime.commands[0], FindDays)


def test_typed_answers_work_as_well() -> None:
    """ "confirmo", "cancelalo" and "pasalo para el viernes" read as the buttons would."""
    assert reminded().send("confirmo").state.step is Step.MENU
    assert reminded().send("cancelalo").state.step is Step.CONFIRM_CANCEL
    moved = reminded().send("pasalo para el viernes")
    assert moved.state.draft.mode is Mode.RESCHEDULE


def test_a_reminder_for_a_turno_no_longer_there_says_nothing() -> None:
    """Cancelled or moved since the reminder was planned: no message, the state untouched."""
    chat = EngineChat(ctx=spanish(upcoming=()))
    chat.send("hola")
    before = chat.state

    chat.event(ReminderDue(99))

    assert chat.replies == ()
    assert chat.state.step is before.step


def test_a_reminder_in_the_middle_of_a_booking_takes_over_and_the_chat_goes_on() -> None:
    """Half-way through booking another turno, the reminder becomes the question."""
    chat = EngineChat(ctx=spanish(upcoming=(TURNO,)))
    chat.send("hola").send("quiero un corte")
    chat.event(ReminderDue(TURNO.id))
    assert chat.state.step is Step.REMINDER

    chat.tap("Confirmo").send("quiero un corte")

    assert chat.state.step is not Step.REMINDER


def test_the_english_catalog_has_the_reminder_too() -> None:
    """English is the second locale."""
    english = translations("en")
    chat = EngineChat(
        ctx=context(
            upcoming=(TURNO,),
            gettext=english.gettext,
            ngettext=english.ngettext,
            locale="en",
        ),
        state=State(),
    )
    chat.send("hi")
    chat.event(ReminderDue(TURNO.id))

    assert "Reminder" in chat.text
    assert next(c.label for r in chat.replies for c in r.choices) == "I'll be there"


def test_a_message_about_something_else_is_read_at_the_menu_not_re_asked() -> None:
    """At the reminder, "mis turnos" lists them and "quiero sacar un turno" starts a booking;
    gibberish still gets the reminder's question again."""
    assert reminded().send("mis turnos").state.step is Step.MY_BOOKINGS
    assert reminded().send("quiero sacar un turno").state.step is Step.SERVICE
    again = reminded().send("asdf qwe")
    assert again.state.step is Step.REMINDER
    assert "no te entendí" in again.text
