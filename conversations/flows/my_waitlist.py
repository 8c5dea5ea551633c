"""The customer's waitlist entries: see them, leave one.

```
MENU ──"lista de espera"──► ListWaitlist ──► MY_WAITLIST ──leave one──► LeaveWaitlist ──► MENU
                                                         └─keep them──────────────────► MENU
```

The entries are not part of every turn's context (most turns never need them): the step asks
the runtime for them each time it shows them.
"""

from __future__ import annotations

from dataclasses import replace

from conversations.commands import (
    Failed,
    LeaveWaitlist,
    ListWaitlist,
    Result,
    Waiting,
    WaitlistFound,
)
from conversations.context import Context
from conversations.flows.common import ask, choice_key, menu
from conversations.flows.labels import professional_name
from conversations.messages import Outgoing
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import Draft, State, Step
from conversations.understanding import Intent, normalize
from domain.formatting import format_day, format_short_day

ENTRY = "wl."
_LEAVING = frozenset({"sacame", "sacarme", "salir", "salgo", "borrame", "borrarme", "baja"})


def show(state: State, ctx: Context) -> Reply:
    """Ask the runtime for the customer's entries; the answer lists them."""
    waiting = replace(state, step=Step.MY_WAITLIST, draft=Draft(), choices=())
    return Reply(waiting, (), (ListWaitlist(),))


def _listed(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    if not isinstance(result, WaitlistFound):
        failed = isinstance(result, Failed)
        sorry = _("Sorry, something went wrong. Please try again.")
        return menu(state, ctx, before=[sorry] if failed else [])
    if not result.entries:
        nothing = _(
            "You're not on any waitlist right now. When the times you want are full, "
            "I can put you on one."
        )
        return menu(state, ctx, before=[nothing])
    lines = "\n".join(f"• {describe(entry, ctx)}" for entry in result.entries)
    text = (
        _("You're on the waitlist for:")
        + "\n"
        + lines
        + "\n"
        + _("I'll write to you as soon as a place frees up. Do you want to leave any of them?")
    )
    options = [
        (f"{ENTRY}{e.id}", _("Leave: {entry}").format(entry=_short(e, ctx))) for e in result.entries
    ]
    options.append(("keep", _("Keep them")))
    return ask(state, ctx, Step.MY_WAITLIST, text, options, navigation=False)


def describe(entry: Waiting, ctx: Context) -> str:
    """`Corte con Tincho, del 2/12 al 9/12, de 18:00 a 20:00`."""
    _ = ctx.gettext
    parts = [_what(entry, ctx)]
    if entry.first_day == entry.last_day:
        parts.append(_("on {day}").format(day=format_day(entry.first_day, ctx.locale)))
    else:
        parts.append(
            _("from {first} to {last}").format(
                first=format_short_day(entry.first_day, ctx.locale),
                last=format_short_day(entry.last_day, ctx.locale),
            )
        )
    if entry.window is not None:
        start, end = entry.window
        parts.append(
            _("between {start} and {end}").format(start=f"{start:%H:%M}", end=f"{end:%H:%M}")
        )
    return ", ".join(parts)


def _what(entry: Waiting, ctx: Context) -> str:
    service = ctx.service(entry.service_id)
    name = service.name if service else "?"
    if entry.professional_id is None:
        return name
    return ctx.gettext("{service} with {professional}").format(
        service=name, professional=professional_name(entry.professional_id, ctx)
    )


def _short(entry: Waiting, ctx: Context) -> str:
    """`Corte, 2/12–9/12`: short enough for a button."""
    service = ctx.service(entry.service_id)
    first = format_short_day(entry.first_day, ctx.locale)
    last = format_short_day(entry.last_day, ctx.locale)
    days = first if first == last else f"{first}–{last}"
    return f"{service.name if service else '?'}, {days}"


def _answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    listed = [c for c in state.choices if choice_key(c.id).startswith(ENTRY)]
    leaving = intents & {Intent.CANCEL, Intent.QUIT, Intent.YES} or _LEAVING & set(
        normalize(answer.text).split()
    )
    if key is None and len(listed) == 1 and leaving:
        key = choice_key(listed[0].id)  # one entry: "sacame" / "sí" leaves it
    if key is not None and key.startswith(ENTRY):
        left = menu(state, ctx, before=[_("Done, I took you off that waitlist.")])
        return Reply(left.state, left.messages, (LeaveWaitlist(int(key.removeprefix(ENTRY))),))
    if key == "keep" or (key is None and Intent.NO in intents):
        return menu(state, ctx, before=[_("OK, you stay on the waitlist.")])
    sorry = Outgoing(_("Sorry, I didn't get that. Pick one of the options:"))
    return Reply(state, (sorry,), (ListWaitlist(),))


STEPS: dict[Step, StepSpec] = {
    Step.MY_WAITLIST: StepSpec(show, _answer, _listed, back=Step.MENU, cancel_is_answer=True),
}
