"""Unit tests of the free-text understanding, one rule at a time (the corpus tests the whole)."""

from __future__ import annotations

import ast
import sys
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.understanding import (
    CatalogEntry,
    Intent,
    ShopVocabulary,
    Understanding,
    normalize,
    pick_day,
    understand,
)
from tests.conversations.corpus import (
    BARBA,
    CLASE,
    COLOR,
    COMBO,
    CORTE,
    FACU,
    LU,
    TINCHO,
    TODAY,
    VOCABULARY,
)

SATURDAY = date(2026, 12, 5)
SUNDAY = date(2026, 12, 6)


def read(text: str, today: date = TODAY, vocabulary: ShopVocabulary = VOCABULARY) -> Understanding:
    return understand(text, vocabulary, today)


def d(day: int, month: int = 12, year: int = 2026) -> date:
    return date(year, month, day)


# Normalizing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mañana a la TARDE", "manana a la tarde"),
        ("¿Tenés algo?", "tenes algo"),
        ("💈✂️ corte!!!", "corte"),
        ("  muchos    espacios\n\t", "muchos espacios"),
        ("a las 17:30, o 17.30", "a las 17:30 o 17.30"),
        ("15/12 o 15-12", "15/12 o 15-12"),
        ("17hs", "17 hs"),
        ("el 3ro", "el 3 ro"),
        ("Lucía Fernández", "lucia fernandez"),
        ("hola-chau / fin.", "hola chau fin"),
        ("", ""),
    ],
)
def test_normalize_lowercases_strips_accents_and_punctuation_but_keeps_clock_and_date_marks(
    text: str, expected: str
) -> None:
    assert normalize(text) == expected


# Services


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("cortarme el pelo", CORTE),
        ("corte de pelo", CORTE),
        ("pelo", CORTE),
        ("degradé", CORTE),
        ("degrade", CORTE),
        ("un fade", CORTE),
        ("rapado", CORTE),
        ("corte", CORTE),
        ("la barba", BARBA),
        ("afeitarme", BARBA),
        ("perfilar la barba", BARBA),
        ("arreglarme la barba", BARBA),
        ("cortarme la barba", BARBA),
        ("corte y barba", COMBO),
        ("pelo y barba", COMBO),
        ("el combo", COMBO),
        ("corte + barba", COMBO),
        ("color", COLOR),
        ("tintura", COLOR),
        ("teñirme", COLOR),
        ("reflejos", COLOR),
        ("mechas", COLOR),
        ("decoloración", COLOR),
        ("platinado", COLOR),
        ("clase", CLASE),
        ("el curso", CLASE),
        ("un taller", CLASE),
        ("la grupal", CLASE),
    ],
)
def test_services_are_recognized_by_concept_and_by_the_shops_own_words(
    text: str, service: int
) -> None:
    assert read(text).service_id == service


def test_services_are_matched_against_the_shops_names_not_fixed_ids() -> None:
    other = ShopVocabulary(
        services=(
            CatalogEntry(10, "Corte clásico"),
            CatalogEntry(11, "Afeitado con toalla caliente"),
            CatalogEntry(12, "Combo corte + barba"),
            CatalogEntry(13, "Corte niños"),
        ),
        professionals=(),
    )
    assert read("quiero un corte", vocabulary=other).service_id == 10
    assert read("la barba", vocabulary=other).service_id == 11
    assert read("corte y barba", vocabulary=other).service_id == 12
    assert read("corte para el nene, niños", vocabulary=other).service_id == 13
    assert read("la toalla caliente", vocabulary=other).service_id == 11


SYNONYMS = ShopVocabulary(
    services=(
        CatalogEntry(1, "Corte"),
        CatalogEntry(2, "Corte a máquina", ("rapado", "al ras")),
        CatalogEntry(3, "Diseño de cejas", ("depilación", "perfilado de cejas")),
        CatalogEntry(4, "Barba"),
    ),
    professionals=(),
)


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("quiero un rapado", 2),
        ("rapado mañana a las 5", 2),
        ("me lo dejás al ras?", 2),
        ("un corte", 1),
        ("las cejas", 3),
        ("un perfilado de cejas", 3),  # the synonym, though "perfilado" is about beards
        ("depilasion", 3),  # a typo in a synonym is forgiven
        ("arreglo de barba", 4),
    ],
)
def test_the_shops_synonyms_name_their_service(text: str, service: int) -> None:
    assert read(text, vocabulary=SYNONYMS).service_id == service


