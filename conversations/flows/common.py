"""Helpers every flow uses: asking with choices, saying things, going back to the menu."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from conversations.context import Context
from conversations.messages import BACK, MENU, QUIT, Choice, Outgoing
from conversations.reply import Reply
from conversations.state import Draft, State, Step

Option = tuple[str, str] | tuple[str, str, str | None]


def ask(
    state: State,
    ctx: Context,
    step: Step,
    text: str,
    options: Sequence[Option],
    *,
    before: Sequence[str] = (),
    navigation: bool = True,
    quit_label: str | None = None,
) -> Reply:
    """Ask one question with its choices; choice ids carry the offer number to spot stale taps.

    `quit_label` renames the "Cancelar" choice where that word would mean something else.
    """
    _ = ctx.gettext
    offer = state.offer + 1
    choices = [Choice(f"{offer}.{o[0]}", o[1], o[2] if len(o) > 2 else None) for o in options]
    if navigation:
        choices = [*choices, Choice(BACK, _("Back")), Choice(QUIT, quit_label or _("Cancel"))]
    new_state = replace(state, step=step, choices=tuple(choices), offer=offer)
    messages = (*(Outgoing(line) for line in before if line), Outgoing(text, tuple(choices)))
    return Reply(new_state, messages)


def as_page(reply: Reply) -> Reply:
    """Mark a reply's question as another page of the one on screen (paging through a list)."""
    messages = tuple(replace(m, page=True) if m.choices else m for m in reply.messages)
    return replace(reply, messages=messages)


def say(state: State, *lines: str) -> Reply:
    """Messages with no question attached."""
    return Reply(state, tuple(Outgoing(line) for line in lines))


def choice_key(choice_id: str) -> str:
    """The part of a choice id after the offer number (`7.svc.2` → `svc.2`)."""
    _, _, key = choice_id.partition(".")
    return key


def menu(state: State, ctx: Context, *, before: Sequence[str] = ()) -> Reply:
    """The main menu, with the draft cleared."""
    _ = ctx.gettext
    options: list[Option] = [
        ("book", _("Book a turno")),
        ("mine", _("My turnos")),
        ("human", _("Talk to someone at the shop")),
        ("help", _("Help")),
    ]
    # After the fixed options, so "2" is "Mis turnos" whether or not there is a usual.
    if ctx.last_booking is not None and ctx.service(ctx.last_booking.service_id):
        options.append(("repeat", _("The usual: {summary}").format(summary=usual_summary(ctx))))
    fresh = replace(state, draft=Draft())
    return ask(
        fresh,
        ctx,
        Step.MENU,
        _("What would you like to do?"),
        options,
        before=before,
        navigation=False,
    )


def usual_summary(ctx: Context) -> str:
    """`Corte con Tincho`: the customer's last service and professional."""
    last = ctx.last_booking
    if last is None:
        return ""
    service = ctx.service(last.service_id)
    professional = ctx.professional(last.professional_id)
    if service is None:
        return ""
    if professional is None:
        return service.name
    return ctx.gettext("{service} with {professional}").format(
        service=service.name, professional=professional.nickname or professional.name
    )


def navigation_choices(ctx: Context) -> tuple[Choice, ...]:
    """The always-valid choices: back, cancel and menu."""
    _ = ctx.gettext
    return (Choice(BACK, _("Back")), Choice(QUIT, _("Cancel")), Choice(MENU, _("Menu")))
