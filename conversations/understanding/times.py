"""Times of day: an exact time ("a las 5", "17:30") or a window ("a la tarde", "hasta las 11")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from conversations.understanding.clock import day_time, has_marker, shifted, spoken_time
from conversations.understanding.clock import time_pattern as _t
from conversations.understanding.scratch import Scratch

NOON = time(12)
AFTERNOON_STARTS = time(13)
LATE_AFTERNOON_STARTS = time(17)
NIGHT_STARTS = time(19)

_LAS = r"(?:las |la )?"
_RANGE = re.compile(rf"\b(?:entre|de|desde) {_LAS}{_t('a')} (?:y|a|hasta) {_LAS}{_t('b')}")
_AFTER = (
    re.compile(
        rf"\b(?:(?:despues de|desde|a partir de|mas tarde de|mas tarde que) {_LAS}|pasadas las )"
        rf"{_t('a')}(?: en adelante| para adelante)?"
    ),
    re.compile(rf"\b(?:de |tipo )?{_LAS}{_t('a')} (?:en adelante|para adelante|para arriba)"),
)
_BEFORE = re.compile(rf"\b(?:antes de|hasta|no mas tarde de|mas temprano que) {_LAS}{_t('a')}")
_AFTER_NOON = re.compile(r"\b(?:despues|desde|a partir) del? mediodia\b")
_BEFORE_NOON = re.compile(r"\b(?:antes|hasta) del? mediodia\b")
_AT = re.compile(
    r"\b(?:(?:(?:a eso de|como a|tipo|para|sobre|cerca de|por) )?(?:a )?las |(?:a )?la (?=una\b)"
    rf"|a la |tipo ){_t('a')}"
)
_BARE = re.compile(rf"\b{_t('a')}")
_SAME_TIME = re.compile(r"\b(?:a |en |para |con )?(?:la |el )?(?:misma hora|mismo horario)\b")
_NOON = re.compile(r"\b(?:(?:al|el|para el|tipo|a) )?mediodia\b")

_THIS = re.compile(r"\besta (manana|tardecita|tarde|noche)\b")
_PERIODS: dict[str, re.Pattern[str]] = {
    "manana": re.compile(
        r"\b(?:(?:a|por|en|de|para|durante) )?la manana\b"
        # "el turno de mañana" is tomorrow's turno, not a morning one
        r"|(?<!turno )(?<!turnos )(?<!reserva )(?<!corte )(?<!lo )(?<!el )\bde manana\b"
    ),
    "tardecita": re.compile(r"\b(?:(?:a|por|en|de|para) )?la tardecita\b|\btardecita\b"),
    "tarde": re.compile(r"\b(?:(?:a|por|en|de|para|durante) )?la tarde\b|\bde tarde\b"),
    "noche": re.compile(r"\b(?:(?:a|por|en|de|para|durante) )?la noche\b|\bde noche\b"),
    "temprano": re.compile(r"\b(?:bien |a )?temprano\b"),
    "laburo": re.compile(
        r"\b(?:despues|a la salida|al salir|cuando salgo|saliendo) del? "
        r"(?:laburo|trabajo|oficina)\b"
    ),
    "ultima": re.compile(r"\b(?:a |en la )?ultima hora\b"),
}
# A part of the day turned down: "a la tarde no puedo", "no puedo a la mañana".
_DENIED = re.compile(
    r"\b(?:(?:a|por|de) )?la (?:manana|tarde|noche) no (?:puedo|me sirve|me viene bien)\b"
    r"|\bno (?:puedo|me sirve|me viene bien) (?:a|por|de) la (?:manana|tarde|noche)\b"
)
_PM_PERIODS = frozenset({"tardecita", "tarde", "noche", "laburo"})
AFTER_WORK = time(18)

# The first free time from now, today if there is one ("ahora", "ya mismo", "lo antes posible");
# not "por ahora", "ahora te confirmo", "dale ya", "mi turno ya está".
_NOT_NOW_AFTER = (
    r"(?! (?:no|te|le|lo|la|me|les|nos|que|si|estoy|voy|vuelvo|veo|tengo|tenia|quiero|necesito"
    r"|queria|mejor|pregunto|confirmo|aviso|escribo|sigo|resulta|recien|vi|esta|estaba|reserve"
    r"|saque|fue|se|pague|hice|quedo|confirme|transferi|paso|ta|tan|estan)\b)"
)
# "puede ya", "corte ya": the word before is looked at, not taken ("corte" is the service).
_BEFORE_YA = (
    "puede podes puedo pueden tenes tienen hay atiende atendes atienden ir paso caigo corte turno "
    "algo lugar hueco barba atenderme cortarme"
)
_BEHIND_YA = "(?:" + "|".join(f"(?<=\\b{word} )" for word in _BEFORE_YA.split(" ")) + ")"
_NOW = re.compile(
    r"\b(?:ahora|ya) mismo\b|\bpara (?:ahora|ya)\b|\bahorita\b"
    rf"|(?<!hasta )(?<!por )(?<!desde )(?<!y )\bahora\b{_NOT_NOW_AFTER}"
    # a lone "ya" ("ok", "done") is no time; "corte ya" is
    r"|(?<=[a-z] )(?<!dale )(?<!listo )(?<!bueno )(?<!si )(?<!ok )(?<!joya )(?<!transferi )"
    r"(?<!pague )(?<!mande )(?<!pase )(?<!hice )(?<!desde )(?<!eso )(?<!ahi )(?<!bien )"
    r"(?<!gracias )(?<!perfecto )(?<!genial )\bya $"
    rf"|{_BEHIND_YA}\bya\b{_NOT_NOW_AFTER}"
    r"|\blo (?:antes|mas rapido) (?:posible|que (?:puedas|se pueda))\b|\bcuanto antes\b"
)
# The first free time from now on, whatever the day ("la primera que tengas", "lo más pronto").
_FIRST = re.compile(
    r"\b(?:la|el|lo) primer[oa]? (?:que (?:tengas|tenes|haya|este libre)|(?:turno|horario|hueco|"
    r"lugar) (?:libre|disponible|que tengas))\b|\b(?:el )?primer (?:turno|horario|hueco|lugar)"
    r" (?:libre|disponible)\b|\blo mas pronto(?: posible| que puedas| que tengas)?\b"
    r"|\bel (?:proximo|mas cercano) (?:turno |horario )?(?:libre|disponible)\b"
    r"|\b(?:a |en )?primera hora\b"
)
# Later or earlier than the time on the table ("más tarde", "un poco más temprano"); "más
# tarde que las 5" is an explicit window, "más tarde te aviso" no request at all.
_LATER = re.compile(
    r"\b(?:(?:algo|un poco|un toque|un cachito) )?mas tarde\b"
    r"(?! (?:que|de|te|le|lo|la|me|vuelvo|paso|aviso|escribo|confirmo)\b)"
    r"|\b(?:algo|un poco) despues\b"
)
_EARLIER = re.compile(
    r"\b(?:(?:algo|un poco|un toque|un cachito) )?mas temprano\b(?! (?:que|de)\b)"
    r"|\b(?:algo|un poco) antes\b"
)


@dataclass(frozen=True)
class Times:
    """What a message says about the time of day; `today` for "esta tarde" and friends."""

    at: time | None = None
    window: tuple[time, time] | None = None
    today: bool = False
    soonest: bool = False  # the first free time ("ya", "la primera que tengas")
    shift: int = 0  # +1 later, -1 earlier than the time on the table
    same_time: bool = False  # "a la misma hora" (as the turno being moved)
    then_at: time | None = None  # a second time said after `at` ("el de las 12 pasalo a las 16")


def period_window(period: str, opens: time, closes: time) -> tuple[time, time]:
    """The hours of a part of the day in this shop ("a la noche" starts at 19, or the last hour)."""
    late = shifted(closes, -60)
    starts = {
        "manana": opens,
        "tardecita": min(LATE_AFTERNOON_STARTS, late),
        "tarde": min(AFTERNOON_STARTS, late),
        "noche": min(NIGHT_STARTS, late),
        "temprano": opens,
        "ultima": late,
        "laburo": min(AFTER_WORK, late),
    }
    ends = {"manana": NOON, "temprano": shifted(opens, 120)}
    return max(starts[period], opens), ends.get(period, closes)


def read_times(scratch: Scratch, opens: time, closes: time) -> Times:
    """Take the times and windows out of a message."""
    scratch.take(_DENIED)
    now = bool(scratch.take(_NOW))
    soonest = now or bool(scratch.take(_FIRST))
    shift = len(scratch.take(_LATER)) - len(scratch.take(_EARLIER))
    same_time = scratch.has(_SAME_TIME)  # left in place: "a la misma hora" may say more
    periods = [name for name, pattern in _PERIODS.items() if scratch.has(pattern)]
    hint = "pm" if _PM_PERIODS & set(periods) else "am" if periods else None
    windows = _explicit_windows(scratch, opens, closes, hint)
    at, around, then_at = _exact_times(scratch, opens, closes, hint)
    windows += around
    this = scratch.take(_THIS)
    periods = [m.group(1) for m in this] + [p for p in periods if scratch.take(_PERIODS[p])]
    spans = [period_window(p, opens, closes) for p in periods]
    period = [(min(s[0] for s in spans), max(s[1] for s in spans))] if spans else []
    return Times(
        at,
        _combined(windows, period),
        today=bool(this) or now,
        soonest=soonest,
        shift=max(-1, min(shift, 1)),
        same_time=same_time and at is None,
        then_at=then_at,
    )


# A bare hour right after the day ("mañana 16", "hoy 18"): two digits, so no count nor date.
_HOUR_AFTER_DAY = re.compile(r"\|\s+(?P<h>1\d|2[0-3])(?= (?:con|para|x|por|y)\b| ?$)")


def hour_after_day(scratch: Scratch, opens: time, closes: time) -> time | None:
    """The hour in "mañana 16 con Lu", once the day is taken out: 16:00 if the shop is open."""
    for match in scratch.take(_HOUR_AFTER_DAY, keep=lambda m: opens.hour <= int(m["h"]) < 24):
        at = time(int(match["h"]))
        if opens <= at < closes:
            return at
    return None


def _explicit_windows(
    scratch: Scratch, opens: time, closes: time, hint: str | None
) -> list[tuple[time, time]]:
    windows = []
    for match in scratch.take(_RANGE):
        end = spoken_time(match, "b", opens, closes, hint)
        start = spoken_time(match, "a", opens, closes, hint)
        if start and end and end <= start and end.hour < 12:
            end = day_time(end.hour + 12, end.minute, None, opens, closes)
        if start and end and start < end:
            windows.append((start, end))
    windows += [(NOON, closes) for _ in scratch.take(_AFTER_NOON)]
    windows += [(opens, NOON) for _ in scratch.take(_BEFORE_NOON)]
    for match in [m for pattern in _AFTER for m in scratch.take(pattern)]:
        if start := spoken_time(match, "a", opens, closes, hint):
            windows.append((start, closes if closes > start else time(23, 59)))
    for match in scratch.take(_BEFORE):
        if end := spoken_time(match, "a", opens, closes, hint):
            windows.append((opens if opens < end else time(0), end))
    return windows


def _exact_times(
    scratch: Scratch, opens: time, closes: time, hint: str | None
) -> tuple[time | None, list[tuple[time, time]], time | None]:
    """The time asked for (or the hour after "las 7 y pico"), and a second one said after it."""
    found = scratch.take(_AT) + scratch.take(_BARE, keep=lambda m: has_marker(m, "a"))
    said = [(m, at) for m in found if (at := spoken_time(m, "a", opens, closes, hint))]
    if not said:
        return (NOON if scratch.take(_NOON) else None), [], None
    match, at = said[0]
    if match.group("apico"):
        return None, [(at, shifted(at, 60))], None
    later = [t for m, t in said[1:] if m.start() > match.start() and not m.group("apico")]
    return at, [], later[0] if later else None


def _combined(
    explicit: list[tuple[time, time]], period: list[tuple[time, time]]
) -> tuple[time, time] | None:
    """All the windows at once ("a la tarde, después de las 4"); the explicit one if they clash."""
    windows = explicit + period
    if not windows:
        return None
    start, end = max(w[0] for w in windows), min(w[1] for w in windows)
    return (start, end) if start < end else windows[0]