def test_a_synonym_two_services_share_leaves_the_service_open() -> None:
    shared = ShopVocabulary(
        services=(CatalogEntry(1, "Corte", ("máquina",)), CatalogEntry(2, "Barba", ("máquina",))),
        professionals=(),
    )

    assert read("con máquina", vocabulary=shared).service_id is None


def test_a_service_named_without_words_matches_nothing_and_breaks_nothing() -> None:
    odd = ShopVocabulary(
        services=(CatalogEntry(1, "💈"), CatalogEntry(2, "Corte")), professionals=()
    )

    assert read("un corte", vocabulary=odd).service_id == 2


def test_a_service_is_left_open_when_two_fit_equally() -> None:
    assert read("corte y color").service_id is None


@pytest.mark.parametrize("text", ["la barbería abre?", "qué calor", "cuánto tarda", "hola", ""])
def test_no_service_is_read_into_messages_that_name_none(text: str) -> None:
    assert read(text).service_id is None


# Professionals


@pytest.mark.parametrize(
    ("text", "professional"),
    [
        ("con Tincho", TINCHO),
        ("tincho", TINCHO),
        ("con Martín", TINCHO),
        ("con martin", TINCHO),
        ("con Gómez", TINCHO),
        ("con el Facu", FACU),
        ("con Facundo", FACU),
        ("con Lu", LU),
        ("con Lucía", LU),
        ("con Lucia Fernandez", LU),
        ("con Tinchoo", TINCHO),
        ("con Facundito", FACU),
        ("con Luci", LU),
        ("con Fernandes", LU),
        ("con Matrin", TINCHO),
    ],
)
def test_professionals_are_recognized_by_name_surname_or_nickname_typos_forgiven(
    text: str, professional: int
) -> None:
    assert read(text).professional_id == professional


@pytest.mark.parametrize(
    "text",
    [
        "lunes",
        "el lunes",
        "mañana",
        "a la mañana",
        "el martes",
        "luego",
        "hay lugar?",
        "lucas",
        "lo de siempre",
        "la una",
    ],
)
def test_everyday_words_are_not_mistaken_for_professionals(text: str) -> None:
    assert read(text).professional_id is None


def test_a_short_nickname_needs_an_exact_match() -> None:
    assert read("con Lu").professional_id == LU
    assert read("con Lo").professional_id is None


def test_a_professional_is_left_open_when_two_share_the_name() -> None:
    twins = ShopVocabulary(
        services=(),
        professionals=(CatalogEntry(1, "Martín Gómez"), CatalogEntry(2, "Martín López")),
    )
    assert read("con Martín", vocabulary=twins).professional_id is None
    assert read("con Martín López", vocabulary=twins).professional_id == 2


def test_a_barber_named_like_a_word_is_found_when_asked_for_with_con() -> None:
    shop = ShopVocabulary(services=(), professionals=(CatalogEntry(7, "Domingo Pérez"),))
    assert read("con Domingo", vocabulary=shop).professional_id == 7
    assert read("el domingo", vocabulary=shop).professional_id is None


def test_introducing_yourself_does_not_ask_for_the_barber_of_the_same_name() -> None:
    understood = read("hola, soy Martín")
    assert (understood.name, understood.professional_id) == ("Martín", None)


@pytest.mark.parametrize(
    "text",
    [
        "cualquiera",
        "con cualquiera",
        "el que esté",
        "me da igual",
        "da lo mismo",
        "cualquier barbero",
        "quien sea",
        "no importa quién",
        "sin preferencia",
    ],
)
def test_whoever_is_free_is_understood(text: str) -> None:
    assert read(text).any_professional


@pytest.mark.parametrize("text", ["cualquier día", "a cualquier hora", "me da igual el horario"])
def test_any_day_or_time_is_not_any_professional(text: str) -> None:
    assert not read(text).any_professional


