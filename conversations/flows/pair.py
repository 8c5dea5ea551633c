"""A second person's turno in the same booking: «para mí y mi hermano», «somos dos».

The customer's own turno is chosen as usual (booking.py); once its time is settled, the second
one is found next to it, then the second person's name is asked, and one summary and one
confirmation book both (the runtime books them all or nothing):

```
booking: … TIME ──slot──► PAIR_TIME (free times for the second) ──fits──► PAIR_NAME ──name──►
         booking: PAYMENT → CONFIRM (both turnos in the summary) → BookSlot(companion=…)
PAIR_TIME ──the wanted time is taken──► the nearest free ones, or «solo el mío»
```

Side by side («a la vez», «cualquiera», two barbers named): the same start with another
professional. Back to back («uno atrás del otro», one barber named): right after the customer's
turno (or at the time asked for the second), with the same professional.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conversations.commands import CompanionBooked, CompanionSlot, FindSlots, Result, SlotsFound
from conversations.context import Context
from conversations.flows.common import ask, choice_key, menu, say
from conversations.flows.labels import professional_name, slot_label
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import CachedSlot, Companion, Draft, Mode, State, Step
from conversations.understanding import Understanding
from conversations.understanding.pair import answered_name
from domain.formatting import format_clock, format_when

ALTERNATIVES = 6


def noted(draft: Draft, understood: Understanding) -> Draft:
    """The draft with what the message says about a second person (and about each one)."""
    said = understood.pair
    if said is None or draft.mode is not Mode.BOOK:
        return draft
    if not said.asked and draft.companion is None:
        return draft
    old = draft.companion or Companion()
    companion = replace(
        old,
        together=said.together if said.together is not None else old.together,
        name=said.name or old.name,
        service_id=said.service_id or old.service_id,
        professional_id=said.professional_id or old.professional_id,
        at=said.at or old.at,
        slot=None,
        after=None,
        slots=(),
    )
    draft = replace(draft, companion=companion)
    if said.own_service_id is not None:
        draft = replace(draft, service_id=said.own_service_id)
    if said.own_professional_id is not None:
        draft = replace(draft, professional_id=said.own_professional_id, any_professional=False)
    elif draft.professional_id is None and (said.anyone or companion.together):
        draft = replace(draft, any_professional=True)  # side by side: whoever is free
    if said.own_at is not None:
        draft = replace(draft, at=said.own_at)
    return draft


def pending(state: State, ctx: Context) -> Reply | None:
    """What the second turno still needs once the customer's time is set (None: nothing)."""
    draft = state.draft
    companion = draft.companion
    if companion is None or draft.mode is not Mode.BOOK or draft.slot is None:
        return None
    if companion.slot is None or companion.after != draft.slot.start:
        return _find(state, ctx)
    if companion.name is None:
        return _name_prompt(state, ctx)
    return None


def command(draft: Draft) -> CompanionSlot | None:
    """The second turno to book with the customer's."""
    companion = draft.companion
    if companion is None or companion.slot is None or draft.service_id is None:
        return None
    return CompanionSlot(
        companion.service_id or draft.service_id,
        companion.slot.professional_id,
        companion.slot.start,
        companion.name or "",
    )


def booked_line(booked: CompanionBooked, ctx: Context, paid_ahead: bool = False) -> str:
    """The second turno, as confirmed (paid at the shop, when the customer's is paid ahead)."""
    _ = ctx.gettext
    text = (
        _(
            "And {name}'s turno is booked too: {when} with {professional} "
            "(that one is paid at the shop)."
        )
        if paid_ahead
        else _("And {name}'s turno is booked too: {when} with {professional}.")
    )
    return text.format(
        name=booked.name,
        when=format_when(booked.start, ctx.shop.timezone, ctx.locale),
        professional=professional_name(booked.professional_id, ctx),
    )


