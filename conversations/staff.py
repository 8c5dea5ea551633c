"""The professionals' chat: what they ask ("agenda de mañana", "caja", "bloqueá el viernes de
14 a 16") read into requests, and the answers and notifications they read. Pure: the runtime
runs the queries (domain.storage.agenda) and hands the results to the `*_reply` functions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, TypeAlias
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from conversations.messages import Choice, Outgoing
from conversations.understanding import ShopVocabulary, Understanding, understand
from conversations.understanding.lexicon import (
    FIRST_NAMES,
    KNOWN,
    NUMBER_WORDS,
    spellings_of,
    words_of,
)
from conversations.understanding.normalize import words
from conversations.understanding.scratch import Scratch
from domain.formatting import format_clock, format_day, format_money
from domain.model import DEFAULT_TIMEZONE, BookingStatus
from domain.money import Money
from domain.payments import PaymentMethod
from domain.phone import format_phone
from domain.staff import (
    DEFAULT_BLOCK_MINUTES,
    END_OF_DAY,
    AgendaLine,
    Takings,
    at_local,
    from_now,
    is_whole_days,
    starting_at,
    whole_days,
)

Outcome: TypeAlias = Literal["done", "no_show"]
NotificationKind: TypeAlias = Literal["booked", "cancelled", "moved"]
MAX_MARKABLE = 8  # turnos with done / no-show buttons: a chat keyboard, not a spreadsheet


@dataclass(frozen=True)
class ShowAgenda:
    """The turnos of a local day."""

    day: date


@dataclass(frozen=True)
class ShowTakings:
    """The money of a local day: done, still to come, no-shows."""

    day: date


@dataclass(frozen=True)
class BlockTime:
    """Time off from `start` to `end` (aware, shop local); `reason` is the message as written."""

    start: datetime
    end: datetime
    reason: str


@dataclass(frozen=True)
class MarkBooking:
    """A started turno is done, or the customer did not come."""

    booking_id: int
    outcome: Outcome


@dataclass(frozen=True)
class RecordCash:
    """The professional was paid in cash at the shop for a turno."""

    booking_id: int


@dataclass(frozen=True)
class SettleRequest:
    """The shop accepts (or not) a turno that waits for its OK (paid at the shop)."""

    booking_id: int
    accepted: bool


@dataclass(frozen=True)
class SettleTransfer:
    """The shop says whether a customer's transfer arrived."""

    payment_id: int
    arrived: bool


@dataclass(frozen=True)
class StaffHelp:
    """What they can write."""


@dataclass(frozen=True)
class NotUnderstood:
    """Nothing we can act on."""


StaffRequest: TypeAlias = (
    ShowAgenda
    | ShowTakings
    | BlockTime
    | MarkBooking
    | RecordCash
    | SettleRequest
    | SettleTransfer
    | StaffHelp
    | NotUnderstood
)


