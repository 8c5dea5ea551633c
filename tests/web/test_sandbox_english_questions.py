"""English-speaking customers asking about the shop and booking with English answers only,
through the sandbox endpoint and the real database (issue 13).

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; the demo shop speaks es_AR and takes cash
and bank transfers. Tincho works Tue-Sat 10-19, Facu Mon-Fri 12-20, Lu (the only one who does
Color) Wed-Sat 9-17.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("how much is a beard trim?", "Barba: ARS\xa08,000"),
        ("how much for a haircut and beard?", "Corte + barba: ARS\xa018,000"),
        ("hi, what do you charge?", "Color: ARS\xa025,000"),
        ("where are you located?", "Honduras 4820"),
        ("what's the address?", "Honduras 4820"),
        ("are you open on sunday?", "we don't open on Sunday"),
        ("what time do you close today?", "20:00"),
        ("who does hair color?", "Color: Lu does it."),
        ("who does dye?", "Color: Lu does it."),
        ("can I pay cash?", "Yes, you can pay with cash."),
        ("can I pay by transfer?", "Yes, you can pay with bank transfer."),
        ("can I pay by card?", "You can pay with cash or bank transfer."),
        ("do you take cards?", "You can pay with cash or bank transfer."),
    ],
)
async def test_a_shop_question_asked_in_english_is_answered_in_english(
    sandbox: httpx.AsyncClient, question: str, answer: str
) -> None:
    chat = Chat(sandbox, "ask")
    await chat.say(question)
    assert "Hi! I'm the assistant" in chat.text
    assert answer in chat.text
    assert "Book an appointment" in chat.labels


async def test_two_questions_in_one_english_sentence_are_both_answered_then_it_books(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "emma")
    await chat.say("how much is a beard trim and where are you located?")
    assert "Barba: ARS\xa08,000" in chat.text
    assert "Honduras 4820" in chat.text

    await chat.say("ok book a beard trim with tincho on saturday at 11am")
    assert "Whose name shall I book it under?" in chat.text
    await chat.say("my name is Emma")
    assert chat.step == "payment"
    await chat.say("card")
    assert "we don't take that" in chat.text
    assert chat.step == "payment"
    await chat.say("cash at the shop")
    assert "Barba with Tincho" in chat.text
    assert "Shall I book it?" in chat.text
    await chat.say("sounds good")
    assert "Done, your appointment is booked" in chat.text

    [booked] = await bookings_of(client, "Emma")
    assert booked["start"] == "2026-12-05T11:00:00-03:00"


async def test_hair_dye_is_color_and_its_for_emma_names_the_booking(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "dye")
    await chat.say("I want hair dye with Lu on thursday")
    assert "Times for Color with Lu" in chat.text
    await chat.say("2pm please")
    assert "Whose name shall I book it under?" in chat.text
    await chat.say("it's for Emma")
    assert "Emma" in chat.text
    assert chat.step == "payment"
    await chat.say("transfer")
    assert "Color with Lu" in chat.text
    await chat.say("perfect, book it")
    assert "transfer ARS\xa025,000" in chat.text

    [booked] = await bookings_of(client, "Emma")
    assert booked["start"] == "2026-12-03T14:00:00-03:00"


async def test_whoevers_free_and_the_group_class_in_english(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "class")
    await chat.say("hey, can I book a group class?")
    assert "Clase de barbería (grupal)" in chat.text
    await chat.say("saturday at 10am")
    await chat.say("my name is Emma")
    await chat.say("cash")
    await chat.say("yes please")
    assert "Done, your appointment is booked" in chat.text

    beard = Chat(sandbox, "beard")
    await beard.say("hi, I'd like a beard trim on friday")
    await beard.say("whoever's free")
    await beard.say("2pm please")
    assert "Barba with Facu" in beard.text
    assert "Whose name shall I book it under?" in beard.text

    [booked] = await bookings_of(client, "Emma")
    assert booked["start"] == "2026-12-05T10:00:00-03:00"


async def test_a_first_hello_is_answered_in_english_a_spanish_sorry_stays_spanish(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "hello")
    await chat.say("Hello!")
    assert "Hi! I'm the assistant" in chat.text
    assert chat.state["language"] == "en"

    spanish = Chat(sandbox, "sorry")
    await spanish.say("hola, quiero un turno")
    await spanish.say("sorry")
    assert "Sorry" not in spanish.text  # no name, no English
    assert "Hi!" not in spanish.text
    await spanish.say("thanks")
    assert "You're welcome" not in spanish.text
