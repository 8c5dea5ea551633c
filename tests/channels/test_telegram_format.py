"""Telegram translation: real update JSON in, inline keyboards and outbox payloads out."""

from __future__ import annotations

import inspect
import json
import random
from datetime import timedelta
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from bot.channels.start_links import parse_start_payload
from bot.channels.telegram_format import (
    GREETING,
    contact_keyboard,
    deep_link,
    from_payload,
    inline_keyboard,
    markup_from_payload,
    parse_update,
    payload_parts,
    remove_keyboard,
    split_text,
    to_payload,
)
from conversations.context import BookingView
from conversations.messages import BACK, MENU, QUIT, Choice, Outgoing
from conversations.state import Step
from tests.conversations.driver import NOW, EngineChat, context

JUAN = {
    "id": 111222333,
    "is_bot": False,
    "first_name": "Juan",
    "last_name": "Pérez",
    "username": "juanperez",
    "language_code": "es",
}
BOT = {
    "id": 999888777,
    "is_bot": True,
    "first_name": "Barbería Don Julio",
    "username": "DonJulioBot",
}
PRIVATE = {
    "id": 111222333,
    "first_name": "Juan",
    "last_name": "Pérez",
    "username": "juanperez",
    "type": "private",
}
GROUP = {"id": -1001234567890, "title": "Clientes Don Julio", "type": "supergroup"}
DATE = 1_764_590_400


def message_update(update_id: int = 500_000_001, **fields: Any) -> Update:
    message = {"message_id": 42, "from": JUAN, "chat": PRIVATE, "date": DATE, **fields}
    return Update.de_json({"update_id": update_id, "message": message}, None)


def command(text: str) -> dict[str, Any]:
    name = text.split()[0]
    return {"text": text, "entities": [{"offset": 0, "length": len(name), "type": "bot_command"}]}


def callback_update(data: str | None = "2.svc.1", **message: Any) -> Update:
    query: dict[str, Any] = {
        "id": "4382bfdwdsb323b2d9",
        "from": JUAN,
        "chat_instance": "-6453112487283725301",
    }
    if data is not None:
        query["data"] = data
    if message:
        query["message"] = message
    else:
        query["inline_message_id"] = "AAAAAHbzAQBtDcYm1V6Ki8mXOPE"
    return Update.de_json({"update_id": 500_000_003, "callback_query": query}, None)


BOT_MESSAGE = {
    "message_id": 77,
    "from": BOT,
    "chat": PRIVATE,
    "date": DATE,
    "text": "What would you like to book?",
    "reply_markup": {"inline_keyboard": [[{"text": "Corte", "callback_data": "2.svc.1"}]]},
}


# --- parse_update ----------------------------------------------------------------------------


def test_a_text_message_becomes_its_text_with_who_sent_it() -> None:
    inbound = parse_update(message_update(text="¿tenés algo mañana a la tarde?"))

    assert inbound is not None
    assert inbound.channel == "telegram"
    assert inbound.external_id == "500000001"
    assert inbound.chat_id == "111222333"
    assert inbound.user_id == "111222333"
    assert inbound.first_name == "Juan"
    assert inbound.language_code == "es"
    assert inbound.text == "¿tenés algo mañana a la tarde?"
    assert inbound.choice_id is None
    assert inbound.start_payload is None


def test_start_with_a_payload_carries_the_payload_and_no_text() -> None:
    inbound = parse_update(message_update(**command("/start shop_don-julio")))

    assert inbound is not None
    assert inbound.start_payload == "shop_don-julio"
    assert inbound.text == ""
    assert parse_start_payload(inbound.start_payload) == ("shop", "don-julio")


@pytest.mark.parametrize("text", ["/start", "/start@DonJulioBot", "/start no vale!"])
def test_a_bare_or_unreadable_start_is_a_greeting(text: str) -> None:
    inbound = parse_update(message_update(**command(text)))

    assert inbound is not None
    assert inbound.text == GREETING
    assert inbound.start_payload is None


