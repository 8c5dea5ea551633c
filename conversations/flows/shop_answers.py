"""What the shop answers to each kind of question, from its own data (the words only: the
flow in shop_info decides what comes after)."""

from __future__ import annotations

from collections.abc import Callable

from conversations.context import Context
from conversations.flows.labels import price_list
from conversations.flows.shop_hours_answers import (
    hours_answer,
    listed,
    schedule_answer,
    staff_answer,
    who_does_on,
)
from conversations.understanding import Question, Topic
from domain.formatting import format_list_of
from domain.phone import format_phone


def text(question: Question, ctx: Context) -> str:
    """The answer to one question."""
    return _ANSWERS[question.topic](question, ctx)


def _where(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    shop = ctx.shop
    if not shop.address:
        return _unknown(ctx)
    lines = [_("We're at {address}.").format(address=shop.address)]
    if shop.maps_url:
        lines.append(_("Map: {url}").format(url=shop.maps_url))
    return "\n".join(lines)


def _contact(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    if not ctx.shop.contact_phone:
        return _unknown(ctx)
    return _("The shop's phone is {phone}.").format(phone=format_phone(ctx.shop.contact_phone))


def _unknown(ctx: Context) -> str:
    return ctx.gettext(
        "Sorry, I don't have that at hand: the people at the shop can tell you "
        "(\u201chablar con el local\u201d)."
    )


def _who_does(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    service = ctx.service(question.service_id)
    if service is None:
        return price_list(None, ctx)
    doers = [
        p.nickname or p.name
        for p in ctx.professionals
        if p.active and p.id in service.professional_ids
    ]
    if not doers:
        return _("Right now nobody does {service}.").format(service=service.name)
    names = listed(doers, ctx)
    asked = ctx.professional(question.professional_id)
    if asked is None and question.day is not None:
        return who_does_on(service, question.day, ctx)
    if asked is not None:
        who = asked.nickname or asked.name
        if asked.id in service.professional_ids:
            return _("Yes, {professional} does {service}.").format(
                professional=who, service=service.name
            )
        text = ctx.ngettext(
            "No, {professional} doesn't do {service}: {names} does.",
            "No, {professional} doesn't do {service}: {names} do.",
            len(doers),
        )
        return text.format(professional=who, service=service.name, names=names)
    text = ctx.ngettext("{service}: {names} does it.", "{service}: {names} do it.", len(doers))
    return text.format(service=service.name, names=names)


def _payment(question: Question, ctx: Context) -> str:
    _ = ctx.gettext
    offered = [_method(m, ctx) for m in ctx.payment_methods]
    methods = format_list_of(offered, ctx.locale, alternatives=True)
    asked = question.payment_method
    if asked is None:
        return _("You can pay with {methods}.").format(methods=methods)
    if asked in ctx.payment_methods:
        return _("Yes, you can pay with {method}.").format(method=_method(asked, ctx))
    return _("Sorry, we don't take that. You can pay with {methods}.").format(methods=methods)


def _method(method: str, ctx: Context) -> str:
    """A payment method inside a sentence ("efectivo", "transferencia")."""
    _ = ctx.gettext
    words = {
        "cash": _("cash"),
        "transfer": _("bank transfer"),
        "mercadopago": _("Mercado Pago"),
        "ticket": _("Rapipago or Pago Fácil"),
    }
    return words.get(method, method)


def _other(question: Question, ctx: Context) -> str:
    return ctx.gettext(
        "That one I can't answer myself: I've passed your question on to the shop, and "
        "they'll answer you here."
    )


def _price(question: Question, ctx: Context) -> str:
    return price_list(question.service_id, ctx)


_ANSWERS: dict[Topic, Callable[[Question, Context], str]] = {
    Topic.WHERE: _where,
    Topic.CONTACT: _contact,
    Topic.HOURS: hours_answer,
    Topic.SCHEDULE: schedule_answer,
    Topic.STAFF: staff_answer,
    Topic.WHO_DOES: _who_does,
    Topic.PAYMENT: _payment,
    Topic.PRICE: _price,
    Topic.OTHER: _other,
}
