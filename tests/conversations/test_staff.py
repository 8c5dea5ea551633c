"""The professionals' chat, without a database: what they write read into requests, and what
they read back (in es_AR and en)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import translations
from conversations.messages import Choice
from conversations.staff import (
    MAX_MARKABLE,
    BlockTime,
    MarkBooking,
    NotUnderstood,
    ShowAgenda,
    ShowTakings,
    StaffContext,
    StaffHelp,
    StaffRequest,
    agenda_reply,
    block_reply,
    cannot_mark_reply,
    help_reply,
    marked_reply,
    not_understood_reply,
    notification_text,
    read_staff_message,
    takings_reply,
)
from domain.model import DEFAULT_TIMEZONE, BookingStatus
from domain.staff import AgendaLine, Takings

BA = ZoneInfo(DEFAULT_TIMEZONE)
NOW = datetime(2026, 12, 1, 9, 2, tzinfo=BA)  # Tuesday
TODAY = NOW.date()


def d(day: int, month: int = 12) -> date:
    return date(2026, month, day)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BA)


def read(text: str, choice_id: str | None = None, now: datetime = NOW) -> StaffRequest:
    return read_staff_message(text, choice_id, now)


# Reading


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agenda", ShowAgenda(TODAY)),
        ("agenda de hoy", ShowAgenda(TODAY)),
        ("¿qué tengo hoy?", ShowAgenda(TODAY)),
        ("que tengo hoy", ShowAgenda(TODAY)),
        ("q tengo hoy", ShowAgenda(TODAY)),
        ("AGENDA!!!", ShowAgenda(TODAY)),
        ("turnos de mañana", ShowAgenda(d(2))),
        ("turnos de manana", ShowAgenda(d(2))),
        ("Turnos d mañana porfa", ShowAgenda(d(2))),
        ("agenda de mañana", ShowAgenda(d(2))),
        ("agenda pasado mañana", ShowAgenda(d(3))),
        ("agenda del viernes", ShowAgenda(d(4))),
        ("agneda del vienres", ShowAgenda(d(4))),
        ("agenda del martes", ShowAgenda(TODAY)),  # a weekday is the next one, today included
        ("agenda 12/12", ShowAgenda(d(12))),
        ("agenda para el 12 de diciembre", ShowAgenda(d(12))),
        ("agenda 28/11", ShowAgenda(d(28, 11))),  # three days ago, not next year
        ("¿quién viene mañana?", ShowAgenda(d(2))),
        ("a quien tengo el jueves", ShowAgenda(d(3))),
        ("tengo algo mañana a la tarde?", ShowAgenda(d(2))),
        ("el sábado", ShowAgenda(d(5))),
        ("mañana", ShowAgenda(d(2))),
        ("agenda tomorrow", ShowAgenda(d(2))),
        ("caja", ShowTakings(TODAY)),
        ("caja de hoy", ShowTakings(TODAY)),
        ("¿cuánto hice hoy?", ShowTakings(TODAY)),
        ("cuanto hice hoy", ShowTakings(TODAY)),
        ("cuánta plata hice hoy", ShowTakings(TODAY)),
        ("recaudación de ayer", ShowTakings(d(30, 11))),
        ("recaudasion de ayer", ShowTakings(d(30, 11))),
        ("cuánto facturé ayer", ShowTakings(d(30, 11))),
        ("caja de anteayer", ShowTakings(d(29, 11))),
        ("caja del viernes", ShowTakings(d(27, 11))),  # takings look back: last Friday
        ("cuanto hice el martes", ShowTakings(TODAY)),
        ("caja de mañana", ShowTakings(d(2))),
        ("takings yesterday", ShowTakings(d(30, 11))),
        ("ayuda", StaffHelp()),
        ("menu", StaffHelp()),
        ("hola", StaffHelp()),
        ("Holaaa", StaffHelp()),
        ("buen día!", StaffHelp()),
        ("asdf", NotUnderstood()),
        ("", NotUnderstood()),
        ("bloqueá", NotUnderstood()),  # when?
        ("bloqueá el 24 y el 31", NotUnderstood()),  # two days, not the week between them
        ("bloqueame dos horas el viernes", NotUnderstood()),  # from when?
        ("bloqueá del 20 al 24 de 14 a 16", NotUnderstood()),  # five blocks, not one
        ("bloqueá hasta las 0", NotUnderstood()),  # an empty range
    ],
)
def test_reads_what_a_professional_asks_for(text: str, expected: StaffRequest) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("me voy a almorzar 40 min", at(1, 9, 5), at(1, 9, 45)),
        ("me voy a almorzar 40 minutos", at(1, 9, 5), at(1, 9, 45)),
        ("me voy a almorzar una hora", at(1, 9, 5), at(1, 10, 5)),
        ("almuerzo 1 h", at(1, 9, 5), at(1, 10, 5)),
        ("bloqueame 1hs", at(1, 9, 5), at(1, 10, 5)),
        ("me tomo media hora", at(1, 9, 5), at(1, 9, 35)),
        ("hora y media de descanso", at(1, 9, 5), at(1, 10, 35)),
        ("salgo 2 horas", at(1, 9, 5), at(1, 11, 5)),
        ("me voy a almorzar", at(1, 9, 5), at(1, 10, 5)),  # an hour unless told
        ("lunch 40 min", at(1, 9, 5), at(1, 9, 45)),
        ("bloqueá el viernes de 14 a 16", at(4, 14), at(4, 16)),
        ("bloquea el viernes de 14 a 16", at(4, 14), at(4, 16)),
        ("bloqeá el vienes de 14 a 16", at(4, 14), at(4, 16)),
        ("bloquea el viernes de 2 a 4", at(4, 14), at(4, 16)),
        ("bloqueame de 14 a 16 hs", at(1, 14), at(1, 16)),
        ("bloqueame mañana de 10 a 12:30", at(2, 10), at(2, 12, 30)),
        ("bloqueame manana de 10 a 12.30", at(2, 10), at(2, 12, 30)),
        ("bloqueame mañana hasta las 12", at(2, 0), at(2, 12)),
        ("almuerzo de 13 a 14", at(1, 13), at(1, 14)),
        ("bloqueame 1 hora a las 15", at(1, 15), at(1, 16)),
        ("Bloqueá mañana a las 10", at(2, 10), at(2, 11)),
        ("cerrá la agenda hoy desde las 18", at(1, 18), at(2, 0)),
        ("cerra la agenda hoy desde las 18", at(1, 18), at(2, 0)),
        ("cerrame la agenda a partir de las 19", at(1, 19), at(2, 0)),
        ("me voy a las 18", at(1, 18), at(2, 0)),
        ("no atiendo el 15/12", at(15, 0), at(16, 0)),
        ("no trabajo el sábado", at(5, 0), at(6, 0)),
        ("mañana no estoy", at(2, 0), at(3, 0)),
        ("me tomo el día", at(1, 0), at(2, 0)),
        ("no atiendo del 20 al 24", at(20, 0), at(25, 0)),
        ("me voy de vacaciones del 20 al 27", at(20, 0), at(28, 0)),
        ("block tomorrow from 14 to 16", at(2, 14), at(2, 16)),
        ("block 15/12", at(15, 0), at(16, 0)),
    ],
)
def test_reads_time_to_block_in_local_time(text: str, start: datetime, end: datetime) -> None:
    assert read(text) == BlockTime(start, end, text)


def test_the_reason_kept_is_the_message_as_written() -> None:
    found = read("  Me voy al médico 1 hora  ")

    assert isinstance(found, BlockTime)
    assert found.reason == "Me voy al médico 1 hora"


def test_a_whole_day_across_spring_forward_has_23_hours() -> None:
    zone = ZoneInfo("America/New_York")
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=zone)

    found = read("no atiendo mañana", now=saturday)

    assert isinstance(found, BlockTime)
    assert found.start == datetime(2026, 3, 8, tzinfo=zone)
    assert found.end.astimezone(UTC) - found.start.astimezone(UTC) == timedelta(hours=23)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.datetimes(timezones=st.just(BA)))
def test_any_text_at_any_moment_is_read_into_a_request(text: str, now: datetime) -> None:
    found = read(text, now=now)

    assert isinstance(
        found, ShowAgenda | ShowTakings | BlockTime | MarkBooking | StaffHelp | NotUnderstood
    )
    if isinstance(found, BlockTime):
        assert found.start < found.end


@pytest.mark.parametrize(
    ("choice_id", "expected"),
    [
        ("staff.done.42", MarkBooking(42, "done")),
        ("staff.noshow.42", MarkBooking(42, "no_show")),
        ("staff.agenda.2026-12-04", ShowAgenda(d(4))),
        ("staff.takings.2026-11-30", ShowTakings(d(30, 11))),
    ],
)
def test_reads_the_agenda_buttons(choice_id: str, expected: StaffRequest) -> None:
    assert read("", choice_id) == expected


@pytest.mark.parametrize(
    "choice_id", ["staff.done.x", "staff.agenda.2026-13-01", "staff.other.1", "back"]
)
def test_an_unknown_button_falls_back_to_the_text(choice_id: str) -> None:
    assert read("caja", choice_id) == ShowTakings(TODAY)
    assert read("", choice_id) == NotUnderstood()


# Answering

TINCHO = 10
LATE_MORNING = at(1, 11, 15)


def line(booking_id: int, hour: int, minute: int = 0, **kw: object) -> AgendaLine:
    start = at(1, hour, minute).astimezone(UTC)
    fields: dict[str, object] = {
        "booking_id": booking_id,
        "professional_id": TINCHO,
        "professional_name": "Tincho",
        "service_name": "Corte",
        "customer_name": "Juan Pérez",
        "customer_phone": "+5491158749895",
        "start": start,
        "end": start + timedelta(minutes=30),
        "status": BookingStatus.CONFIRMED,
        "price_cents": 1_200_000,
        "currency": "ARS",
        "shop_id": 1,
    }
    fields.update(kw)
    return AgendaLine(**fields)  # type: ignore[arg-type]


def context(
    locale: str = "es_AR", now: datetime = LATE_MORNING, whole_shop: bool = False
) -> StaffContext:
    catalog = translations(locale)
    return StaffContext(
        now=now.astimezone(UTC),
        locale=locale,
        gettext=catalog.gettext,
        ngettext=catalog.ngettext,
        whole_shop=whole_shop,
    )


def ids(choices: tuple[Choice, ...]) -> list[str]:
    return [c.id for c in choices]


DAY_LINES = [
    line(1, 9, status=BookingStatus.COMPLETED),
    line(2, 10, customer_name="Ana Gómez", customer_phone=None),
    line(3, 11, status=BookingStatus.NO_SHOW),
    line(4, 15, status=BookingStatus.HELD),
    line(5, 16, 30, service_name="Barba"),
]


def test_the_agenda_lists_each_turno_with_its_state_in_spanish() -> None:
    reply = agenda_reply(TODAY, DAY_LINES, context())

    assert reply.text == "\n".join(
        [
            "Agenda del martes 1 de diciembre",
            "",
            "09:00 · Corte · Juan Pérez (+54 9 11 5874-9895) ✔",
            "10:00 · Corte · Ana Gómez",
            "11:00 · Corte · Juan Pérez (+54 9 11 5874-9895) · no vino",
            "15:00 · Corte · Juan Pérez (+54 9 11 5874-9895) · esperando el pago",
            "16:30 · Barba · Juan Pérez (+54 9 11 5874-9895)",
            "",
            "5 turnos",
        ]
    )


def test_started_confirmed_turnos_get_done_and_no_show_buttons_then_navigation() -> None:
    reply = agenda_reply(TODAY, DAY_LINES, context())

    assert [(c.id, c.label) for c in reply.choices] == [
        ("staff.done.2", "✅ 10:00 Ana"),
        ("staff.noshow.2", "🚫 10:00 Ana"),
        ("staff.agenda.2026-12-02", "Mañana"),
        ("staff.takings.2026-12-01", "Caja"),
    ]


def test_every_button_reads_back_as_what_it_offers() -> None:
    reply = agenda_reply(TODAY, DAY_LINES, context())

    assert [read("", c.id) for c in reply.choices] == [
        MarkBooking(2, "done"),
        MarkBooking(2, "no_show"),
        ShowAgenda(d(2)),
        ShowTakings(TODAY),
    ]


def test_buttons_are_offered_for_the_latest_started_turnos_only() -> None:
    lines = [line(n, 8 + n // 2, 30 * (n % 2)) for n in range(12)]  # 08:00 ... 13:30

    reply = agenda_reply(TODAY, lines, context(now=at(1, 20)))

    marks = [c.id for c in reply.choices if c.id.startswith("staff.done.")]
    assert len(marks) == MAX_MARKABLE
    assert marks[0] == "staff.done.4"
    assert marks[-1] == "staff.done.11"


def test_another_day_offers_today_and_tomorrow() -> None:
    friday = line(1, 10, start=at(4, 10).astimezone(UTC))

    reply = agenda_reply(d(4), [friday], context())

    assert ids(reply.choices) == [
        "staff.agenda.2026-12-01",
        "staff.agenda.2026-12-02",
        "staff.takings.2026-12-04",
    ]


def test_an_empty_day_says_so_kindly() -> None:
    assert agenda_reply(d(2), [], context()).text == "No tenés turnos el miércoles 2 de diciembre."
    assert agenda_reply(d(2), [], context(whole_shop=True)).text == (
        "No hay turnos el miércoles 2 de diciembre."
    )


def test_the_owner_sees_who_takes_each_turno() -> None:
    reply = agenda_reply(TODAY, [line(1, 10)], context(whole_shop=True))

    assert "10:00 · Tincho · Corte · Juan Pérez (+54 9 11 5874-9895)" in reply.text


def test_the_agenda_in_english() -> None:
    reply = agenda_reply(TODAY, [line(1, 10, status=BookingStatus.NO_SHOW)], context("en"))

    assert reply.text.splitlines()[0] == "Agenda for Tuesday, December 1"
    assert "10:00 · Corte · Juan Pérez (+54 9 11 5874-9895) · did not come" in reply.text
    assert reply.text.endswith("1 turno")
    assert [c.label for c in reply.choices] == ["Tomorrow", "Takings"]


def test_takings_show_done_still_to_come_and_no_shows() -> None:
    takings = Takings(2, 2_400_000, 1, 1_200_050, 1, "ARS")

    reply = takings_reply(TODAY, takings, context())

    assert reply.text == (
        "Caja del martes 1 de diciembre\n"
        "✔ Hechos: 2 turnos, $\u00a024.000\n"
        "⏳ Por venir: 1 turno, $\u00a012.000,50\n"
        "🚫 No vinieron: 1"
    )
    assert ids(reply.choices) == ["staff.agenda.2026-12-01"]


def test_takings_of_an_empty_day_and_in_english() -> None:
    assert takings_reply(TODAY, Takings(), context()).text == (
        "El martes 1 de diciembre no hay turnos, así que la caja está en cero."
    )
    english = takings_reply(TODAY, Takings(1, 1_200_000), context("en")).text
    assert english == "Takings for Tuesday, December 1\n✔ Done: 1 turno, ARS\u00a012,000"


def test_a_block_warns_about_the_turnos_inside_it_and_does_not_cancel_them() -> None:
    start, end = at(1, 14), at(1, 17)

    reply = block_reply(start, end, [line(4, 15), line(5, 16, 30)], context())

    assert reply.text == "\n".join(
        [
            "Listo, bloqueé el martes 1 de diciembre de 14:00 a 17:00.",
            "",
            "Ojo: estos 2 turnos caen en ese horario y siguen en pie (no los cancelé):",
            "15:00 · Corte · Juan Pérez (+54 9 11 5874-9895)",
            "16:30 · Corte · Juan Pérez (+54 9 11 5874-9895)",
            "Si no vas a poder atenderlos, avisales a los clientes.",
        ]
    )
    assert ids(reply.choices) == ["staff.agenda.2026-12-01"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(1, 9, 5), at(1, 9, 45), "Listo, bloqueé el martes 1 de diciembre de 09:05 a 09:45."),
        (
            at(1, 18),
            at(2, 0),
            "Listo, bloqueé el martes 1 de diciembre desde las 18:00 hasta el final del día.",
        ),
        (at(15, 0), at(16, 0), "Listo, bloqueé el martes 15 de diciembre, todo el día."),
        (
            at(20, 0),
            at(25, 0),
            "Listo, bloqueé del domingo 20 de diciembre al jueves 24 de diciembre, todo el día.",
        ),
        (
            at(1, 22),
            at(2, 2),
            "Listo, bloqueé desde el martes 1/12 22:00 hasta el miércoles 2/12 02:00.",
        ),
    ],
)
def test_a_block_is_confirmed_as_people_say_it(
    start: datetime, end: datetime, expected: str
) -> None:
    assert block_reply(start, end, [], context()).text == expected


def test_a_block_of_several_days_names_the_day_of_each_turno_inside() -> None:
    reply = block_reply(at(1, 0), at(3, 0), [line(4, 15)], context("en"))

    assert reply.text.splitlines() == [
        "Done, I blocked from Tuesday, December 1 to Wednesday, December 2, all day.",
        "",
        "Heads up: this turno is inside that time and still stands (I did not cancel it):",
        "Tuesday 12/1 15:00 · Corte · Juan Pérez (+54 9 11 5874-9895)",
        "If you cannot take it, let the customer know.",
    ]


def test_marking_confirms_in_both_languages() -> None:
    ana = line(2, 10, customer_name="Ana Gómez")

    assert marked_reply(ana, "done", context()).text == (
        "Listo: el turno de Ana Gómez (10:00, Corte) quedó como atendido. ✔"
    )
    assert (
        marked_reply(ana, "no_show", context()).text == "Anotado: Ana Gómez no vino (10:00, Corte)."
    )
    assert marked_reply(ana, "no_show", context("en")).text == (
        "Noted: Ana Gómez did not come (10:00, Corte)."
    )
    # Paid at the shop (or not said): the barber can note the cash; paid online: nothing to note.
    assert ids(marked_reply(ana, "done", context()).choices) == [
        "staff.cash.2",
        "staff.agenda.2026-12-01",
    ]
    paid_online = line(2, 10, customer_name="Ana Gómez", payment_method="mercadopago")
    assert ids(marked_reply(paid_online, "done", context()).choices) == ["staff.agenda.2026-12-01"]


def test_a_button_that_cannot_mark_says_why() -> None:
    ctx = context()

    assert cannot_mark_reply(None, ctx).text == "No encontré ese turno."
    assert cannot_mark_reply(line(5, 16, 30), ctx).text == (
        "Ese turno todavía no empezó: lo vas a poder marcar desde las 16:30."
    )
    assert cannot_mark_reply(line(1, 9, status=BookingStatus.CANCELLED), ctx).text == (
        "Ese turno ya no se puede marcar (se canceló o ya estaba marcado)."
    )


@pytest.mark.parametrize("locale", ["es_AR", "en"])
def test_help_and_the_re_prompt_offer_examples_that_are_understood(locale: str) -> None:
    ctx = context(locale)
    for reply in (help_reply(ctx), not_understood_reply(ctx)):
        examples = re.findall(r"“([^”]+)”", reply.text)
        assert len(examples) >= 3
        understood = [read(example, now=LATE_MORNING) for example in examples]
        assert not [
            e
            for e, r in zip(examples, understood, strict=True)
            if isinstance(r, (NotUnderstood, StaffHelp))
        ]
        assert ids(reply.choices) == [
            "staff.agenda.2026-12-01",
            "staff.agenda.2026-12-02",
            "staff.takings.2026-12-01",
        ]


def test_help_speaks_with_voseo() -> None:
    text = help_reply(context()).text

    assert text.startswith("Esto es lo que me podés escribir:")
    assert "Además te aviso de cada turno nuevo, cancelado o movido." in text


def test_notifications_in_spanish() -> None:
    turno = line(2, 10)
    ctx = context()

    assert (
        notification_text("booked", turno, ctx)
        == "📅 Nuevo turno: martes 1/12 10:00, Corte, Juan Pérez"
    )
    assert notification_text("cancelled", turno, ctx) == (
        "❌ Se canceló el turno del martes 1/12 10:00: Corte, Juan Pérez"
    )
    assert notification_text("moved", turno, ctx, previous_start=at(3, 17).astimezone(UTC)) == (
        "🔁 Se movió un turno: Corte, Juan Pérez, del jueves 3/12 17:00 al martes 1/12 10:00"
    )
    assert notification_text("moved", turno, ctx) == (
        "🔁 Se movió un turno, ahora es el martes 1/12 10:00: Corte, Juan Pérez"
    )


def test_notifications_in_english_and_for_the_owner() -> None:
    turno = line(2, 10)

    assert notification_text("booked", turno, context("en")) == (
        "📅 New turno: Tuesday 12/1 10:00, Corte, Juan Pérez"
    )
    assert notification_text("booked", turno, context(whole_shop=True)) == (
        "📅 Nuevo turno: martes 1/12 10:00, Corte, Juan Pérez · con Tincho"
    )


def test_times_are_shown_in_the_shops_zone_across_dst() -> None:
    zone = "America/New_York"
    start = datetime(2026, 3, 8, 14, 0, tzinfo=UTC)  # 10:00 EDT, the day clocks spring forward
    ctx = StaffContext(now=start, timezone=zone, locale="en")

    assert notification_text("booked", line(1, 10, start=start), ctx).startswith(
        "📅 New turno: Sunday 3/8 10:00"
    )
    assert ctx.today == date(2026, 3, 8)
    assert time(10) == start.astimezone(ZoneInfo(zone)).time()
