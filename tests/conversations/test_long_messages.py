"""Long messages: a story first, the request at the end, read whole and fast."""

from __future__ import annotations

from datetime import date, time

from conversations.understanding import Intent, Understanding, understand
from conversations.understanding.normalize import MAX_CHARS, readable
from conversations.understanding.questions import Topic
from tests.conversations.corpus import COMBO, CORTE, FACU, LU, TINCHO, TODAY, VOCABULARY

STORY = (
    "hola como andan!! les cuento, el sabado tengo el casamiento de mi prima y la verdad estoy "
    "hecho un desastre, hace como dos meses q no me corto xq estuve a full con el laburo. el "
    "martes pasado fui a otra barberia y me dejaron un costado mas largo q el otro, no te miento. "
    "un amigo me dijo q tincho es un crack con los degradados y q lu tiene mucha paciencia, asi q "
    "me anime a escribirles. yo tengo el pelo medio ondulado y siempre me lo dejan raro arriba, "
    "ojo con eso jaja. de lunes a viernes laburo hasta las 12 en el centro, muchas gracias. "
)


def read(text: str) -> Understanding:
    return understand(text, VOCABULARY, TODAY)


def d(day: int) -> date:
    return date(2026, 12, day)


def test_the_request_at_the_end_of_a_long_story_is_read() -> None:
    understood = read(STORY + "bueno, tenés algo para el viernes a la tarde con facu?")

    assert len(STORY) > 500
    assert Intent.BOOK in understood.intents
    assert understood.professional_id == FACU
    assert (understood.first_day, understood.last_day) == (d(4), d(4))
    assert understood.window == (time(13), time(20))


def test_days_and_people_told_in_the_story_are_not_the_ones_asked_for() -> None:
    """The story names Saturday, Tuesday, Monday to Friday, Tincho and Lu; the request wins."""
    understood = read(STORY + "necesito corte y barba con facu el jueves a las 17 si se puede")

    assert understood.service_id == COMBO
    assert understood.professional_id == FACU
    assert (understood.first_day, understood.at) == (d(3), time(17))


def test_what_the_request_leaves_unsaid_comes_from_the_story() -> None:
    """The request says when; the service and the person were said before it."""
    story = STORY.replace("tincho es un crack con los degradados y q lu tiene mucha paciencia", "")
    understood = read(
        "quiero un corte con Lu, les cuento por que. " + story + "tenés el jueves a las 11?"
    )

    assert (understood.service_id, understood.professional_id) == (CORTE, LU)
    assert (understood.first_day, understood.at) == (d(3), time(11))


def test_a_name_given_early_in_a_long_message_is_taken() -> None:
    understood = read("Buenas, soy Ricardo. " + STORY + "Quisiera un corte el miércoles 9.")
    assert understood.name == "Ricardo"
    assert (understood.service_id, understood.first_day) == (CORTE, d(9))


def test_a_question_in_the_story_is_still_asked() -> None:
    understood = read(
        "cuánto sale el corte con barba? " + STORY + "quería turno con Tincho el sábado a las 11."
    )
    assert Intent.BOOK in understood.intents
    assert understood.question is not None
    assert understood.question.topic == Topic.PRICE
    assert understood.question.service_id == COMBO
    assert (understood.professional_id, understood.first_day) == (TINCHO, d(5))


def test_a_message_without_punctuation_is_cut_at_its_connectives() -> None:
    understood = read(
        "hola te escribo porque el viernes tengo una cena con los de la oficina y quiero estar "
        "presentable y me dijeron que facu corta muy bien el degrade asi que si puede ser con "
        "el y bueno el dia que me queda bien es el jueves despues del laburo tipo siete menos "
        "cuarto " + "la verdad que ando con mil cosas en la cabeza " * 3
    )
    assert (understood.professional_id, understood.first_day) == (FACU, d(3))
    assert understood.at == time(18, 45)


def test_a_very_long_message_is_read_from_its_last_part() -> None:
    text = "corte mañana " + "bla " * 2_500 + "con Tincho el sábado"
    assert len(readable(text)) <= MAX_CHARS
    understood = read(text)
    assert (understood.service_id, understood.professional_id) == (None, TINCHO)
    assert understood.first_day == d(5)


def test_a_4000_character_message_is_read_at_its_end() -> None:
    """How long it takes is measured by bench/understanding.py, never here."""
    text = (STORY * 8)[:3_950] + " tenés algo el viernes a la tarde con facu?"

    understood = read(text)

    assert understood.professional_id == FACU


def test_story_sentences_told_without_a_question_mark_ask_nothing_about_the_shop() -> None:
    understood = read(
        "Hola! Les cuento, este sábado se casa mi hermano. Mi vieja me dijo que no me aparezca "
        "con esta barba que tengo hace dos meses. Un amigo me dijo que Tincho es un crack con la "
        "barba, y que atienden muy bien. El casamiento es a las 19, así que tengo la mañana "
        "libre para arreglarme tranqui, y la verdad que lo necesito. Ah, soy Maxi. ¿Me podrías "
        "dar un turno para corte y barba con Tincho el sábado a las 11?"
    )

    assert understood.question is None
    assert Intent.BOOK in understood.intents
    assert (understood.service_id, understood.professional_id) == (COMBO, TINCHO)
    assert (understood.first_day, understood.at) == (d(5), time(11))
    assert understood.name == "Maxi"


def test_a_long_message_for_someone_else_keeps_the_customer_name_apart() -> None:
    understood = read(
        "Hola! Soy Sole, la mamá de Felipe. Les escribo porque Felipe le tiene miedo a la "
        "máquina y una amiga me dijo que Lu tiene mucha paciencia con los chicos, así que "
        "quería probar con ella. El miércoles 9 a las 16 nos vendría perfecto, es un corte "
        "común. El turno ponelo a nombre de Felipe así lo reconocen cuando lleguemos."
    )

    assert understood.name == "Sole"
    assert (understood.for_other, understood.for_name) == (True, "Felipe")
    assert (understood.professional_id, understood.at) == (LU, time(16))


def test_formal_answers_are_yes() -> None:
    for text in ("Sí, confírmelo.", "resérvemelo", "se lo agradezco", "perfecto, confírmeme"):
        assert Intent.YES in read(text).intents, text
    assert read("En efectivo, en el local.").payment_method == "cash"