def test_a_named_professional_wins_over_cualquiera() -> None:
    understood = read("con Facu, si no cualquiera")
    assert (understood.professional_id, understood.any_professional) == (FACU, False)


# Days (today is Tuesday 2026-12-01)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("hoy", d(1), d(1)),
        ("mañana", d(2), d(2)),
        ("pasado mañana", d(3), d(3)),
        ("el sábado", d(5), d(5)),
        ("sabado", d(5), d(5)),
        ("el miércoles", d(2), d(2)),
        ("miercoles", d(2), d(2)),
        ("el lunes", d(7), d(7)),
        ("el domingo", d(6), d(6)),
        ("el finde", d(5), d(6)),
        ("el fin de semana", d(5), d(6)),
        ("el 15", d(15), d(15)),
        ("el 1", d(1), d(1)),
        ("15/12", d(15), d(15)),
        ("15-12", d(15), d(15)),
        ("15 de diciembre", d(15), d(15)),
        ("30/11", d(30, 11, 2027), d(30, 11, 2027)),
        ("3 de enero", d(3, 1, 2027), d(3, 1, 2027)),
        ("15/12/2027", d(15, 12, 2027), d(15, 12, 2027)),
        ("la semana que viene", d(7), d(13)),
        ("la próxima semana", d(7), d(13)),
        ("esta semana", d(1), d(6)),
        ("el martes de la semana que viene", d(8), d(8)),
        ("el próximo martes", d(8), d(8)),
        ("el jueves que viene", d(3), d(3)),
        ("jueves o viernes", d(3), d(4)),
        ("del 10 al 12", d(10), d(12)),
        ("el mes que viene", d(1, 1, 2027), d(31, 1, 2027)),
        ("en 2 días", d(3), d(3)),
    ],
)
def test_days_are_read_relative_to_today(text: str, first: date, last: date) -> None:
    understood = read(text)
    assert (understood.first_day, understood.last_day) == (first, last)


def test_a_weekday_named_on_that_very_weekday_is_today() -> None:
    # Documented choice: "el martes" said on a Tuesday is today; "el próximo martes" is next week.
    assert read("el martes").first_day == TODAY
    assert read("el sábado", today=SATURDAY).first_day == SATURDAY


def test_the_weekend_said_on_a_weekend_is_what_is_left_of_it() -> None:
    assert (read("el finde", today=SATURDAY).first_day, read("el finde", SATURDAY).last_day) == (
        SATURDAY,
        SUNDAY,
    )
    assert read("el finde", today=SUNDAY).first_day == SUNDAY
    assert read("el finde", today=SUNDAY).last_day == SUNDAY
    assert read("el finde que viene", today=SATURDAY).first_day == d(12)


def test_a_day_of_month_already_past_is_next_months() -> None:
    assert read("el 15", today=d(20)).first_day == d(15, 1, 2027)
    assert read("el 31", today=d(1, 11)).first_day == d(31)  # November has no 31st


def test_mañana_is_tomorrow_but_a_la_mañana_is_the_morning() -> None:
    assert (read("mañana").first_day, read("mañana").window) == (d(2), None)
    assert (read("a la mañana").first_day, read("a la mañana").window) == (
        None,
        (time(9), time(12)),
    )
    assert read("por la mañana").first_day is None
    assert read("de mañana").first_day is None
    both = read("mañana a la mañana")
    assert (both.first_day, both.window) == (d(2), (time(9), time(12)))
    assert read("el turno de mañana").first_day == d(2)


@pytest.mark.parametrize("text", ["buenas tardes", "buenas noches", "buen día", "hasta mañana!"])
def test_courtesies_carry_no_day_or_time(text: str) -> None:
    understood = read(text)
    assert (understood.first_day, understood.window, understood.at) == (None, None, None)


def test_a_day_turned_down_is_not_asked_for() -> None:
    assert read("no puedo el jueves, tenés el viernes?").first_day == d(4)
    assert read("el jueves no, el viernes").first_day == d(4)


@pytest.mark.parametrize("text", ["32/12", "el 45", "31/2", "99 de diciembre"])
def test_impossible_dates_are_ignored(text: str) -> None:
    assert read(text).first_day is None