def test_other_commands_pass_as_text_for_the_engine() -> None:
    inbound = parse_update(message_update(**command("/cancelar")))

    assert inbound is not None
    assert inbound.text == "/cancelar"


def test_a_tapped_button_is_the_choice_with_the_query_to_answer() -> None:
    inbound = parse_update(callback_update("2.svc.1", **BOT_MESSAGE))

    assert inbound is not None
    assert inbound.choice_id == "2.svc.1"
    assert inbound.text == ""
    assert inbound.callback_query_id == "4382bfdwdsb323b2d9"
    assert inbound.message_id == 77
    assert inbound.chat_id == "111222333"
    assert inbound.user_id == "111222333"
    assert inbound.external_id == "500000003"


def test_a_tap_on_an_inaccessible_message_has_no_message_to_edit() -> None:
    inaccessible = {"chat": PRIVATE, "message_id": 77, "date": 0}

    inbound = parse_update(callback_update("2.svc.1", **inaccessible))

    assert inbound is not None
    assert inbound.choice_id == "2.svc.1"
    assert inbound.chat_id == "111222333"
    assert inbound.message_id is None


def test_a_tap_without_a_message_answers_the_person_privately() -> None:
    inbound = parse_update(callback_update("2.svc.1"))

    assert inbound is not None
    assert inbound.chat_id == str(JUAN["id"])
    assert inbound.message_id is None
    assert inbound.callback_query_id == "4382bfdwdsb323b2d9"


def test_a_tap_in_a_group_is_ignored() -> None:
    assert parse_update(callback_update("2.svc.1", **{**BOT_MESSAGE, "chat": GROUP})) is None


def test_a_callback_without_data_re_prompts() -> None:
    inbound = parse_update(callback_update(None, **BOT_MESSAGE))

    assert inbound is not None
    assert inbound.choice_id is None
    assert inbound.callback_query_id == "4382bfdwdsb323b2d9"


def test_the_persons_own_contact_gives_their_phone_in_e164() -> None:
    contact = {
        "phone_number": "5491158749895",
        "first_name": "Juan",
        "last_name": "Pérez",
        "user_id": JUAN["id"],
    }

    inbound = parse_update(message_update(contact=contact))

    assert inbound is not None
    assert inbound.contact_phone == "+5491158749895"
    assert inbound.text == ""


def test_a_foreign_own_contact_keeps_its_international_number() -> None:
    contact = {"phone_number": "+34 600 111 222", "first_name": "Juan", "user_id": JUAN["id"]}

    inbound = parse_update(message_update(contact=contact))

    assert inbound is not None
    assert inbound.contact_phone == "+34600111222"


@pytest.mark.parametrize("user_id", [444555666, None])
def test_someone_elses_contact_is_not_taken_as_the_persons_phone(user_id: int | None) -> None:
    contact: dict[str, Any] = {"phone_number": "5491144445555", "first_name": "Tía Marta"}
    if user_id is not None:
        contact["user_id"] = user_id

    inbound = parse_update(message_update(contact=contact))

    assert inbound is not None
    assert inbound.contact_phone is None
    assert inbound.text == ""


def test_a_group_message_is_ignored() -> None:
    assert parse_update(message_update(chat=GROUP, text="hola")) is None


def test_a_channel_post_is_ignored() -> None:
    channel = {"id": -1009876543210, "title": "Novedades", "type": "channel"}
    post = {"message_id": 5, "chat": channel, "date": DATE, "text": "Promo"}

    assert parse_update(Update.de_json({"update_id": 9, "channel_post": post}, None)) is None


def test_an_edited_message_is_ignored() -> None:
    edited = {
        "message_id": 42,
        "from": JUAN,
        "chat": PRIVATE,
        "date": DATE,
        "edit_date": DATE + 30,
        "text": "mejor el jueves",
    }

    assert parse_update(Update.de_json({"update_id": 10, "edited_message": edited}, None)) is None