def taken(state: State, ctx: Context) -> Reply:
    """The second turno could not be booked: neither was; find the second one again."""
    _ = ctx.gettext
    companion = state.draft.companion
    name = companion.name if companion and companion.name else _("the second person")
    sorry = _(
        "I couldn't book {name}'s turno: that time was just taken. I booked neither of them."
    ).format(name=name)
    if companion is None:
        return say(state, sorry)
    again = state.with_draft(companion=replace(companion, slot=None, after=None, slots=()))
    return say(again, sorry).then(_find(again, ctx))


# -- finding the second turno ----------------------------------------------------------------


def _together(draft: Draft) -> bool:
    """Side by side (another professional, the same start) or back to back."""
    companion = draft.companion
    assert companion is not None
    if companion.together is not None:
        return companion.together
    named_apart = companion.professional_id not in (None, draft.professional_id)
    return draft.any_professional or named_apart


def _find(state: State, ctx: Context) -> Reply:
    draft = state.draft
    companion = draft.companion
    assert companion is not None
    assert draft.slot is not None
    day = _local(draft.slot.start, ctx).date()
    service_id = companion.service_id or draft.service_id
    assert service_id is not None
    search = FindSlots(service_id, companion.professional_id, day, day)
    waiting = replace(state, step=Step.PAIR_TIME, choices=())
    return Reply(waiting, (), (search,))


def _wanted(draft: Draft, ctx: Context) -> datetime:
    """When the second turno should start."""
    companion = draft.companion
    assert companion is not None
    assert draft.slot is not None
    if companion.at is not None:
        tz = ZoneInfo(ctx.shop.timezone)
        day = _local(draft.slot.start, ctx).date()
        return datetime.combine(day, companion.at, tz).astimezone(draft.slot.start.tzinfo)
    if _together(draft):
        return draft.slot.start
    service = ctx.service(draft.service_id)
    length = service.duration if service else timedelta(minutes=30)
    return draft.slot.start + length


def _fits(slot: CachedSlot, draft: Draft, ctx: Context) -> bool:
    """The second person may take this slot: not the customer's professional while busy
    with the customer, and the same professional back to back when one was asked for."""
    mine = draft.slot
    assert mine is not None
    assert draft.companion is not None
    service = ctx.service(draft.service_id)
    length = service.duration if service else timedelta(minutes=30)
    other = ctx.service(draft.companion.service_id or draft.service_id)
    their_length = other.duration if other else length
    overlaps = slot.start < mine.start + length and mine.start < slot.start + their_length
    if slot.professional_id == mine.professional_id and overlaps:
        return False
    chosen_one = not draft.any_professional and draft.companion.professional_id is None
    if chosen_one and not _together(draft):
        return slot.professional_id == mine.professional_id
    return True


def _found(state: State, result: Result, ctx: Context) -> Reply:
    from conversations.flows import booking  # booking imports this module

    _ = ctx.gettext
    if not isinstance(result, SlotsFound):
        return menu(state, ctx, before=[_("Sorry, something went wrong. Please try again.")])
    draft = state.draft
    companion = draft.companion
    assert companion is not None
    assert draft.slot is not None
    free = [
        CachedSlot(s.start, s.professional_id, s.seats_left)
        for s in result.slots
        if _fits(CachedSlot(s.start, s.professional_id, s.seats_left), draft, ctx)
    ]
    wanted = _wanted(draft, ctx)
    exact = [s for s in free if s.start == wanted]
    if exact:
        same = [s for s in exact if s.professional_id == draft.slot.professional_id]
        chosen = (same or exact)[0]
        settled = state.with_draft(
            companion=replace(companion, slot=chosen, after=draft.slot.start, slots=())
        )
        return booking.advance(settled, ctx)
    closest = sorted(free, key=lambda s: (abs(s.start - wanted), s.start))[:ALTERNATIVES]
    options = tuple(sorted(closest, key=lambda s: s.start))
    shown = state.with_draft(
        companion=replace(companion, slot=None, after=draft.slot.start, slots=options)
    )
    who = companion.name or _("the second turno")
    when = format_clock(wanted, ctx.shop.timezone, ctx.locale)
    if not options:
        why = _("I have no room left that day for {who}.").format(who=who)
    else:
        why = _("I have no room for {who} at {time}. These are the closest:").format(
            who=who, time=when
        )
    return _times_prompt(shown, ctx, [why])