# Times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a las 5", time(17)),
        ("a las 10", time(10)),
        ("a las 9", time(9)),
        ("a las 12", time(12)),
        ("a la 1", time(13)),
        ("a la una", time(13)),
        ("17hs", time(17)),
        ("17 hs", time(17)),
        ("17h", time(17)),
        ("17:30", time(17, 30)),
        ("17.30", time(17, 30)),
        ("10:15", time(10, 15)),
        ("5 y media", time(17, 30)),
        ("5 y cuarto", time(17, 15)),
        ("5 menos cuarto", time(16, 45)),
        ("las 5 de la tarde", time(17)),
        ("las 8 de la noche", time(20)),
        ("a las 10 de la mañana", time(10)),
        ("a las cinco", time(17)),
        ("mediodía", time(12)),
        ("al mediodía", time(12)),
        ("tipo 6", time(18)),
        ("5pm", time(17)),
        ("a las 11 y 20", time(11, 20)),
        ("a la noche a las 8", time(20)),
        ("a la tarde a las 5", time(17)),
    ],
)
def test_exact_times_are_read_in_the_shops_day(text: str, expected: time) -> None:
    assert read(text).at == expected


def test_a_part_of_the_day_named_elsewhere_settles_an_hour_the_shop_is_open_at_twice() -> None:
    late = ShopVocabulary(services=(), professionals=(), opens=time(8), closes=time(23))
    assert read("a las 9", vocabulary=late).at == time(9)
    assert read("a la noche a las 9", vocabulary=late).at == time(21)
    assert read("a la noche a las 9 de la mañana", vocabulary=late).at == time(9)


def test_a_bare_hour_goes_to_the_half_of_the_day_the_shop_is_open() -> None:
    early = ShopVocabulary(services=(), professionals=(), opens=time(6), closes=time(14))
    assert read("a las 7", vocabulary=early).at == time(7)
    assert read("a las 1", vocabulary=early).at == time(13)
    assert read("a las 7").at == time(19)


@pytest.mark.parametrize("text", ["2", "estoy a 5 cuadras", "somos 3", "el 15", "2 personas"])
def test_numbers_that_are_not_times_are_not_read_as_times(text: str) -> None:
    assert read(text).at is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a la tarde", (time(13), time(20))),
        ("por la tarde", (time(13), time(20))),
        ("de tarde", (time(13), time(20))),
        ("a la mañana", (time(9), time(12))),
        ("a la noche", (time(19), time(20))),
        ("después de las 18", (time(18), time(20))),
        ("desde las 18", (time(18), time(20))),
        ("a partir de las 6", (time(18), time(20))),
        ("antes de las 11", (time(9), time(11))),
        ("antes del mediodía", (time(9), time(12))),
        ("después del mediodía", (time(12), time(20))),
        ("entre las 3 y las 5", (time(15), time(17))),
        ("entre 10 y 12", (time(10), time(12))),
        ("de 4 a 6", (time(16), time(18))),
        ("a la tarde después de las 4", (time(16), time(20))),
        ("entre las 10 y las 2 de la tarde", (time(10), time(14))),
        ("a la tarde no puedo, a la mañana sí", (time(9), time(12))),
    ],
)
def test_windows_are_read_in_the_shops_day(text: str, expected: tuple[time, time]) -> None:
    assert read(text).window == expected


def test_the_night_starts_at_19_or_in_the_last_hour_of_an_earlier_closing_shop() -> None:
    early = ShopVocabulary(services=(), professionals=(), opens=time(9), closes=time(19))
    assert read("a la noche").window == (time(19), time(20))
    assert read("a la noche", vocabulary=early).window == (time(18), time(19))


def test_esta_tarde_is_today_in_the_afternoon() -> None:
    understood = read("esta tarde")
    assert (understood.first_day, understood.window) == (TODAY, (time(13), time(20)))