def test_a_sticker_re_prompts_with_empty_text() -> None:
    sticker = {
        "file_id": "CAACAgIAAxkBAAIBY2ZpZ3Q",
        "file_unique_id": "AgADmQADTlzSKQ",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "💈",
    }

    inbound = parse_update(message_update(sticker=sticker))

    assert inbound is not None
    assert inbound.text == ""
    assert inbound.chat_id == "111222333"


def test_a_photo_is_read_by_its_caption_or_re_prompts_without_one() -> None:
    photo = [{"file_id": "AgACAgEAAxkBAAIB", "file_unique_id": "AQADq", "width": 90, "height": 90}]

    with_caption = parse_update(message_update(photo=photo, caption="así lo quiero"))
    without = parse_update(message_update(photo=photo))

    assert with_caption is not None
    assert with_caption.text == "así lo quiero"
    assert without is not None
    assert without.text == ""


def test_a_service_event_in_the_chat_says_nothing() -> None:
    pinned = {"message_id": 40, "chat": PRIVATE, "date": 0}

    assert parse_update(message_update(pinned_message=pinned)) is None


def chat_member_update(new_status: str) -> Update:
    member: dict[str, Any] = {"user": BOT, "status": new_status}
    if new_status == "kicked":
        member["until_date"] = 0
    change = {
        "chat": PRIVATE,
        "from": JUAN,
        "date": DATE,
        "old_chat_member": {"user": BOT, "status": "member"},
        "new_chat_member": member,
    }
    return Update.de_json({"update_id": 11, "my_chat_member": change}, None)


def test_unblocking_the_bot_re_prompts_and_blocking_it_is_ignored() -> None:
    unblocked = parse_update(chat_member_update("member"))

    assert unblocked is not None
    assert unblocked.text == ""
    assert unblocked.chat_id == "111222333"
    assert parse_update(chat_member_update("kicked")) is None


def test_an_update_without_a_chat_is_ignored() -> None:
    query = {"id": "8837", "from": JUAN, "query": "corte", "offset": ""}

    assert parse_update(Update.de_json({"update_id": 12, "inline_query": query}, None)) is None


# --- start payloads and deep links -------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("shop_don-julio", ("shop", "don-julio")),
        ("ref_AB12cd", ("ref", "AB12cd")),
        ("link_x_9-Z", ("link", "x_9-Z")),
        ("shop_", None),
        ("shop", None),
        ("promo_verano", None),
        ("shop_don julio", None),
        ("shop_ñandú", None),
        ("shop_" + "a" * 59, ("shop", "a" * 59)),
        ("shop_" + "a" * 60, None),
        ("", None),
    ],
)
def test_start_payloads(payload: str, expected: tuple[str, str] | None) -> None:
    assert parse_start_payload(payload) == expected


def test_deep_links_parse_back() -> None:
    url = deep_link("@DonJulioBot", "shop", "don-julio")

    assert url == "https://t.me/DonJulioBot?start=shop_don-julio"
    assert parse_start_payload(url.partition("start=")[2]) == ("shop", "don-julio")


@pytest.mark.parametrize(("kind", "value"), [("promo", "x"), ("shop", "con espacio"), ("ref", "")])
def test_deep_links_refuse_what_would_not_parse_back(kind: str, value: str) -> None:
    with pytest.raises(ValueError, match="start payload"):
        deep_link("DonJulioBot", kind, value)


# --- keyboards ---------------------------------------------------------------------------------


def layout(markup: InlineKeyboardMarkup | None) -> list[list[tuple[str, str | None]]]:
    assert markup is not None
    return [
        [(b.text, b.callback_data if isinstance(b.callback_data, str) else None) for b in row]
        for row in markup.inline_keyboard
    ]


def test_short_labels_pair_up_long_ones_stand_alone_and_navigation_closes() -> None:
    chat = EngineChat().send("hola").tap("Book")
    question = chat.replies[-1]

    rows = layout(inline_keyboard(question.choices))

    assert [[label for label, _ in row] for row in rows] == [
        ["Corte · $\xa012.000", "Barba · $\xa08.000"],
        ["Corte + barba · $\xa018.000"],
        ["Color · $\xa025.000"],
        ["Clase de barbería (grupal) · $\xa030.000"],
        ["Back", "Cancel"],
    ]
    assert [data for row in rows for _, data in row] == [c.id for c in question.choices]


