"""The customer's personal data (Ley 25.326): see what the shop keeps, erase it.

```
MENU ──"qué datos tienen míos"──► ShowMyData ──► MY_DATA ──MyDataFound──► MENU
MENU ──"borrar mis datos"──► CONFIRM_ERASE ──Sí, borralos──► EraseMyData ──DataErased──► START
                                           └─No─────────────────────────────────────────► MENU
```

Erasing cancels the turnos still ahead first (the confirmation says so); a paid one ahead stops
it (`Failed("paid_turno_ahead")`): the customer cancels that one themselves, seeing the policy.
After the erasure the conversation starts over, as with someone the shop never met.
"""

from __future__ import annotations

from dataclasses import replace

from conversations.commands import DataErased, EraseMyData, Failed, MyDataFound, Result, ShowMyData
from conversations.context import Context
from conversations.flows.common import ask, choice_key, menu, say
from conversations.messages import Outgoing
from conversations.reply import Answer, Reply, StepSpec
from conversations.state import Draft, State, Step
from conversations.understanding import Intent
from domain.formatting import format_when

ERASE, KEEP = "erase", "keep"
_CHANNELS = {"telegram": "Telegram", "whatsapp": "WhatsApp", "sandbox": "web"}


def show(state: State, ctx: Context) -> Reply:
    """Ask the runtime what the shop keeps about the customer; the answer tells them."""
    waiting = replace(state, step=Step.MY_DATA, draft=Draft(), choices=())
    return Reply(waiting, (), (ShowMyData(),))


def _shown(state: State, result: Result, ctx: Context) -> Reply:
    if not isinstance(result, MyDataFound):
        return menu(
            state, ctx, before=[ctx.gettext("Sorry, something went wrong. Please try again.")]
        )
    return menu(state, ctx, before=[describe(result, ctx)])


def describe(found: MyDataFound, ctx: Context) -> str:
    """The data, one line each, in the customer's language."""
    _ = ctx.gettext
    shop = ctx.shop.name
    if found.name is None and found.phone is None and not found.turnos and not found.channels:
        return _("{shop} keeps no personal data of yours.").format(shop=shop)
    lines = [_("This is what {shop} keeps about you:").format(shop=shop)]
    lines.append("• " + _("Name: {name}").format(name=found.name or "—"))
    lines.append("• " + _("Phone: {phone}").format(phone=found.phone or "—"))
    if found.channels:
        channels = ", ".join(_CHANNELS.get(c, c) for c in found.channels)
        lines.append("• " + _("Chats: {channels}").format(channels=channels))
    count = ctx.ngettext("{n} turno in total", "{n} turnos in total", found.turnos).format(
        n=found.turnos
    )
    lines.append("• " + count)
    for start in found.upcoming:
        when = format_when(start, ctx.shop.timezone, ctx.locale)
        lines.append("• " + _("Upcoming turno: {when}").format(when=when))
    if found.waitlist:
        lines.append("• " + _("Waitlists: {n}").format(n=found.waitlist))
    if found.messages:
        lines.append("• " + _("Messages for the shop: {n}").format(n=found.messages))
    if found.notes:
        lines.append("• " + _("The shop's notes: {notes}").format(notes=found.notes))
    lines.append(_("If you want me to erase it, write \u201cborrar mis datos\u201d."))
    return "\n".join(lines)


def ask_erase(state: State, ctx: Context) -> Reply:
    """Explain what goes and what stays, and ask to confirm."""
    _ = ctx.gettext
    text = _(
        "I'll erase your name, phone, chats and messages with {shop}, the shop's notes and your "
        "waitlists. Your past turnos and payments stay, without your name, because the shop "
        "needs them for its accounts."
    ).format(shop=ctx.shop.name)
    ahead = len(ctx.upcoming)
    if ahead:
        text += " " + ctx.ngettext(
            "Your turno ahead is cancelled first.",
            "Your {n} turnos ahead are cancelled first.",
            ahead,
        ).format(n=ahead)
    text += " " + _("Do I erase your data?")
    options = [(ERASE, _("Yes, erase them")), (KEEP, _("No"))]
    return ask(
        replace(state, draft=Draft()), ctx, Step.CONFIRM_ERASE, text, options, navigation=False
    )


def _confirm_answer(state: State, answer: Answer, ctx: Context) -> Reply:
    _ = ctx.gettext
    key = choice_key(answer.choice.id) if answer.choice else None
    intents = answer.understood.intents
    if key == ERASE or (key is None and Intent.YES in intents and Intent.NO not in intents):
        return Reply(replace(state, choices=()), (), (EraseMyData(),))
    if key == KEEP or (key is None and intents & {Intent.NO, Intent.QUIT, Intent.CANCEL}):
        return menu(state, ctx, before=[_("OK, I'm not erasing anything.")])
    sorry = Outgoing(_("Sorry, I didn't get that. Pick one of the options:"))
    return Reply(state, (sorry,)).then(ask_erase(state, ctx))


def _erased(state: State, result: Result, ctx: Context) -> Reply:
    _ = ctx.gettext
    if isinstance(result, DataErased):
        done = _(
            "Done, I erased your data. If you write again, we'll start from scratch. Take care!"
        )
        return say(State(language=state.language), done)
    if isinstance(result, Failed) and result.reason == "paid_turno_ahead":
        why = _(
            "You have a paid turno ahead, so I can't erase your data yet: cancel it first from "
            "\u201cMy turnos\u201d (you'll see what happens with the payment), or ask me again "
            "after it."
        )
        return menu(state, ctx, before=[why])
    return menu(state, ctx, before=[_("Sorry, something went wrong. Please try again.")])


def _show_prompt(state: State, ctx: Context) -> Reply:
    return show(state, ctx)


STEPS: dict[Step, StepSpec] = {
    Step.MY_DATA: StepSpec(_show_prompt, lambda s, a, c: menu(s, c), _shown, back=Step.MENU),
    Step.CONFIRM_ERASE: StepSpec(
        ask_erase, _confirm_answer, _erased, back=Step.MENU, cancel_is_answer=True
    ),
}