# Intents


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("quiero sacar un turno", Intent.BOOK),
        ("reservar", Intent.BOOK),
        ("tenés algo?", Intent.BOOK),
        ("hay lugar?", Intent.BOOK),
        ("mis turnos", Intent.MY_BOOKINGS),
        ("qué turnos tengo", Intent.MY_BOOKINGS),
        ("cancelar el turno", Intent.CANCEL),
        ("no voy a poder ir", Intent.CANCEL),
        ("quiero cancelar mi turno", Intent.CANCEL),
        ("cambiar el turno", Intent.RESCHEDULE),
        ("reprogramar", Intent.RESCHEDULE),
        ("pasarlo para otro día", Intent.RESCHEDULE),
        ("moverlo", Intent.RESCHEDULE),
        ("avisame si se libera", Intent.WAITLIST),
        ("lista de espera", Intent.WAITLIST),
        ("ayuda", Intent.HELP),
        ("no entiendo", Intent.HELP),
        ("cómo funciona", Intent.HELP),
        ("hablar con alguien", Intent.HUMAN),
        ("con una persona", Intent.HUMAN),
        ("con el local", Intent.HUMAN),
        ("llamar", Intent.HUMAN),
        ("menú", Intent.MENU),
        ("inicio", Intent.MENU),
        ("empezar de nuevo", Intent.MENU),
        ("volver", Intent.BACK),
        ("atrás", Intent.BACK),
        ("cancelar", Intent.QUIT),
        ("/cancelar", Intent.QUIT),
        ("salir", Intent.QUIT),
        ("chau", Intent.QUIT),
        ("sí", Intent.YES),
        ("si", Intent.YES),
        ("dale", Intent.YES),
        ("ok", Intent.YES),
        ("listo", Intent.YES),
        ("confirmo", Intent.YES),
        ("de una", Intent.YES),
        ("perfecto", Intent.YES),
        ("no", Intent.NO),
        ("nop", Intent.NO),
        ("mejor no", Intent.NO),
        ("hola", Intent.GREETING),
        ("buenas", Intent.GREETING),
        ("buen día", Intent.GREETING),
        ("gracias", Intent.THANKS),
        ("genial gracias", Intent.THANKS),
        ("lo de siempre", Intent.REPEAT),
        ("lo mismo de siempre", Intent.REPEAT),
        ("lo mismo que la otra vez", Intent.REPEAT),
    ],
)
def test_intents_are_read_from_everyday_phrasing(text: str, intent: Intent) -> None:
    assert intent in read(text).intents


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cancelar", Intent.CANCEL),
        ("cancelar el turno", Intent.QUIT),
        ("si se libera algo avisame", Intent.YES),
        ("si alguien cancela avisame", Intent.CANCEL),
        ("no entiendo", Intent.NO),
        ("no voy a poder ir", Intent.NO),
        ("no hay problema", Intent.NO),
        ("volver al menú", Intent.BACK),
        ("me da lo mismo", Intent.REPEAT),
        ("me llamo Juan", Intent.HUMAN),
        ("quiero cancelar mi turno", Intent.MY_BOOKINGS),
        ("cambiar el turno para mañana", Intent.BOOK),
        ("gracias", Intent.YES),
        ("ese horario no me sirve", Intent.YES),
        ("buenas tardes", Intent.BOOK),
    ],
)
def test_look_alike_phrases_do_not_carry_the_wrong_intent(text: str, intent: Intent) -> None:
    assert intent not in read(text).intents


def test_a_combined_message_is_read_all_at_once() -> None:
    understood = read("¿tenés algo mañana a la tarde para corte con Tincho?")
    assert Intent.BOOK in understood.intents
    assert understood.service_id == CORTE
    assert understood.professional_id == TINCHO
    assert (understood.first_day, understood.last_day) == (d(2), d(2))
    assert understood.window == (time(13), time(20))


# Typos and noise


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("mañna", "first_day", d(2)),
        ("maniana", "first_day", d(2)),
        ("sabdo", "first_day", d(5)),
        ("el biernes", "first_day", d(4)),
        ("tincho", "professional_id", TINCHO),
        ("CORTE", "service_id", CORTE),
        ("barva", "service_id", BARBA),
        ("💈✂️ corte mañana", "service_id", CORTE),
        ("💈✂️ corte mañana", "first_day", d(2)),
        ("a la tade", "window", (time(13), time(20))),
    ],
)
def test_typos_shouting_and_emojis_are_tolerated(text: str, field: str, expected: object) -> None:
    assert getattr(read(text), field) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [("holaaa", Intent.GREETING), ("siii", Intent.YES), ("graciasss", Intent.THANKS)],
)
def test_stretched_letters_are_tolerated(text: str, intent: Intent) -> None:
    assert intent in read(text).intents


