"""The customer's waitlist entries from chat: listed with days and hours, left one by one."""

from __future__ import annotations

from datetime import date, time

from bot.i18n import translations
from conversations.commands import LeaveWaitlist, ListWaitlist, Waiting
from conversations.context import Context
from conversations.state import Step
from tests.conversations.driver import EngineChat, context

WITH_TINCHO = Waiting(4, 1, 1, date(2026, 12, 2), date(2026, 12, 2), (time(18), time(20)))
ANY_WEEK = Waiting(9, 1, None, date(2026, 12, 2), date(2026, 12, 9), None)


def spanish() -> Context:
    es = translations("es_AR")
    return context(gettext=es.gettext, ngettext=es.ngettext, locale="es_AR")


def listing(*entries: Waiting, ask: str = "mis esperas") -> EngineChat:
    chat = EngineChat(ctx=spanish()).send("hola")
    chat.runtime.waiting = entries
    return chat.send(ask)


def test_the_list_names_each_entry_with_its_days_and_hours() -> None:
    chat = listing(WITH_TINCHO, ANY_WEEK)

    assert chat.state.step is Step.MY_WAITLIST
    assert chat.runtime.commands[-1] == ListWaitlist()
    assert "• Corte con Tincho, el miércoles 2 de diciembre, entre 18:00 y 20:00" in chat.text
    assert "• Corte, del 2/12 al 9/12" in chat.text
    labels = [c.label for r in chat.replies for c in r.choices]
    assert labels == ["Salir: Corte, 2/12", "Salir: Corte, 2/12–9/12", "Dejarlas así"]


def test_leaving_one_asks_the_runtime_and_goes_back_to_the_menu() -> None:
    chat = listing(WITH_TINCHO, ANY_WEEK).tap("Salir: Corte, 2/12–9/12")

    assert chat.runtime.commands[-1] == LeaveWaitlist(ANY_WEEK.id)
    assert chat.runtime.waiting == (WITH_TINCHO,)
    assert chat.state.step is Step.MENU


def test_with_one_entry_a_typed_sacame_leaves_it() -> None:
    chat = listing(WITH_TINCHO).send("sacame")

    assert chat.runtime.commands[-1] == LeaveWaitlist(WITH_TINCHO.id)


def test_keeping_them_or_saying_no_changes_nothing() -> None:
    for answer in ("Dejarlas así", "no"):
        chat = listing(WITH_TINCHO).send(answer)
        assert chat.state.step is Step.MENU
        assert not any(isinstance(c, LeaveWaitlist) for c in chat.runtime.commands)
        assert "seguís en la lista de espera" in chat.text


def test_something_else_lists_them_again() -> None:
    chat = listing(WITH_TINCHO).send("asdf qwe")

    assert chat.state.step is Step.MY_WAITLIST
    assert "Estás en lista de espera para:" in chat.text


def test_nobody_waiting_is_told_so_at_the_menu() -> None:
    chat = listing(ask="sacame de la lista de espera")

    assert chat.state.step is Step.MENU
    assert "No estás en ninguna lista de espera" in chat.text


def test_asking_to_join_with_a_service_and_day_still_books_not_lists() -> None:
    chat = listing(WITH_TINCHO, ask="anotame en la lista de espera para corte el sábado")

    assert chat.state.step is not Step.MY_WAITLIST
