"""WhatsApp translation: Twilio's webhook forms in, numbered text and content templates out."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.channels.whatsapp_format import (
    merge,
    numbered_text,
    one_line,
    outside_window_variables,
    parse_form,
    same_person,
    split_body,
    template_for,
    template_key,
    truncate,
    whatsapp_address,
)
from bot.i18n import translations
from conversations.messages import BACK, MENU, QUIT, Choice, Outgoing
from conversations.state import Step
from domain.errors import InvalidPhone
from tests.conversations.driver import EngineChat, context

SHOP_NUMBER = "whatsapp:+5491140001234"
JUAN = "whatsapp:+5491158749895"


def inbound_form(**changes: str) -> dict[str, str]:
    """An inbound text message as Twilio posts it (field set of a real WhatsApp webhook)."""
    form = {
        "SmsMessageSid": "SM5f4fe87cab971ed997b9dcfd0babfb5b",
        "NumMedia": "0",
        "ProfileName": "Juan Pérez",
        "MessageType": "text",
        "SmsSid": "SM5f4fe87cab971ed997b9dcfd0babfb5b",
        "WaId": "5491158749895",
        "SmsStatus": "received",
        "Body": "hola, ¿tenés turno mañana?",
        "To": SHOP_NUMBER,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": "SM5f4fe87cab971ed997b9dcfd0babfb5b",
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "From": JUAN,
        "ApiVersion": "2010-04-01",
    }
    form.update(changes)
    return form


# --- parse_form --------------------------------------------------------------------------------


def test_a_text_message_becomes_its_text_with_who_sent_it() -> None:
    inbound = parse_form(inbound_form())

    assert inbound is not None
    assert inbound.channel == "whatsapp"
    assert inbound.external_id == "SM5f4fe87cab971ed997b9dcfd0babfb5b"
    assert inbound.chat_id == JUAN
    assert inbound.user_id == "+5491158749895"
    assert inbound.to_address == SHOP_NUMBER
    assert inbound.first_name == "Juan Pérez"
    assert inbound.text == "hola, ¿tenés turno mañana?"
    assert inbound.choice_id is None


def test_a_photo_comes_as_its_media_url() -> None:
    """A receipt's photo: Twilio's first media URL is the attachment (none without media)."""
    url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    form = inbound_form(
        Body="", NumMedia="1", MediaUrl0=url, MediaContentType0="image/jpeg", MessageType="image"
    )

    inbound = parse_form(form)

    assert inbound is not None
    assert inbound.attachment == f"whatsapp:{url}"
    plain = parse_form(inbound_form())
    assert plain is not None
    assert plain.attachment is None


def test_a_quick_reply_tap_is_the_choice_in_its_payload() -> None:
    form = inbound_form(
        MessageType="button", Body="Confirmar", ButtonText="Confirmar", ButtonPayload="7.yes"
    )

    inbound = parse_form(form)

    assert inbound is not None
    assert inbound.choice_id == "7.yes"
    assert inbound.text == "Confirmar"


def test_a_list_pick_is_the_choice_in_its_list_id() -> None:
    form = inbound_form(
        MessageType="interactive",
        Body="Corte + barba · $ 18.0…",
        ListId="2.svc.3",
        ListTitle="Corte + barba · $ 18.0…",
    )

    inbound = parse_form(form)

    assert inbound is not None
    assert inbound.choice_id == "2.svc.3"


def test_a_tap_without_body_keeps_the_button_text() -> None:
    form = inbound_form(MessageType="button", Body="", ButtonText="Volver", ButtonPayload=BACK)

    inbound = parse_form(form)

    assert inbound is not None
    assert inbound.choice_id == BACK
    assert inbound.text == "Volver"


def test_media_without_a_body_re_prompts_with_empty_text() -> None:
    form = inbound_form(
        MessageType="image",
        Body="",
        NumMedia="1",
        MediaContentType0="image/jpeg",
        MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME01",
        MessageSid="MMff487f182469b2cbbf01866c5970dcee",
    )

    inbound = parse_form(form)

    assert inbound is not None
    assert inbound.text == ""
    assert inbound.choice_id is None
    assert inbound.external_id == "MMff487f182469b2cbbf01866c5970dcee"


def test_an_argentine_number_without_the_9_is_the_same_person_but_replied_to_as_sent() -> None:
    inbound = parse_form(inbound_form(From="whatsapp:+541158749895", WaId="541158749895"))

    assert inbound is not None
    assert inbound.chat_id == "whatsapp:+541158749895"
    assert inbound.user_id == "+5491158749895"


def test_a_foreign_number_is_kept_in_e164() -> None:
    inbound = parse_form(inbound_form(From="whatsapp:+34600111222", WaId="34600111222"))

    assert inbound is not None
    assert inbound.user_id == "+34600111222"


def test_an_unreadable_sender_falls_back_to_the_whatsapp_id() -> None:
    inbound = parse_form(inbound_form(From="whatsapp:abc"))

    assert inbound is not None
    assert inbound.chat_id == "whatsapp:abc"
    assert inbound.user_id == "+5491158749895"


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_a_form_without_sid_or_sender_is_not_a_message(missing: str) -> None:
    form = inbound_form()
    del form[missing]

    assert parse_form(form) is None


def test_a_delivery_status_callback_is_not_a_message() -> None:
    status = {
        "SmsSid": "SM0123",
        "SmsStatus": "delivered",
        "MessageStatus": "delivered",
        "ChannelToAddress": "+5491158749895",
        "To": JUAN,
        "ChannelPrefix": "whatsapp",
        "MessageSid": "SM0123",
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "From": SHOP_NUMBER,
        "ApiVersion": "2010-04-01",
    }

    assert parse_form(status) is None


def test_addresses_and_identity() -> None:
    assert whatsapp_address("+5491158749895") == JUAN
    assert whatsapp_address("011 15-5874-9895") == JUAN
    assert whatsapp_address(JUAN) == JUAN
    assert same_person("whatsapp:+541158749895", "+5491158749895")
    assert same_person("+54 9 11 5874-9895", JUAN)
    assert not same_person(JUAN, "whatsapp:+5491158749896")
    assert not same_person("whatsapp:abc", "whatsapp:abc")
    with pytest.raises(InvalidPhone):
        whatsapp_address("whatsapp:abc")


# --- numbered text, and the engine reading it back --------------------------------------------

Gettext = Callable[[str], str]


def english(text: str) -> str:
    return text


def spanish() -> Gettext:
    return translations("es_AR").gettext


def test_numbered_text_numbers_only_what_is_on_offer_and_names_the_way_out() -> None:
    outgoing = Outgoing(
        "¿Qué te hacés?",
        (
            Choice("2.svc.1", "Corte"),
            Choice("2.svc.2", "Barba"),
            Choice(BACK, "Volver"),
            Choice(QUIT, "Cancelar"),
        ),
    )

    assert numbered_text(outgoing, english) == (
        "¿Qué te hacés?\n\n"
        "1. Corte\n"
        "2. Barba\n\n"
        'Reply with the number of your choice, or write "Volver" or "Cancelar".'
    )


def test_numbered_text_without_navigation_has_no_closing_line() -> None:
    outgoing = Outgoing("¿Qué querés hacer?", (Choice("1.book", "Reservar"),))

    assert numbered_text(outgoing, english) == "¿Qué querés hacer?\n\n1. Reservar"
    assert numbered_text(Outgoing("Listo"), english) == "Listo"


@pytest.mark.parametrize(
    ("navigation", "closing"),
    [
        ((Choice(MENU, "Menú"),), 'Reply with the number of your choice, or write "Menú".'),
        (
            (Choice(BACK, "Volver"), Choice(QUIT, "Cancelar"), Choice(MENU, "Menú")),
            'Reply with the number of your choice, or write "Volver", "Cancelar" or "Menú".',
        ),
    ],
)
def test_the_closing_line_names_every_way_out(navigation: tuple[Choice, ...], closing: str) -> None:
    text = numbered_text(Outgoing("¿Y?", (Choice("1.a", "A"), *navigation)), english)

    assert text.endswith("\n\n" + closing)


def test_only_navigation_is_offered_without_numbers() -> None:
    outgoing = Outgoing("No hay turnos.", (Choice(BACK, "Volver"), Choice(QUIT, "Cancelar")))

    assert numbered_text(outgoing, english) == 'No hay turnos.\n\nWrite "Volver" or "Cancelar".'
    assert numbered_text(Outgoing("x", (Choice(MENU, "Menú"),)), english) == 'x\n\nWrite "Menú".'


def at_menu(gettext: Gettext) -> EngineChat:
    return EngineChat(ctx=context(gettext=gettext)).send("hola")


def at_service(gettext: Gettext) -> EngineChat:
    return at_menu(gettext).tap_first()


def at_professional(gettext: Gettext) -> EngineChat:
    return at_service(gettext).tap_first()


def at_day(gettext: Gettext) -> EngineChat:
    return at_professional(gettext).tap_first()


def at_time(gettext: Gettext) -> EngineChat:
    return at_day(gettext).tap_first()


def at_payment(gettext: Gettext) -> EngineChat:
    return at_time(gettext).tap_first()


def at_confirm(gettext: Gettext) -> EngineChat:
    return at_payment(gettext).tap_first()


STEPS: dict[Step, Callable[[Gettext], EngineChat]] = {
    Step.MENU: at_menu,
    Step.SERVICE: at_service,
    Step.PROFESSIONAL: at_professional,
    Step.DAY: at_day,
    Step.TIME: at_time,
    Step.PAYMENT: at_payment,
    Step.CONFIRM: at_confirm,
}
NUMBERED = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


@pytest.mark.parametrize("locale", ["en", "es_AR"])
@pytest.mark.parametrize("step", list(STEPS))
def test_typing_a_shown_number_picks_the_choice_shown_with_it(step: Step, locale: str) -> None:
    gettext = english if locale == "en" else spanish()
    chat = STEPS[step](gettext)
    assert chat.state.step is step
    text = numbered_text(merge(chat.replies), gettext)
    shown = [(int(n), label) for n, label in NUMBERED.findall(text)]
    assert [n for n, _ in shown] == list(range(1, len(shown) + 1))
    assert shown, text

    for number, label in shown:
        typed = STEPS[step](gettext).send(str(number))
        tapped = STEPS[step](gettext)
        tapped.send(choice_id=next(c.id for c in tapped.state.choices if c.label == label))

        assert typed.state == tapped.state, (number, label)
        assert typed.replies == tapped.replies


@pytest.mark.parametrize("locale", ["en", "es_AR"])
@pytest.mark.parametrize("step", [Step.SERVICE, Step.DAY, Step.CONFIRM])
def test_writing_a_word_from_the_closing_line_goes_back_or_out(step: Step, locale: str) -> None:
    gettext = english if locale == "en" else spanish()
    chat = STEPS[step](gettext)
    closing = numbered_text(merge(chat.replies), gettext).rsplit("\n\n", 1)[1]
    named = re.findall(r'["«]([^"»]+)["»]', closing)
    navigation = {c.label: c.id for c in chat.state.choices if c.id in {BACK, QUIT, MENU}}
    assert named == list(navigation)

    for label, choice_id in navigation.items():
        written = STEPS[step](gettext).send(label.lower())
        tapped = STEPS[step](gettext).send(choice_id=choice_id)

        assert written.state == tapped.state, label
        assert written.replies == tapped.replies


def test_merge_joins_a_turns_replies_and_keeps_the_last_choices() -> None:
    first = Outgoing("¡Hola, Juan!")
    asked = Outgoing("¿Qué querés hacer?", (Choice("1.book", "Reservar"),))
    after = Outgoing("")

    merged = merge([first, asked, after])

    assert merged == Outgoing("¡Hola, Juan!\n\n¿Qué querés hacer?", asked.choices)
    assert merge([]) == Outgoing("")
    later = Outgoing("Elegí otro", (Choice("2.x", "Otro"),))
    assert merge([asked, later]).choices == later.choices


def test_a_real_turn_merges_into_one_numbered_message() -> None:
    chat = EngineChat().send("hola")
    assert len(chat.replies) == 2

    text = numbered_text(merge(chat.replies), english)

    assert text == (
        "Hi, Juan!\n\nWhat would you like to do?\n\n"
        "1. Book a turno\n2. My turnos\n3. Talk to someone at the shop\n4. Help"
    )


def test_split_body_keeps_short_bodies_whole() -> None:
    assert split_body("Listo, te reservé el turno") == ["Listo, te reservé el turno"]


def test_split_body_cuts_long_bodies_at_line_breaks_under_twilios_limit() -> None:
    lines = [f"{n}. Sábado {n} de diciembre, 10:30 con Tincho" for n in range(100)]
    text = "\n".join(lines)

    parts = split_body(text)

    assert len(parts) > 1
    assert all(len(p) <= 1600 for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines


def test_split_body_cuts_a_line_with_no_spaces_anywhere() -> None:
    parts = split_body("x" * 4000)

    assert [len(p) for p in parts] == [1600, 1600, 800]


# --- content templates -------------------------------------------------------------------------

TEMPLATES = {
    "quick_reply_1": "HX00000000000000000000000000000001",
    "quick_reply_2": "HX00000000000000000000000000000002",
    "quick_reply_3": "HX00000000000000000000000000000003",
    **{f"list_picker_{n}": f"HX0000000000000000000000000000{n:04d}" for n in range(4, 11)},
}


def test_template_keys_count_every_choice_navigation_included() -> None:
    assert [template_key(n) for n in range(12)] == [
        None,
        "quick_reply_1",
        "quick_reply_2",
        "quick_reply_3",
        *(f"list_picker_{n}" for n in range(4, 11)),
        None,
    ]


def test_three_choices_go_as_a_quick_reply() -> None:
    outgoing = Outgoing(
        "¿Cancelo el turno del martes?",
        (Choice("9.yes", "Sí, cancelalo"), Choice(BACK, "Volver"), Choice(MENU, "Menú")),
    )

    assert template_for(outgoing, TEMPLATES) == (
        "HX00000000000000000000000000000003",
        {
            "1": "¿Cancelo el turno del martes?",
            "2": "Sí, cancelalo",
            "3": "9.yes",
            "4": "Volver",
            "5": BACK,
            "6": "Menú",
            "7": MENU,
        },
    )


def test_the_service_question_goes_as_a_list_picker_with_labels_cut_to_fit() -> None:
    question = EngineChat().send("hola").tap("Book").replies[-1]
    assert len(question.choices) == 7

    found = template_for(question, TEMPLATES)

    assert found is not None
    sid, variables = found
    assert sid == TEMPLATES["list_picker_7"]
    assert variables["1"] == "What would you like to book?"
    assert len(variables) == 1 + 2 * 7
    assert [variables[str(2 * n + 1)] for n in range(1, 8)] == [c.id for c in question.choices]
    labels = [variables[str(2 * n)] for n in range(1, 8)]
    assert labels[0] == "Corte · $\xa012.000"
    assert labels[4] == "Clase de barbería (grup…"
    assert all(len(label) <= 24 for label in labels)


def test_quick_reply_titles_are_cut_to_twenty_characters() -> None:
    outgoing = Outgoing("¿Confirmás?", (Choice("7.yes", "Confirmar el turno del martes"),))

    found = template_for(outgoing, TEMPLATES)

    assert found is not None
    assert found[1]["2"] == "Confirmar el turno…"  # 20 characters, less the space before "…"


def test_a_multi_line_body_goes_on_one_line() -> None:
    summary = (
        "Corte with Tincho\nMartes 1 de diciembre, 10:00\nPrice: $\xa012.000\n\nIs that right?"
    )
    outgoing = Outgoing(summary, (Choice("7.yes", "Confirm"), Choice(QUIT, "Cancel")))

    found = template_for(outgoing, TEMPLATES)

    assert found is not None
    assert found[1]["1"] == (
        "Corte with Tincho · Martes 1 de diciembre, 10:00 · Price: $\xa012.000 · Is that right?"
    )


def test_no_template_when_none_is_configured_or_there_are_too_many_choices() -> None:
    two = Outgoing("¿Sí o no?", (Choice("1.y", "Sí"), Choice("1.n", "No")))
    eleven = Outgoing("Elegí", tuple(Choice(f"5.slot.{n}", f"1{n}:00") for n in range(11)))
    none = Outgoing("Listo")

    assert template_for(two, {"quick_reply_3": "HX3"}) is None
    assert template_for(two, {}) is None
    assert template_for(eleven, {**TEMPLATES, "list_picker_11": "HX11"}) is None
    assert template_for(none, TEMPLATES) is None


def test_no_template_for_what_twilio_would_refuse() -> None:
    empty_body = Outgoing("", (Choice("1.y", "Sí"),))
    long_body = Outgoing("x" * 1025, (Choice("1.y", "Sí"),))
    long_id = Outgoing("¿Sí?", (Choice("y" * 201, "Sí"),))

    assert template_for(empty_body, TEMPLATES) is None
    assert template_for(long_body, TEMPLATES) is None
    assert template_for(long_id, TEMPLATES) is None


def test_the_time_question_is_too_long_for_a_list_and_goes_as_numbered_text() -> None:
    question = EngineChat().send("hola").tap("Book").tap("Corte ·").tap("Tincho").tap_first()
    assert question.state.step is Step.TIME

    assert len(question.replies[-1].choices) > 10
    assert template_for(question.replies[-1], TEMPLATES) is None


def test_outside_window_variables_are_one_line_and_fit_the_template() -> None:
    text = "Recordatorio:\nmañana\tmartes 1 de diciembre,    10:00 con Tincho"

    assert outside_window_variables(text) == {
        "1": "Recordatorio: mañana martes 1 de diciembre, 10:00 con Tincho"
    }
    long = outside_window_variables("palabra " * 500)["1"]
    assert len(long) <= 900
    assert long.endswith("…")
    with pytest.raises(ValueError, match="empty"):
        outside_window_variables(" \n ")


def test_one_line_and_truncate() -> None:
    assert one_line("Hola!\nElegí:\n\nCorte\nBarba") == "Hola! Elegí: Corte · Barba"
    assert truncate("Corte", 5) == "Corte"
    assert truncate("Corte de pelo", 6) == "Corte…"