@pytest.mark.parametrize(
    ("text", "typo"),
    [("cuanto", "cuarto"), ("fechas", "mechas"), ("calor", "color"), ("nombre", "noviembre")],
)
def test_real_words_are_not_corrected_into_keywords(text: str, typo: str) -> None:
    understood = read(f"{text} ")
    assert understood.service_id is None
    assert understood.first_day is None
    assert understood.number is None


# Choice numbers and names


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2", 2),
        ("dos", 2),
        ("la segunda", 2),
        ("el 3ro", 3),
        ("la 1ra", 1),
        ("opción 4", 4),
        ("el primero", 1),
        ("me quedo con el 2", 2),
        ("2!", 2),
    ],
)
def test_a_bare_choice_number_is_read(text: str, number: int) -> None:
    assert read(text).number == number


@pytest.mark.parametrize(
    "text", ["a las 2", "2 personas", "somos dos", "hola", "cuánto sale", "un corte", "0"]
)
def test_numbers_inside_sentences_are_not_choices(text: str) -> None:
    assert read(text).number is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Juan", "Juan"),
        ("juan", "Juan"),
        ("soy Juan Pérez", "Juan Pérez"),
        ("me llamo Ana", "Ana"),
        ("Mi nombre es María de los Ángeles", "María de los Ángeles"),
        ("hola, soy Sofi 😊", "Sofi"),
        ("JUAN PEREZ", "Juan Perez"),
    ],
)
def test_a_persons_name_is_read_when_the_text_looks_like_one(text: str, name: str) -> None:
    assert read(text).name == name


@pytest.mark.parametrize(
    "text",
    ["hola", "dale", "corte", "mañana", "sabdo", "jajaja", "gracias capo", "soy nuevo", "2", "?"],
)
def test_ordinary_words_are_not_taken_for_a_name(text: str) -> None:
    assert read(text).name is None


SHORT_NAMES = [
    "Nico",
    "Mena",
    "Ema",
    "Cami",
    "Juli",
    "Santi",
    "Agus",
    "Flor",
    "Lu",
    "Tati",
    "Vale",
    "Sol",
    "Mica",
    "Fede",
    "Leo",
    "Gonza",
    "Maxi",
    "Rodri",
    "Benja",
    "Tomi",
    "Ari",
    "Mati",
    "Caro",
    "Clara",
    "Mario",
    "Tomás",
    "Dante",
    "Samir",
    "Basti",
    "Colo",
    "Abril",
    "Julio",
    "Lola",
    "Noe",
]


@pytest.mark.parametrize("name", SHORT_NAMES)
@pytest.mark.parametrize("template", ["{}", "{lower}", "soy {}", "me llamo {}", "hola, soy {}"])
def test_a_first_name_is_a_name_never_a_command_nor_an_answer(name: str, template: str) -> None:
    understood = read(template.format(name, lower=name.lower()))
    assert understood.name == name
    assert understood.intents <= {Intent.GREETING}
    assert understood.service_id is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("menú", Intent.MENU),
        ("menu", Intent.MENU),
        ("Menu", Intent.MENU),
        ("/start", Intent.MENU),
        ("start", Intent.MENU),
        ("volver", Intent.BACK),
        ("cancelar", Intent.QUIT),
        # one slip of a finger in a word of five letters or more is still the command
        ("incio", Intent.MENU),
        ("volvre", Intent.BACK),
        ("slair", Intent.QUIT),
        ("atraz", Intent.BACK),
        # and a few common slips in shorter ones, spelled out
        ("meun", Intent.MENU),
        ("hoal", Intent.GREETING),
        ("dael", Intent.YES),
    ],
)
def test_commands_match_exactly_or_by_one_slip_and_are_never_a_name(
    text: str, intent: Intent
) -> None:
    understood = read(text)
    assert intent in understood.intents
    assert understood.name is None


