"""Changes of mind and impossible requests in a booking: what to say about them.

A booking keeps what the customer already chose when they change one part ("no, mejor el
viernes"), and says so; what can't be done (a barber the shop doesn't have, a service that
barber doesn't do, a time the shop is closed) is named in the shop's terms, with what can.
The booking flow calls these; they only read the draft and the shop.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from babel.lists import format_list

from conversations.context import Context
from conversations.flows.labels import local_time, professional_name
from conversations.state import Draft, State
from domain.formatting import format_day
from domain.model import Service


def chosen_time(draft: Draft, ctx: Context) -> time | None:
    """The time on the table: the one asked for, or the chosen slot's."""
    if draft.at is not None:
        return draft.at
    return local_time(draft.slot.start, ctx) if draft.slot is not None else None


def acknowledged(before: Draft, after: Draft, ctx: Context) -> str | None:
    """ "Dale, el viernes entonces.": what changed from an earlier choice, if anything did."""
    _ = ctx.gettext
    parts: list[str] = []
    service = ctx.service(after.service_id)
    if before.service_id is not None and after.service_id != before.service_id and service:
        parts.append(service.name)
    had_someone = before.professional_id is not None or before.any_professional
    if had_someone and after.professional_id not in (None, before.professional_id):
        parts.append(
            _("with {professional}").format(
                professional=professional_name(after.professional_id, ctx)
            )
        )
    old_day = before.day or before.first_day
    if old_day is not None and after.first_day is not None and after.first_day != old_day:
        parts.append(_("on {day}").format(day=_day(after, ctx)))
    old, new = chosen_time(before, ctx), after.at
    if old is not None and new is not None and new != old:
        parts.append(_("at {time}").format(time=f"{new:%H:%M}"))
    if not parts:
        return None
    return _("OK, {change} then.").format(change=" ".join(parts))


def _day(draft: Draft, ctx: Context) -> str:
    assert draft.first_day is not None
    if draft.last_day not in (None, draft.first_day):
        return format_day(draft.first_day, ctx.locale) + "…"
    return format_day(draft.first_day, ctx.locale)


def impossible(state: State, ctx: Context) -> tuple[list[str], State]:
    """What in the draft can't be done, said, and the draft without it (asked again)."""
    notes: list[str] = []
    draft = state.draft
    service = ctx.service(draft.service_id)
    if service is not None and draft.professional_id is not None:
        note, draft = _not_theirs(service, draft, ctx)
        notes += note
    if draft.at is not None:
        note_at = _closed_at(draft.at, service, ctx)
        if note_at:
            notes.append(note_at)
            # The times shown start near it: the last ones of the day, or the first.
            draft = replace(draft, at=None, near=draft.at, slot=None, slots=())
    return notes, replace(state, draft=draft)


def _doers(service: Service, ctx: Context) -> list[str]:
    return [
        p.nickname or p.name
        for p in ctx.professionals
        if p.active and p.id in service.professional_ids
    ]


def _not_theirs(service: Service, draft: Draft, ctx: Context) -> tuple[list[str], Draft]:
    """A professional who doesn't do the service: say who does; the only one takes over."""
    _ = ctx.gettext
    if draft.professional_id in service.professional_ids:
        return [], draft
    offering = [p for p in ctx.professionals if p.active and p.id in service.professional_ids]
    who = professional_name(draft.professional_id, ctx)
    what = service.name.lower()
    if len(offering) == 1:
        note = _("{professional} doesn't do {service}: only {other} does.").format(
            professional=who, service=what, other=offering[0].nickname or offering[0].name
        )
        return [note], replace(draft, professional_id=offering[0].id, slot=None, slots=())
    note = _("{professional} doesn't do {service}: {others} do.").format(
        professional=who, service=what, others=_people(_doers(service, ctx), ctx)
    )
    return [note], replace(draft, professional_id=None, slot=None, slots=(), days=())


def _closed_at(at: time, service: Service | None, ctx: Context) -> str | None:
    """The time is before opening or too late for the service to end by closing."""
    _ = ctx.gettext
    if at < ctx.opens:
        return _("We open at {opens}.").format(opens=_clock(ctx.opens))
    # The last start that ends by closing, on the shop's grid of starts from opening.
    length = service.duration_minutes if service is not None else 0
    opening, closing = _minutes(ctx.opens), _minutes(ctx.closes)
    step = ctx.shop.policy.slot_step_minutes
    latest = opening + max(closing - length - opening, 0) // step * step
    last = time(latest // 60, latest % 60)
    if at < ctx.closes and (service is None or at <= last):
        return None
    if service is None:
        return _("We close at {closes}.").format(closes=_clock(ctx.closes))
    return _("We close at {closes}; the last turno for {service} is at {last}.").format(
        closes=_clock(ctx.closes), service=service.name.lower(), last=f"{last:%H:%M}"
    )


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _clock(at: time) -> str:
    """ "20" for 20:00, "19:30" otherwise, as people say it."""
    return f"{at.hour}" if at.minute == 0 else f"{at:%H:%M}"


def _people(names: list[str], ctx: Context) -> str:
    return format_list(names, locale=ctx.locale) if names else ""


def nobody_called(who: str, state: State, ctx: Context) -> str:
    """ "No tenemos a nadie llamado Pablo: atienden Tincho, Facu y Lu." """
    service = ctx.service(state.draft.service_id)
    if service is not None:
        names = _doers(service, ctx)
    else:
        names = [p.nickname or p.name for p in ctx.professionals if p.active]
    people, n = _people(names, ctx), len(names)
    if " " in who:  # "el gordo": a description, not a name
        text = ctx.ngettext(
            "I don't know who {who} is: {people} works here.",
            "I don't know who {who} is: here it's {people}.",
            n,
        )
        return text.format(who=who, people=people)
    text = ctx.ngettext(
        "We have nobody called {name}: {people} works here.",
        "We have nobody called {name}: here it's {people}.",
        n,
    )
    return text.format(name=who.capitalize(), people=people)
