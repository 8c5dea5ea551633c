"""A freed slot offered from the waitlist: the offer, and what each answer does."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import translations
from conversations.commands import AcceptOffer, DeclineOffer, Failed, SlotOffered
from conversations.context import BookingView, Context
from conversations.engine import handle
from conversations.state import Step
from tests.conversations.driver import EngineChat, context

THURSDAY_17 = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)  # 17:00 in Buenos Aires
HELD = BookingView(51, 1, 1, THURSDAY_17, "held", None)


def spanish(**changes: object) -> Context:
    """The engine's context in the shop's own language (es_AR)."""
    es = translations("es_AR")
    return context(gettext=es.gettext, ngettext=es.ngettext, locale="es_AR", **changes)


def offered() -> EngineChat:
    """A customer in the middle of a booking, offered a held slot."""
    chat = EngineChat(ctx=spanish(upcoming=(HELD,)))
    chat.send("hola").send("quiero un corte")
    return chat.event(SlotOffered(HELD.id))


def test_the_offer_names_the_slot_and_offers_take_or_pass() -> None:
    """Service, professional and time, with "¡Lo quiero!" / "No, gracias" and no navigation."""
    chat = offered()

    assert chat.state.step is Step.SLOT_OFFER
    assert chat.state.draft.booking_id == HELD.id
    for detail in ("Corte", "Tincho", "17:00", "Se liberó"):
        assert detail in chat.text
    assert [c.label for r in chat.replies for c in r.choices] == ["¡Lo quiero!", "No, gracias"]


def test_taking_it_asks_the_runtime_to_confirm_the_hold() -> None:
    """ "¡Lo quiero!": AcceptOffer, then "el turno es tuyo" and the menu."""
    chat = offered().tap("¡Lo quiero!")

    assert chat.runtime.commands == [AcceptOffer(HELD.id)]
    assert "es tuyo" in chat.text
    assert chat.state.step is Step.MENU


def test_a_typed_yes_takes_it_too() -> None:
    chat = offered().send("sí, dale")

    assert chat.runtime.commands == [AcceptOffer(HELD.id)]


def test_passing_lets_it_go_to_the_next_one() -> None:
    """ "No, gracias": DeclineOffer, a kind word and the menu."""
    chat = offered().tap("No, gracias")

    assert chat.runtime.commands == [DeclineOffer(HELD.id)]
    assert "otra persona" in chat.text
    assert chat.state.step is Step.MENU


def test_a_typed_no_or_cancel_passes() -> None:
    assert offered().send("no").runtime.commands == [DeclineOffer(HELD.id)]
    assert offered().send("cancelar").runtime.commands == [DeclineOffer(HELD.id)]


def test_anything_else_asks_again() -> None:
    chat = offered().send("asdf qwe")

    assert chat.state.step is Step.SLOT_OFFER
    assert chat.runtime.commands == []
    assert "Se liberó" in chat.text


def test_too_late_says_so() -> None:
    """The hold ran out before the tap: a polite word and the menu."""
    chat = offered()  # the runtime answers AcceptOffer while the step is still the offer
    reply = handle(chat.state, Failed("hold_expired"), chat.ctx)

    assert reply.state.step is Step.MENU
    assert "se venció" in "\n".join(m.text for m in reply.messages)


def test_an_offer_whose_hold_is_gone_says_nothing() -> None:
    """The booking is no longer held (taken back meanwhile): no message, the step stays."""
    chat = EngineChat(ctx=spanish(upcoming=())).send("hola")

    chat.event(SlotOffered(HELD.id))

    assert chat.replies == ()
    assert chat.state.step is Step.MENU