@pytest.mark.parametrize("text", ["mena", "ncio", "xsalir", "Nico", "Samir", "Basti"])
def test_a_word_further_than_one_slip_from_a_command_is_not_that_command(text: str) -> None:
    assert not read(text).intents & {Intent.MENU, Intent.QUIT}


# Payment


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("efectivo", "cash"),
        ("en efectivo", "cash"),
        ("cash", "cash"),
        ("en el local", "cash"),
        ("pago cuando llego", "cash"),
        ("efectibo", "cash"),
        ("con mercado pago", "mercadopago"),
        ("mercadopago", "mercadopago"),
        ("MP", "mercadopago"),
        ("con tarjeta", "mercadopago"),
        ("con débito", "mercadopago"),
        ("transferencia", "transfer"),
        ("te transfiero", "transfer"),
        ("por transferencia", "transfer"),
        ("trasferencia", "transfer"),
        ("rapipago", "ticket"),
        ("pago fácil", "ticket"),
        ("pagofacil", "ticket"),
        ("dale, en efectivo", "cash"),
        ("no tengo efectivo, con tarjeta", "mercadopago"),
        ("efectivo no, transferencia", "transfer"),
        ("sin tarjeta, efectivo", "cash"),
    ],
)
def test_the_payment_method_is_read_as_the_shops_method_id(text: str, method: str) -> None:
    understood = read(text)
    assert understood.payment_method == method
    assert understood.name is None


@pytest.mark.parametrize(
    "text", ["mercado pago o efectivo", "no tengo efectivo", "corte mañana", "hola", "pago"]
)
def test_no_payment_method_is_read_when_none_or_two_are_named(text: str) -> None:
    assert read(text).payment_method is None


@pytest.mark.parametrize(
    "text", ["dale, confirmo", "confirmo", "sí, confirmá", "confirmá", "dale", "ok", "listo"]
)
def test_a_confirmation_is_a_yes(text: str) -> None:
    understood = read(text)
    assert Intent.YES in understood.intents
    assert Intent.NO not in understood.intents


# Managing a booking already made


@pytest.mark.parametrize(
    ("text", "first_day"),
    [
        ("quiero cancelar mi turno del miércoles", d(2)),
        ("cancelar el turno de mañana", d(2)),
        ("cancelame el turno", None),
        ("no voy a poder ir el jueves", d(3)),
        ("necesito cancelar un turno", None),
        ("anulame el turno de mañana", d(2)),
    ],
)
def test_cancelling_a_turno_is_never_booking_one(text: str, first_day: date | None) -> None:
    understood = read(text)
    assert Intent.CANCEL in understood.intents
    assert not understood.intents & {Intent.BOOK, Intent.QUIT, Intent.NO}
    assert understood.first_day == first_day


@pytest.mark.parametrize(
    ("text", "first_day"),
    [
        ("quiero cambiar mi turno", None),
        ("pasame el turno al viernes", d(4)),
        ("pasame mi turno para el jueves", d(3)),
    ],
)
def test_moving_a_turno_is_never_booking_one(text: str, first_day: date | None) -> None:
    understood = read(text)
    assert Intent.RESCHEDULE in understood.intents
    assert not understood.intents & {Intent.BOOK, Intent.CANCEL}
    assert understood.first_day == first_day


def test_asking_for_a_turno_on_a_day_is_still_booking() -> None:
    assert Intent.BOOK in read("pasame un turno para el viernes").intents


# Picking from a dated list (the customer's turnos)

LISTED = (d(2), d(3), d(8), d(15, 1, 2027))  # Wed, Thu, next Tue, a Friday in January


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("el del martes", 2),
        ("el de mañana", 0),
        ("el del jueves", 1),
        ("el del 15 de enero", 3),
        ("el de la semana que viene", 2),
        ("el del martes que viene", 2),
        ("el del lunes", None),  # nothing on a Monday
        ("el de diciembre", None),  # three of them
        ("el primero", None),  # a choice number, not a day
    ],
)
def test_a_day_picks_the_one_listed_item_on_it(text: str, index: int | None) -> None:
    assert pick_day(read(text), LISTED) == index