def test_navigation_goes_last_wherever_it_was_offered() -> None:
    choices = (
        Choice(MENU, "Menú"),
        Choice("1.a", "Sí"),
        Choice(BACK, "Volver"),
        Choice("1.b", "No"),
        Choice("1.c", "Otro"),
        Choice(QUIT, "Cancelar"),
    )

    assert layout(inline_keyboard(choices)) == [
        [("Sí", "1.a"), ("No", "1.b")],
        [("Otro", "1.c")],
        [("Menú", MENU), ("Volver", BACK), ("Cancelar", QUIT)],
    ]


def test_no_choices_no_keyboard() -> None:
    assert inline_keyboard(()) is None


@pytest.mark.parametrize("choice_id", ["", "x" * 65, "ñ" * 33])
def test_a_choice_id_telegram_cannot_carry_is_refused(choice_id: str) -> None:
    with pytest.raises(ValueError, match="callback_data"):
        inline_keyboard((Choice(choice_id, "Corte"),))


def test_a_choice_id_of_exactly_64_bytes_fits() -> None:
    markup = inline_keyboard((Choice("ñ" * 32, "Corte"),))

    assert layout(markup) == [[("Corte", "ñ" * 32)]]


def every_offered_choice(chats: list[EngineChat], taps: int, seed: int) -> list[Choice]:
    """Tap at random through whole conversations, collecting every choice offered."""
    rng = random.Random(seed)
    seen: list[Choice] = []
    for chat in chats:
        for _turn in range(taps):
            choices = [c for r in chat.replies for c in r.choices]
            seen += choices
            for reply in chat.replies:
                inline_keyboard(reply.choices)  # raises on an id Telegram cannot carry
            if choices:
                chat.send(choice_id=rng.choice(choices).id)
            else:
                chat.send("hola")
    return seen


def test_every_choice_id_of_a_full_booking_fits_in_callback_data() -> None:
    chat = EngineChat().send("hola")
    seen = [c for r in chat.replies for c in r.choices]
    for label in ("Book", "Corte ·", "Tincho"):
        chat.tap(label)
        seen += [c for r in chat.replies for c in r.choices]
    while chat.state.step is not Step.MENU:
        chat.tap_first()
        seen += [c for r in chat.replies for c in r.choices]
    assert "booked" in chat.text

    assert seen
    assert all(1 <= len(c.id.encode("utf-8")) <= 64 for c in seen)


def test_every_choice_id_the_demo_conversation_offers_fits_in_callback_data() -> None:
    upcoming = BookingView(7, 1, 1, NOW + timedelta(days=1), "confirmed", "cash")
    chats = [
        EngineChat().send("hola"),
        EngineChat(ctx=context(upcoming=(upcoming,), last_booking=upcoming)).send("hola"),
        EngineChat(ctx=context(customer_name=None)).send("hola").send("Nico"),
    ]

    seen = every_offered_choice(chats, taps=150, seed=20261201)

    ids = {c.id for c in seen}
    assert len(ids) > 100, "the walk should reach far into the flows"
    assert max(len(i.encode("utf-8")) for i in ids) <= 64
    assert {BACK, QUIT} <= ids


# --- text, render, payloads -------------------------------------------------------------------


def test_split_text_keeps_short_texts_whole() -> None:
    assert split_text("Elegí un horario") == ["Elegí un horario"]


def test_split_text_cuts_at_line_breaks_within_the_limit() -> None:
    lines = [f"{n}. Martes {n} de diciembre, 10:00" for n in range(400)]
    text = "\n".join(lines)

    parts = split_text(text)

    assert len(parts) > 1
    assert all(len(p) <= 4096 for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines


def test_split_text_counts_emoji_as_telegram_does_and_cuts_long_lines() -> None:
    text = "💈" * 3000  # 6000 UTF-16 code units on one line

    parts = split_text(text)

    assert "".join(parts) == text
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in parts)


