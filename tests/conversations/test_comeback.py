"""Comeback nudges in the engine: the question after a visit, the offer of times, the answers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import translations
from conversations.commands import AnswerComeback, ComebackAsk, ComebackDue, FreeSlot
from conversations.context import BookingView, Context
from conversations.state import Step
from tests.conversations.driver import EngineChat, context

THURSDAY_17 = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)  # 17:00 in Buenos Aires
LAST = BookingView(3, 1, 1, datetime(2026, 11, 5, 20, 0, tzinfo=UTC), "completed", "cash")


def spanish() -> Context:
    es = translations("es_AR")
    return context(gettext=es.gettext, ngettext=es.ngettext, locale="es_AR", last_booking=LAST)


def asked() -> EngineChat:
    return EngineChat(ctx=spanish()).send("hola").event(ComebackAsk())


def offered(*slots: FreeSlot, weeks: int = 4) -> EngineChat:
    return EngineChat(ctx=spanish()).send("hola").event(ComebackDue(1, 1, weeks, slots))


def test_the_question_thanks_by_name_and_a_yes_or_no_is_remembered() -> None:
    chat = asked()
    assert chat.state.step is Step.COMEBACK_ASK
    assert chat.text.startswith("¡Gracias por venir")
    assert asked().tap("Sí, avisame").runtime.commands[-1] == AnswerComeback(True)
    assert asked().send("no").runtime.commands[-1] == AnswerComeback(False)
    assert asked().send("dale").runtime.commands[-1] == AnswerComeback(True)


def test_anything_else_asks_again() -> None:
    chat = asked().send("asdf qwe")
    assert chat.state.step is Step.COMEBACK_ASK
    assert not any(isinstance(c, AnswerComeback) for c in chat.runtime.commands)


def test_a_time_from_the_offer_goes_straight_to_confirm_with_last_times_payment() -> None:
    chat = offered(FreeSlot(THURSDAY_17, 1, 1))
    assert "Ya pasaron 4 semanas desde tu último Corte con Tincho" in chat.text
    chat.tap("jueves 3 de diciembre, 17:00")

    assert chat.state.step is Step.CONFIRM
    assert chat.state.draft.slot is not None
    assert chat.state.draft.slot.start == THURSDAY_17
    assert chat.state.draft.payment_method == "cash"


def test_one_week_reads_in_the_singular_and_no_times_offers_to_look() -> None:
    chat = offered(weeks=1)
    assert "Ya pasó una semana" in chat.text
    assert next(c.label for r in chat.replies for c in r.choices) == "Sí, buscame uno"
    assert chat.tap("Sí, buscame uno").state.step is Step.DAY


def test_another_day_a_named_day_not_now_and_stop() -> None:
    slot = FreeSlot(THURSDAY_17, 1, 1)
    assert offered(slot).tap("Otro día u horario").state.step is Step.DAY
    named = offered(slot).send("el viernes a las 11")
    assert named.state.step in (Step.TIME, Step.CONFIRM)
    assert named.state.draft.service_id == 1
    later = offered(slot).tap("Ahora no")
    assert later.state.step is Step.MENU
    assert not any(isinstance(c, AnswerComeback) for c in later.runtime.commands)
    stop = offered(slot).tap("No me avises más")
    assert stop.runtime.commands[-1] == AnswerComeback(False)
    assert stop.state.step is Step.MENU