def test_a_weekday_shared_by_two_listed_items_picks_none() -> None:
    assert pick_day(read("el del jueves"), (d(3), d(10))) is None
    assert pick_day(read("el del jueves 10"), (d(3), d(10))) == 1


# Greetings


@pytest.mark.parametrize("text", ["hola", "buenas", "Holaaa!!", "buen día", "buenas tardes"])
def test_a_bare_greeting_is_just_a_greeting(text: str) -> None:
    assert read(text).just_greeting


@pytest.mark.parametrize(
    "text", ["hola, quiero un turno", "Hola, soy Nico", "buenas, mañana a las 5?", "dale", "2"]
)
def test_a_greeting_that_says_more_is_not_just_a_greeting(text: str) -> None:
    assert not read(text).just_greeting


# Repetition


@pytest.mark.parametrize(
    ("text", "weekly", "count"),
    [
        ("todos los martes", 1, None),
        ("cada semana", 1, None),
        ("cada dos semanas", 2, None),
        ("cada 2 semanas", 2, None),
        ("cada 15 días", 2, None),
        ("quincenal", 2, None),
        ("todos los jueves por 4 semanas", 1, 4),
        ("4 veces", None, 4),
        ("cada dos semanas por 8 semanas", 2, 4),
        ("los próximos 3 viernes", 1, 3),
    ],
)
def test_repetition_is_read(text: str, weekly: int | None, count: int | None) -> None:
    understood = read(text)
    assert (understood.weekly, understood.count) == (weekly, count)


def test_todos_los_martes_also_gives_the_first_day() -> None:
    assert read("todos los viernes").first_day == d(4)


# Robustness and purity

NOTHING = Understanding(
    intents=frozenset(),
    service_id=None,
    professional_id=None,
    any_professional=False,
    first_day=None,
    last_day=None,
    at=None,
    window=None,
    number=None,
    name=None,
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🔥🎉🔥",
        "'; DROP TABLE bookings; --",
        "<script>alert(1)</script>",
        "\x00\x01\x02",
        "1234567890",
    ],
)
def test_empty_or_meaningless_input_understands_nothing(text: str) -> None:
    assert read(text) == NOTHING


def test_the_end_of_the_calendar_does_not_break_relative_days() -> None:
    assert read("mañana el finde", today=date.max).first_day is None


def test_a_huge_message_is_read_in_its_last_characters() -> None:
    understood = read("corte mañana " + "bla " * 2_500 + "con Tincho")
    assert (understood.service_id, understood.first_day, understood.professional_id) == (
        None,
        None,
        TINCHO,
    )


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_understood_without_raising(text: str) -> None:
    assert isinstance(read(text), Understanding)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "las",
                "5",
                "de",
                "la",
                "mañana",
                "y",
                "media",
                "el",
                "15",
                "/",
                ":",
                "12",
                "entre",
                "hasta",
                "tarde",
                "cada",
                "semanas",
                "no",
                "si",
                "cancelar",
                "con",
                "Lu",
                "todos",
                "los",
                "martes",
            ]
        ),
        max_size=30,
    )
)
def test_any_mix_of_date_and_time_words_is_understood_without_raising(parts: list[str]) -> None:
    understood = read(" ".join(parts))
    if understood.window is not None:
        assert understood.window[0] <= understood.window[1]
    if understood.first_day is not None:
        assert understood.last_day is not None
        assert understood.first_day <= understood.last_day


def test_the_understanding_imports_nothing_but_the_standard_library() -> None:
    package = Path(__file__).resolve().parents[2] / "conversations" / "understanding"
    imported: set[str] = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"conversations"}


@pytest.mark.parametrize("text", ["", "   ", "\n", "\u200b"])
def test_a_message_without_words_says_nothing(text: str) -> None:
    """A tapped choice comes with no text: nothing is read from it (and quickly: half of all
    turns are taps)."""
    said = read(text)
    assert not said.intents
    assert (said.service_id, said.professional_id, said.first_day, said.at, said.name) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert not said.any_professional
    assert (said.window, said.number) == (None, None)
