"""Dialogue files read into plain data: what the customer says and what must come of it.

The format is described in README.md beside this file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

HERE = Path(__file__).parent
BLIND = "blind.txt"
DEFAULT_NOW = datetime(2026, 12, 1, 9, 0)  # shop-local: Tuesday 2026-12-01 09:00

_TURNO = re.compile(
    r"^(?P<service>.+?) with (?P<pro>\S+) on (?P<day>\d{4}-\d{2}-\d{2}) at (?P<at>\d{1,2}:\d{2})"
)
_MOVED_TO = re.compile(
    r" to (?P<day>\d{4}-\d{2}-\d{2}) at (?P<at>\d{1,2}:\d{2})(?: with (?P<pro>\S+))?$"
)
_FOR = re.compile(r" for (?P<name>.+)$")


class ScriptError(ValueError):
    """A dialogue file that does not follow the format."""


@dataclass(frozen=True)
class Turno:
    """A turno as a dialogue names it; `pro` "anyone" matches any professional."""

    service: str
    pro: str
    day: date
    at: time
    name: str | None = None

    def matches(self, service: str, pro: str, day: date, at: time, name: str | None) -> bool:
        """The turno found is this one (name and professional only when the script says)."""
        return (
            fold(service) == fold(self.service)
            and (self.pro.lower() == "anyone" or fold(pro) == fold(self.pro))
            and (day, at) == (self.day, self.at)
            and (self.name is None or fold(name or "") == fold(self.name))
        )

    def __str__(self) -> str:
        who = f" for {self.name}" if self.name else ""
        return f"{self.service} with {self.pro} on {self.day} at {self.at:%H:%M}{who}"


@dataclass
class Step:
    """One customer message (text, or a tap on the button whose label starts with `tap`) and
    what the bot's answer to it must and must not say."""

    text: str | None = None
    tap: str | None = None
    expect: list[list[str]] = field(default_factory=list)  # each: any of these
    refuse: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"[{self.tap}]" if self.tap is not None else str(self.text)


@dataclass
class Dialogue:
    """One conversation and its expected outcome."""

    id: str
    source: str
    now: datetime = DEFAULT_NOW
    known: str | None = None
    has: list[Turno] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    booked: list[Turno] = field(default_factory=list)
    cancelled: list[Turno] = field(default_factory=list)
    moved: list[tuple[Turno, Turno]] = field(default_factory=list)
    waitlist: bool = False

    @property
    def blind(self) -> bool:
        """Written by someone who saw neither the code nor the corpus."""
        return self.source == BLIND

    def expected_turnos(self) -> list[Turno]:
        """The turnos active at the end: `has`, cancelled and moved ones changed, plus booked."""
        gone = [*self.cancelled, *(old for old, _ in self.moved)]
        kept = [t for t in self.has if t not in gone]
        return [*kept, *(new for _, new in self.moved), *self.booked]


def fold(text: str) -> str:
    """Lowercase, no accents, punctuation as spaces: how checks compare text."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = re.sub(r"[^\w+]+", " ", plain)
    plain = re.sub(r"\b0+(?=\d)", "", plain)  # "09:00" and "9:00" are the same time
    return " ".join(plain.split())


def load(folder: Path = HERE) -> list[Dialogue]:
    """Every dialogue in the folder's .txt files, ids checked unique."""
    found: list[Dialogue] = []
    for path in sorted(folder.glob("*.txt")):
        found.extend(parse(path.read_text(encoding="utf-8"), path.name))
    ids = [d.id for d in found]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ScriptError(f"duplicated dialogue ids: {duplicated}")
    return found


def parse(text: str, source: str) -> list[Dialogue]:
    """The dialogues of one file."""
    dialogues: list[Dialogue] = []
    current: Dialogue | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        if line.startswith("==="):
            current = Dialogue(line[3:].strip(), source)
            dialogues.append(current)
            continue
        if current is None:
            raise ScriptError(f"{where}: a line before the first ===")
        try:
            _line(current, line)
        except (ValueError, IndexError) as error:
            raise ScriptError(f"{where}: {error}: {line!r}") from error
    return dialogues


def _line(dialogue: Dialogue, line: str) -> None:
    if line.startswith(">"):
        said = line[1:].strip()
        if said.startswith("[") and said.endswith("]"):
            dialogue.steps.append(Step(tap=said[1:-1].strip()))
        else:
            dialogue.steps.append(Step(text=said))
    elif line.startswith("<!"):
        _last(dialogue).refuse.append(fold(line[2:]))
    elif line.startswith("<"):
        _last(dialogue).expect.append([fold(part) for part in line[1:].split("|")])
    elif line.startswith("@"):
        _setting(dialogue, line[1:].strip())
    elif line.startswith("="):
        _outcome(dialogue, line[1:].strip())
    else:
        raise ValueError("not a dialogue line")


def _last(dialogue: Dialogue) -> Step:
    if not dialogue.steps:
        raise ValueError("a check before any message")
    return dialogue.steps[-1]


def _setting(dialogue: Dialogue, setting: str) -> None:
    key, _, value = setting.partition(" ")
    if key == "now":
        dialogue.now = datetime.fromisoformat(value.strip())  # shop-local wall time
    elif key == "known":
        dialogue.known = value.strip()
    elif key == "has":
        dialogue.has.append(_turno(value.strip()))
    else:
        raise ValueError(f"unknown setting {key!r}")


def _outcome(dialogue: Dialogue, outcome: str) -> None:
    kind, _, rest = outcome.partition(" ")
    rest = rest.strip()
    if kind == "booked":
        dialogue.booked.append(_turno(rest))
    elif kind == "cancelled":
        dialogue.cancelled.append(_turno(rest))
    elif kind == "moved":
        to = _MOVED_TO.search(rest)
        if to is None:
            raise ValueError("a move needs «to YYYY-MM-DD at HH:MM»")
        old = _turno(rest[: to.start()])
        new = Turno(
            old.service,
            to["pro"] or old.pro,
            date.fromisoformat(to["day"]),
            _time(to["at"]),
            old.name,
        )
        dialogue.moved.append((old, new))
    elif kind == "waitlist":
        dialogue.waitlist = True
    elif kind == "nothing":
        pass
    else:
        raise ValueError(f"unknown outcome {kind!r}")


def _turno(text: str) -> Turno:
    name = None
    named = _FOR.search(text)
    if named:
        name, text = named["name"].strip(), text[: named.start()]
    found = _TURNO.match(text.strip())
    if found is None:
        raise ValueError("a turno is «SERVICE with PRO on YYYY-MM-DD at HH:MM [for NAME]»")
    return Turno(
        found["service"].strip(),
        found["pro"],
        date.fromisoformat(found["day"]),
        _time(found["at"]),
        name,
    )


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