def _identity(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@dataclass(frozen=True)
class StaffContext:
    """The turn's moment and the reader's language; `whole_shop` for the owner (names each pro)."""

    now: datetime
    timezone: str = DEFAULT_TIMEZONE
    locale: str = "es_AR"
    gettext: Callable[[str], str] = _identity
    ngettext: Callable[[str, str, int], str] = _english_plural
    whole_shop: bool = False

    @property
    def today(self) -> date:
        """Today in the shop's zone."""
        return self.now.astimezone(ZoneInfo(self.timezone)).date()


# Reading ---------------------------------------------------------------------------------------

# Hours 8-11 read as morning, 1-7 as afternoon ("de 2 a 4" is 14-16); an open end is midnight.
_DAY = ShopVocabulary((), (), opens=time(8), closes=END_OF_DAY)
_CHOICE = re.compile(
    r"staff\.(?P<kind>done|noshow|agenda|takings|transferok|transferno|cash|accept|decline)\.(?P<arg>[\w-]+)"
)
_STAFF_WORDS = sorted(
    words_of(
        "agenda turnos caja recaudacion recaudado facturacion bloquea bloqueame bloquear "
        "bloqueo cerrame cerrar almorzar almuerzo vacaciones descanso atiendo trabajo"
    )
)
# English is the second locale: its few words are read as their Spanish twins.
_ENGLISH = spellings_of(
    "today=hoy tomorrow=manana yesterday=ayer from=desde to=a until=hasta at=a_las hour=hora "
    "minutes=min lunch=almuerzo off=bloquea monday=lunes tuesday=martes wednesday=miercoles "
    "thursday=jueves friday=viernes saturday=sabado sunday=domingo"
)
_BLOCK = re.compile(
    r"\bbloque\w*|\b(?:cerra|cerrame|cerrala|cerrar|cierra|cierro|block)\b"
    r"|\bno (?:atiendo|trabajo|laburo|vengo|estoy|voy a (?:estar|venir|atender|trabajar))\b"
    r"|\bme (?:voy|tomo|retiro|ausento)\b|\b(?:salgo|almorzar|almuerzo|comer|pausa|descanso)\b"
    r"|\b(?:break|franco|vacaciones)\b"
)
_PAUSE = re.compile(r"\b(?:almorzar|almuerzo|comer|pausa|descanso|break|un rato)\b")
_LEAVE = re.compile(r"\b(?:me voy|me retiro|salgo|cerra\w*|cierr[ao])\b")
_TAKINGS = re.compile(
    r"\b(?:caja|recaud\w*|factur\w*|ganancias?|ingresos|plata|cobrado|takings|earnings|cash)\b"
    r"|\bcuanto (?:hice|hicimos|gane|ganamos|saque|sacamos|cobre|cobramos|junte|entro|llevo)\b"
)
_AGENDA = re.compile(
    r"\b(?:agenda|turnos?|clientes|schedule|appointments|bookings)\b"
    r"|\b(?:que|a quien|a quienes) tengo\b|\btengo algo\b|\bquien(?:es)? viene\w*|\bmi dia\b"
)
_HELP = re.compile(
    r"\b(?:ayuda|ayudame|help|menu|inicio|empezar|start|hola|holis|buenas|buen dia|hi|hello"
    r"|comandos|opciones|gracias)\b|\bque (?:puedo|hago)\b|\bcomo (?:funciona|hago|se usa)\b"
)
_PAST_DAYS = re.compile(r"\b(?P<two>anteayer|antes de ayer)\b|\bayer\b")
_MINUTE_WORDS = {**NUMBER_WORDS, "cuarenta": 40, "cincuenta": 50, "noventa": 90}
_N = r"\d{1,3}|" + "|".join(sorted(_MINUTE_WORDS, key=len, reverse=True))
_HALF = {"media": 30, "cuarto": 15}
_DURATIONS = (
    re.compile(r"\b(?:(?:una|un|1) )?hora y (?P<half>media|cuarto)\b"),
    re.compile(r"\bmedia hora\b|\bun cuarto de hora\b|\bun par de (?P<pair>hs|horas)\b"),
    re.compile(rf"(?<![:/.])\b(?P<n>{_N}) (?P<unit>hs|hora|min|mins|minuto|minutos)\b(?![:/])"),
)
# "la agenda de mañana" is tomorrow's (the customer's "de mañana" is a morning).
_TOMORROWS = re.compile(r"\b(agenda|caja|turnos?|clientes|recaudacion) de manana\b")
# Days listed one by one ("el 24 y el 31") are not the span between them.
_LISTED = re.compile(r"\b(?:y|e|o)\b")
_THE_DAY = re.compile(r"\b(?:todo )?el dia\b")
# "de 10 a 12 hs" is a clock time, not twelve hours.
_CLOCK_BEFORE = re.compile(r"\b(?:a|las|la|de|desde|hasta|entre|y)\s*$")


def read_staff_message(text: str, choice_id: str | None, now: datetime) -> StaffRequest:
    """What a professional asks, from a tapped choice or free text; `now` is shop local time."""
    if choice_id:
        chosen = _read_choice(choice_id)
        if chosen is not None:
            return chosen
    tokens = _staff_words(text)
    if not tokens:
        return NotUnderstood()
    plain = _TOMORROWS.sub(r"\1 manana", " ".join(tokens))
    scratch = Scratch(plain.split())
    minutes = _duration(scratch)
    today = now.date()
    when = understand(" ".join(scratch.words), _DAY, today)
    day = _past_day(plain, today) or when.first_day
    if _BLOCK.search(plain):
        block = _block(plain, when, minutes, now, text.strip())
        empty = isinstance(block, BlockTime) and block.end <= block.start  # "hasta las 0"
        return NotUnderstood() if empty else block
    if _TAKINGS.search(plain):
        return ShowTakings(_looking_back(day, when, today, weekday_back=True))
    if _AGENDA.search(plain) or (day is not None and not _HELP.search(plain)):
        return ShowAgenda(_looking_back(day, when, today, weekday_back=False))
    if _HELP.search(plain) or when.just_greeting:
        return StaffHelp()
    return NotUnderstood()


def _read_choice(choice_id: str) -> StaffRequest | None:
    match = _CHOICE.fullmatch(choice_id)
    if match is None:
        return None
    kind, arg = match["kind"], match["arg"]
    if kind in ("accept", "decline"):
        return SettleRequest(int(arg), kind == "accept") if arg.isdigit() else None
    if kind == "cash":
        return RecordCash(int(arg)) if arg.isdigit() else None
    if kind in ("transferok", "transferno"):
        return SettleTransfer(int(arg), kind == "transferok") if arg.isdigit() else None
    if kind in ("done", "noshow"):
        return (
            MarkBooking(int(arg), "done" if kind == "done" else "no_show")
            if arg.isdigit()
            else None
        )
    try:
        day = date.fromisoformat(arg)
    except ValueError:
        return None
    return ShowAgenda(day) if kind == "agenda" else ShowTakings(day)


def _staff_words(text: str) -> list[str]:
    """Normalized words, English ones in Spanish, slips towards the staff's keywords repaired."""
    found: list[str] = []
    for word in words(text):
        word = _ENGLISH.get(word, word)
        if word not in KNOWN and word not in FIRST_NAMES and word.isalpha() and len(word) >= 4:
            close = difflib.get_close_matches(word, _STAFF_WORDS, n=1, cutoff=0.8)
            word = close[0] if close else word
        found.extend(word.split())
    return found


def _duration(scratch: Scratch) -> int | None:
    """Take "40 min", "una hora", "1 h", "media hora", "hora y media" out; in minutes."""
    total = 0
    for pattern in _DURATIONS:
        for match in scratch.take(pattern, keep=lambda m: _is_duration(m, scratch.text)):
            total += _minutes(match)
    return total or None


def _is_duration(match: re.Match[str], text: str) -> bool:
    if match.re is not _DURATIONS[2] or match["unit"] not in ("hs", "hora"):
        return True
    return _CLOCK_BEFORE.search(text[: match.start()]) is None


def _minutes(match: re.Match[str]) -> int:
    groups = match.groupdict()
    if groups.get("half"):
        return 60 + _HALF[match["half"]]
    if groups.get("pair"):
        return 120
    if groups.get("n") is None:
        return 15 if "cuarto" in match[0] else 30
    n = int(match["n"]) if match["n"].isdigit() else _MINUTE_WORDS[match["n"]]
    return n * 60 if match["unit"] in ("hs", "hora") else n


def _past_day(plain: str, today: date) -> date | None:
    """ "ayer", "anteayer": days the customer side never needs."""
    match = _PAST_DAYS.search(plain)
    if match is None:
        return None
    return today - timedelta(days=2 if match["two"] else 1)


def _looking_back(
    day: date | None, when: Understanding, today: date, *, weekday_back: bool
) -> date:
    """The day to show: today by default; "28/11" said on 1/12 is this year's, not next year's.

    For takings a weekday alone is the last one ("¿cuánto hice el viernes?"), today included.
    """
    if day is None:
        return today
    if weekday_back and when.weekday is not None and day > today:
        return day - timedelta(days=7)
    if day - today > timedelta(days=300):
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29/2
            return day
    return day


def _block(
    plain: str, when: Understanding, minutes: int | None, now: datetime, reason: str
) -> StaffRequest:
    """The range a blocking message means, or NotUnderstood when it names no time at all."""
    zone = now.tzinfo
    first = when.first_day
    day = first or now.date()
    several = first is not None and when.last_day is not None and when.last_day != first
    if several and (minutes or when.window or when.at or _LISTED.search(plain)):
        return NotUnderstood()  # "del 20 al 24 de 14 a 16" is many blocks, not one
    if when.window is not None:
        start, end = _window(when.window, plain)
        return BlockTime(at_local(day, start, zone), at_local(day, end, zone), reason)
    if when.at is not None:
        if minutes is None and _LEAVE.search(plain) and not _PAUSE.search(plain):
            return BlockTime(at_local(day, when.at, zone), at_local(day, END_OF_DAY, zone), reason)
        return BlockTime(*starting_at(day, when.at, zone, minutes or DEFAULT_BLOCK_MINUTES), reason)
    if first is not None and first != now.date():
        if minutes is not None:
            return NotUnderstood()  # "dos horas el viernes": from when?
        return BlockTime(*whole_days(first, when.last_day or first, zone), reason)
    if minutes is not None or _PAUSE.search(plain):
        return BlockTime(*from_now(now, minutes or DEFAULT_BLOCK_MINUTES), reason)
    if first is not None or _THE_DAY.search(plain):
        return BlockTime(*whole_days(day, day, zone), reason)
    return NotUnderstood()


def _window(window: tuple[time, time], plain: str) -> tuple[time, time]:
    """ "hasta las 12" starts at midnight, not at the earliest hour read as morning."""
    start, end = window
    if start == _DAY.opens and not re.search(r"\b(?:8|08|ocho)\b", plain):
        start = time(0)
    return start, end


# Answering -------------------------------------------------------------------------------------


def agenda_reply(day: date, lines: list[AgendaLine], ctx: StaffContext) -> Outgoing:
    """The day's turnos, one a line, with done / no-show buttons for those already started."""
    _ = ctx.gettext
    when = format_day(day, ctx.locale)
    if not lines:
        empty = (
            _("There are no turnos on {day}.")
            if ctx.whole_shop
            else _("You have no turnos on {day}.")
        )
        return Outgoing(empty.format(day=when), _navigation(day, ctx))
    count = ctx.ngettext("{n} turno", "{n} turnos", len(lines)).format(n=len(lines))
    text = "\n".join(
        [_("Agenda for {day}").format(day=when), "", *(_line(x, ctx) for x in lines), "", count]
    )
    markable = [x for x in lines if x.can_be_marked(ctx.now)][-MAX_MARKABLE:]
    marks = [choice for x in markable for choice in _mark_choices(x, ctx)]
    return Outgoing(text, (*marks, *_navigation(day, ctx)))


def takings_reply(day: date, takings: Takings, ctx: StaffContext) -> Outgoing:
    """Done, still to come and no-shows of a day, in the shop's money."""
    _ = ctx.gettext
    when = format_day(day, ctx.locale)
    agenda = (Choice(f"staff.agenda.{day.isoformat()}", _("See the agenda")),)
    if not (takings.completed_count or takings.pending_count or takings.no_show_count):
        return Outgoing(_("No turnos on {day}, so nothing in the till.").format(day=when), agenda)
    done = ctx.ngettext(
        "✔ Done: {n} turno, {amount}", "✔ Done: {n} turnos, {amount}", takings.completed_count
    )
    lines = [
        _("Takings for {day}").format(day=when),
        done.format(n=takings.completed_count, amount=_money(takings.completed, ctx)),
    ]
    if takings.pending_count:
        pending = ctx.ngettext(
            "⏳ Still to come: {n} turno, {amount}",
            "⏳ Still to come: {n} turnos, {amount}",
            takings.pending_count,
        )
        lines.append(pending.format(n=takings.pending_count, amount=_money(takings.pending, ctx)))
    if takings.no_show_count:
        lines.append(_("🚫 Did not come: {n}").format(n=takings.no_show_count))
    return Outgoing("\n".join(lines), agenda)


def block_reply(
    start: datetime, end: datetime, conflicts: list[AgendaLine], ctx: StaffContext
) -> Outgoing:
    """Confirms the blocked time; turnos inside it stay booked, and are listed to be dealt with."""
    _ = ctx.gettext
    lines = [_blocked_range(start, end, ctx)]
    if conflicts:
        n = len(conflicts)
        lines += [
            "",
            ctx.ngettext(
                "Heads up: this turno is inside that time and still stands (I did not cancel it):",
                "Heads up: these {n} turnos are inside that time and still stand "
                "(I did not cancel them):",
                n,
            ).format(n=n),
            *(_line(x, ctx, with_day=not _one_day(start, end, ctx)) for x in conflicts),
            ctx.ngettext(
                "If you cannot take it, let the customer know.",
                "If you cannot take them, let the customers know.",
                n,
            ),
        ]
    day = _local(start, ctx).date()
    return Outgoing(
        "\n".join(lines), (Choice(f"staff.agenda.{day.isoformat()}", _("See the agenda")),)
    )


def marked_reply(line: AgendaLine, outcome: Outcome, ctx: StaffContext) -> Outgoing:
    """Confirms a turno marked as done or as a no-show."""
    _ = ctx.gettext
    if outcome == "done":
        text = _("Done: {customer}'s turno ({time}, {service}) is marked as attended. ✔")
    else:
        text = _("Noted: {customer} did not come ({time}, {service}).")
    clock = format_clock(line.start, ctx.timezone, ctx.locale)
    day = _local(line.start, ctx).date()
    agenda = Choice(f"staff.agenda.{day.isoformat()}", _("See the agenda"))
    choices: tuple[Choice, ...] = (agenda,)
    if outcome == "done" and line.payment_method in (None, PaymentMethod.CASH.value):  # at the shop
        paid = _("💵 Paid {amount} in cash").format(amount=_money(line.price, ctx))
        choices = (Choice(f"staff.cash.{line.booking_id}", paid), agenda)
    return Outgoing(
        text.format(customer=line.customer_name, time=clock, service=line.service_name), choices
    )


def cash_reply(line: AgendaLine, amount: Money | None, ctx: StaffContext) -> Outgoing:
    """The cash is noted (`amount`), or was noted before (None)."""
    _ = ctx.gettext
    if amount is None:
        return Outgoing(_("That payment was already noted."))
    return Outgoing(
        _("Noted: {amount} in cash from {customer} ({time}).").format(
            amount=_money(amount, ctx),
            customer=line.customer_name,
            time=format_clock(line.start, ctx.timezone, ctx.locale),
        )
    )


def cannot_mark_reply(line: AgendaLine | None, ctx: StaffContext) -> Outgoing:
    """Why a done / no-show button did nothing: gone, not started yet, or no longer open."""
    _ = ctx.gettext
    if line is None:
        return Outgoing(_("I could not find that turno."), _menu(ctx))
    if line.start > ctx.now:
        when = format_clock(line.start, ctx.timezone, ctx.locale)
        return Outgoing(
            _("That turno has not started yet: you can mark it from {time}.").format(time=when),
            _menu(ctx),
        )
    return Outgoing(
        _("That turno can no longer be marked (it was cancelled or already marked)."), _menu(ctx)
    )


def help_reply(ctx: StaffContext) -> Outgoing:
    """What a professional can write, with the usual answers as buttons."""
    _ = ctx.gettext
    text = "\n".join(
        [
            _("Here is what you can write to me:"),
            _("• “agenda”, “turnos de mañana”, “agenda del viernes”"),
            _("• “caja de hoy”, “¿cuánto hice ayer?”"),
            _(
                "• “me voy a almorzar 40 min”, “bloqueá el viernes de 14 a 16”, "
                "“no atiendo el 15/12”"
            ),
            _("I also let you know of every new, cancelled or moved turno."),
        ]
    )
    return Outgoing(text, _menu(ctx))


def not_understood_reply(ctx: StaffContext) -> Outgoing:
    """A friendly re-prompt with examples and buttons."""
    _ = ctx.gettext
    text = _(
        "Sorry, I did not get that. Try “agenda de mañana”, “caja de hoy” or "
        "“bloqueá el viernes de 14 a 16”."
    )
    return Outgoing(text, _menu(ctx))


def notification_text(
    kind: NotificationKind,
    line: AgendaLine,
    ctx: StaffContext,
    previous_start: datetime | None = None,
) -> str:
    """ "📅 Nuevo turno: martes 1/12 10:00, Corte, Juan Pérez" and its cancelled / moved kin."""
    _ = ctx.gettext
    fields = {
        "when": _short_when(line.start, ctx),
        "service": line.service_name,
        "customer": line.customer_name,
    }
    if kind == "booked":
        text = _("📅 New turno: {when}, {service}, {customer}").format(**fields)
    elif kind == "cancelled":
        text = _("❌ Cancelled turno: {when}, {service}, {customer}").format(**fields)
    elif previous_start is None:
        text = _("🔁 Moved turno, now {when}: {service}, {customer}").format(**fields)
    else:
        old = _short_when(previous_start, ctx)
        text = _("🔁 Moved turno: {service}, {customer}, from {old} to {when}").format(
            old=old, **fields
        )
    if ctx.whole_shop:
        text += " · " + _("with {professional}").format(professional=line.professional_name)
    return text


def transfer_check(
    line: AgendaLine,
    payment_id: int,
    amount: Money,
    ctx: StaffContext,
    *,
    with_receipt: bool = False,
) -> Outgoing:
    """ "💸 Juan Pérez dice que transfirió $ 12.000 por su turno …: ¿llegó?" with the answers."""
    _ = ctx.gettext
    text = _(
        "💸 {customer} says they transferred {amount} for the turno {when} ({service}). "
        "Did it arrive?"
    ).format(
        customer=line.customer_name,
        amount=_money(amount, ctx),
        when=_short_when(line.start, ctx),
        service=line.service_name,
    )
    if with_receipt:
        text += " " + _("📎 They sent the receipt.")
    choices = (
        Choice(f"staff.transferok.{payment_id}", _("✅ It arrived")),
        Choice(f"staff.transferno.{payment_id}", _("❌ It didn't")),
    )
    return Outgoing(text, choices)


def accept_check(line: AgendaLine, ctx: StaffContext) -> Outgoing:
    """The shop is asked to take a turno paid at the shop: «¿Lo aceptás?» with yes / no."""
    _ = ctx.gettext
    text = _(
        "🆕 {customer} asked for a turno: {when} ({service}), paying at the shop. Do you take it?"
    ).format(
        customer=line.customer_name,
        when=_short_when(line.start, ctx),
        service=line.service_name,
    )
    choices = (
        Choice(f"staff.accept.{line.booking_id}", _("✅ Yes")),
        Choice(f"staff.decline.{line.booking_id}", _("❌ I can't")),
    )
    return Outgoing(text, choices)


def give_back_note(line: AgendaLine, amount: Money, ctx: StaffContext) -> Outgoing:
    """A cancelled turno paid by transfer: what to give back, and to whom."""
    _ = ctx.gettext
    return Outgoing(
        _(
            "↩️ {customer} cancelled the turno {when} in time: give back the {amount} they "
            "transferred."
        ).format(
            customer=line.customer_name,
            when=_short_when(line.start, ctx),
            amount=_money(amount, ctx),
        )
    )


def transfer_settled_reply(outcome: str, ctx: StaffContext) -> Outgoing:
    """What came of the shop's answer about a transfer."""
    _ = ctx.gettext
    if outcome == "confirmed":
        return Outgoing(_("Done: the turno is confirmed and the customer knows."))
    if outcome == "released":
        return Outgoing(_("Done: I let the time go and told the customer."))
    if outcome == "late":
        return Outgoing(
            _(
                "Noted, but the time had already been let go: the customer knows you'll give "
                "the transfer back."
            )
        )
    return Outgoing(_("That transfer was already answered."))


def _line(line: AgendaLine, ctx: StaffContext, *, with_day: bool = False) -> str:
    """`10:00 · Corte · Juan Pérez (+54 9 11 5874-9895) ✔`."""
    _ = ctx.gettext
    when = (
        _short_when(line.start, ctx)
        if with_day
        else format_clock(line.start, ctx.timezone, ctx.locale)
    )
    parts = [when, line.professional_name] if ctx.whole_shop else [when]
    customer = line.customer_name
    if line.customer_phone:
        customer += f" ({format_phone(line.customer_phone)})"
    text = " · ".join([*parts, line.service_name, customer])
    if line.status is BookingStatus.COMPLETED:
        return text + " ✔"
    if line.status is BookingStatus.NO_SHOW:
        return text + " · " + _("did not come")
    if line.status is BookingStatus.HELD:
        return text + " · " + _("awaiting payment")
    return text


def _mark_choices(line: AgendaLine, ctx: StaffContext) -> tuple[Choice, Choice]:
    clock = format_clock(line.start, ctx.timezone, ctx.locale)
    who = line.customer_name.split()[0] if line.customer_name.split() else ""
    label = f"{clock} {who}".strip()
    return (
        Choice(f"staff.done.{line.booking_id}", f"✅ {label}"),
        Choice(f"staff.noshow.{line.booking_id}", f"🚫 {label}"),
    )


def _navigation(day: date, ctx: StaffContext) -> tuple[Choice, ...]:
    _ = ctx.gettext
    today, tomorrow = ctx.today, ctx.today + timedelta(days=1)
    found = [
        Choice(f"staff.agenda.{d.isoformat()}", label)
        for d, label in ((today, _("Today")), (tomorrow, _("Tomorrow")))
        if d != day
    ]
    found.append(Choice(f"staff.takings.{day.isoformat()}", _("Takings")))
    return tuple(found)


def _menu(ctx: StaffContext) -> tuple[Choice, ...]:
    _ = ctx.gettext
    today, tomorrow = ctx.today.isoformat(), (ctx.today + timedelta(days=1)).isoformat()
    return (
        Choice(f"staff.agenda.{today}", _("Today's agenda")),
        Choice(f"staff.agenda.{tomorrow}", _("Tomorrow's agenda")),
        Choice(f"staff.takings.{today}", _("Today's takings")),
    )


def _blocked_range(start: datetime, end: datetime, ctx: StaffContext) -> str:
    """ "Listo, bloqueé el viernes 4 de diciembre de 14:00 a 16:00" and its whole-day kin."""
    _ = ctx.gettext
    local_start, local_end = _local(start, ctx), _local(end, ctx)
    day = format_day(local_start.date(), ctx.locale)
    if is_whole_days(local_start, local_end):
        last = local_end.date() - timedelta(days=1)
        if last == local_start.date():
            return _("Done, I blocked {day}, all day.").format(day=day)
        return _("Done, I blocked from {first} to {last}, all day.").format(
            first=day, last=format_day(last, ctx.locale)
        )
    begin = format_clock(start, ctx.timezone, ctx.locale)
    if local_end.time() == time(0) and local_end.date() == local_start.date() + timedelta(days=1):
        return _("Done, I blocked {day} from {start} until the end of the day.").format(
            day=day, start=begin
        )
    if local_end.date() == local_start.date():
        finish = format_clock(end, ctx.timezone, ctx.locale)
        return _("Done, I blocked {day} from {start} to {end}.").format(
            day=day, start=begin, end=finish
        )
    return _("Done, I blocked from {start} to {end}.").format(
        start=_short_when(start, ctx), end=_short_when(end, ctx)
    )


def _one_day(start: datetime, end: datetime, ctx: StaffContext) -> bool:
    return _local(end - timedelta(microseconds=1), ctx).date() == _local(start, ctx).date()


def _local(moment: datetime, ctx: StaffContext) -> datetime:
    return moment.astimezone(ZoneInfo(ctx.timezone))


def _short_when(moment: datetime, ctx: StaffContext) -> str:
    """`martes 1/12 10:00` (`Tuesday 12/1 10:00`) in the shop's zone."""
    local = _local(moment, ctx)
    pattern = "EEEE d/M HH:mm" if ctx.locale.startswith("es") else "EEEE M/d HH:mm"
    return format_datetime(local, pattern, tzinfo=local.tzinfo, locale=ctx.locale)


def _money(money: Money, ctx: StaffContext) -> str:
    """Whole pesos unless there are centavos to show."""
    return format_money(money, ctx.locale, with_cents=money.cents % 100 != 0)