def test_split_text_prefers_spaces_inside_a_long_line() -> None:
    parts = split_text("uno dos tres cuatro", limit=8)

    assert parts == ["uno dos", "tres", "cuatro"]


def test_payloads_give_valid_arguments_for_sending_and_editing() -> None:
    outgoing = Outgoing("¿Qué querés hacer?", (Choice("1.book", "Reservar"), Choice(QUIT, "Salir")))

    payload = to_payload(outgoing)
    kwargs = {"text": payload["text"], "reply_markup": markup_from_payload(payload)}

    assert kwargs["text"] == "¿Qué querés hacer?"
    assert layout(kwargs["reply_markup"]) == [[("Reservar", "1.book")], [("Salir", QUIT)]]
    inspect.signature(Bot.send_message).bind(None, chat_id=1, **kwargs)
    inspect.signature(Bot.edit_message_text).bind(None, chat_id=1, message_id=7, **kwargs)
    assert markup_from_payload(to_payload(Outgoing("Listo"))) is None


def test_payload_parts_put_the_keyboard_under_the_last_part() -> None:
    outgoing = Outgoing("a" * 5000, (Choice("1.x", "Sí"),))

    parts = payload_parts(outgoing)

    assert [len(p["text"]) for p in parts] == [4096, 904]
    assert markup_from_payload(parts[0]) is None
    assert layout(markup_from_payload(parts[1])) == [[("Sí", "1.x")]]


def test_outbox_payloads_are_plain_json_and_come_back_the_same() -> None:
    outgoing = EngineChat().send("hola").tap("Book").replies[-1]

    stored = json.loads(json.dumps(to_payload(outgoing)))

    assert set(stored) == {"text", "choices"}
    assert all(set(c) == {"id", "label"} for c in stored["choices"])
    assert from_payload(stored) == Outgoing(
        outgoing.text, tuple(Choice(c.id, c.label) for c in outgoing.choices)
    )
    markup = markup_from_payload(stored)
    expected = inline_keyboard(outgoing.choices)
    assert markup is not None
    assert expected is not None
    assert markup.to_dict() == expected.to_dict()
    assert payload_parts(from_payload(stored)) == [stored]


def test_payloads_can_ask_for_the_contact_keyboard_or_remove_it() -> None:
    asking = json.loads(json.dumps(to_payload(Outgoing("¿Tu número?"), contact_label="Enviar")))
    removing = json.loads(json.dumps(to_payload(Outgoing("Gracias"), remove_keyboard=True)))

    assert asking == {
        "text": "¿Tu número?",
        "choices": [],
        "keyboard": "contact",
        "label": "Enviar",
    }
    assert removing == {"text": "Gracias", "choices": [], "keyboard": "remove"}

    contact = markup_from_payload(asking)
    assert isinstance(contact, ReplyKeyboardMarkup)
    assert contact.to_dict() == contact_keyboard("Enviar").to_dict()
    assert isinstance(markup_from_payload(removing), ReplyKeyboardRemove)
    assert markup_from_payload(to_payload(Outgoing("Hola"))) is None
    with pytest.raises(ValueError, match="label"):
        markup_from_payload({"text": "¿Tu número?", "keyboard": "contact"})


def test_another_page_survives_the_outbox() -> None:
    page = Outgoing("Más horarios", (Choice("6.slot.8", "14:00"),), page=True)

    stored = json.loads(json.dumps(to_payload(page)))

    assert stored["page"] is True
    assert from_payload(stored) == page


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": 3}, {"text": "x", "choices": "no"}, {"text": "x", "choices": [{"id": "a"}]}],
)
def test_a_malformed_payload_is_refused(payload: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="not a"):
        from_payload(payload)


def test_contact_keyboard_requests_the_contact_once() -> None:
    markup = contact_keyboard("Compartir mi número")

    assert markup.to_dict() == {
        "keyboard": [[{"text": "Compartir mi número", "request_contact": True}]],
        "one_time_keyboard": True,
        "resize_keyboard": True,
    }
    assert remove_keyboard().to_dict() == {"remove_keyboard": True}