def _times_prompt(state: State, ctx: Context, before: list[str] | None = None) -> Reply:
    _ = ctx.gettext
    companion = state.draft.companion
    assert companion is not None
    options = [
        (f"pair.{n}", slot_label(s, ctx, with_day=False, with_who=True, group=False))
        for n, s in enumerate(companion.slots)
    ]
    options.append(("pair.alone", _("Only mine")))
    options.append(("pair.day", _("Another day for both")))
    return ask(
        state,
        ctx,
        Step.PAIR_TIME,
        _("Pick a time for the second turno"),
        options,
        before=before or (),
    )


def _times_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    from conversations.flows import booking

    _ = ctx.gettext
    draft = state.draft
    companion = draft.companion
    if companion is None or draft.slot is None:
        return booking.advance(state, ctx)
    key = choice_key(answer.choice.id) if answer.choice else None
    if key == "pair.alone":
        return booking.advance(state.with_draft(companion=None), ctx)
    if key == "pair.day":
        return booking.STEPS[Step.DAY].prompt(booking.rewind(state, Step.DAY), ctx)
    chosen = None
    if key is not None and key.removeprefix("pair.").isdigit():
        chosen = companion.slots[int(key.removeprefix("pair."))]
    elif answer.understood.at is not None:
        at = answer.understood.at
        chosen = next((s for s in companion.slots if _local(s.start, ctx).time() == at), None)
    if chosen is None:
        sorry = _("Sorry, I didn't get that. Pick one of the options:")
        return say(state, sorry).then(_times_prompt(state, ctx))
    settled = state.with_draft(
        companion=replace(companion, slot=chosen, after=draft.slot.start, slots=())
    )
    return booking.advance(settled, ctx)


# -- the second person's name ----------------------------------------------------------------


def _name_prompt(state: State, ctx: Context, before: list[str] | None = None) -> Reply:
    _ = ctx.gettext
    draft = state.draft
    companion = draft.companion
    assert companion is not None
    assert companion.slot is not None
    assert draft.slot is not None
    plan = _("For you I have {mine}; and for the second turno, {theirs}.").format(
        mine=_turno(draft.service_id, draft.slot, ctx),
        theirs=_turno(companion.service_id or draft.service_id, companion.slot, ctx),
    )
    question = _("And whose name is the second turno under?")
    return ask(state, ctx, Step.PAIR_NAME, question, [], before=[*(before or []), plan])


def _name_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    from conversations.flows import booking

    _ = ctx.gettext
    companion = state.draft.companion
    if companion is None:
        return booking.advance(state, ctx)
    name = answered_name(answer.text) or answer.understood.name
    if name is None or len(name) > 40:
        again = _("Sorry, I didn't get it. Whose name is it under? (the first name is fine)")
        return ask(state, ctx, Step.PAIR_NAME, again, [])
    return booking.advance(state.with_draft(companion=replace(companion, name=name)), ctx)


def _turno(service_id: int | None, slot: CachedSlot, ctx: Context) -> str:
    """«Corte con Lu, sábado 5 de diciembre, 10:00»."""
    _ = ctx.gettext
    service = ctx.service(service_id)
    return _("{service} with {professional}, {when}").format(
        service=service.name if service else "",
        professional=professional_name(slot.professional_id, ctx),
        when=format_when(slot.start, ctx.shop.timezone, ctx.locale),
    )


def _local(moment: datetime, ctx: Context) -> datetime:
    return moment.astimezone(ZoneInfo(ctx.shop.timezone))


STEPS: dict[Step, StepSpec] = {
    Step.PAIR_TIME: StepSpec(_times_prompt, _times_answer, _found, back=Step.TIME),
    Step.PAIR_NAME: StepSpec(
        lambda s, c: _name_prompt(s, c), _name_answer, back=Step.TIME, small_talk=False
    ),
}
