"""How the booking flow names things for people: services, slots, days, summaries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conversations.context import Context
from conversations.state import CachedSlot, Draft
from domain.formatting import format_clock, format_day, format_money, format_when
from domain.model import Service


def payment_label(method: str, ctx: Context) -> str:
    """A payment method as the customer reads it."""
    _ = ctx.gettext
    labels = {
        "mercadopago": _("Mercado Pago"),
        "cash": _("Cash at the shop"),
        "transfer": _("Bank transfer"),
        "ticket": _("Rapipago / Pago Fácil"),
    }
    return labels.get(method, method)


def service_label(service: Service, ctx: Context) -> str:
    """`Corte · $ 12.000`."""
    price = format_money(service.price, ctx.locale, with_cents=False)
    return f"{service.name} · {price}"


def professional_name(professional_id: int | None, ctx: Context) -> str:
    """A professional's nickname or name."""
    professional = ctx.professional(professional_id)
    if professional is None:
        return ctx.gettext("anyone")
    return professional.nickname or professional.name


def slot_label(
    slot: CachedSlot, ctx: Context, *, with_day: bool, with_who: bool, group: bool
) -> str:
    """`16:00`, `jueves 3 de diciembre, 16:00`, plus who and seats left when they matter."""
    _ = ctx.gettext
    tz = ctx.shop.timezone
    if with_day:
        text = format_when(slot.start, tz, ctx.locale)
    else:
        text = format_clock(slot.start, tz, ctx.locale)
    if with_who:
        text += " · " + professional_name(slot.professional_id, ctx)
    if group:
        left = ctx.ngettext("{n} place left", "{n} places left", slot.seats_left)
        text += " · " + left.format(n=slot.seats_left)
    return text


def local_time(moment: datetime, ctx: Context) -> time:
    """The wall-clock time of an instant at the shop."""
    return moment.astimezone(ZoneInfo(ctx.shop.timezone)).time()


def summary(draft: Draft, ctx: Context) -> str:
    """The booking about to be made, with its frozen price."""
    _ = ctx.gettext
    service = ctx.service(draft.service_id)
    assert service is not None
    assert draft.slot is not None
    lines = [
        (
            _("{service} with {professional} for {name}")
            if draft.for_name and draft.companion is None
            else _("{service} with {professional}")
        ).format(
            service=service.name,
            professional=professional_name(draft.slot.professional_id, ctx),
            name=draft.for_name,
        ),
        _sentence_case(format_when(draft.slot.start, ctx.shop.timezone, ctx.locale)),
    ]
    if draft.every_weeks and draft.count and draft.count > 1:
        every = ctx.ngettext(
            "Every week, {count} times", "Every {weeks} weeks, {count} times", draft.every_weeks
        )
        lines.append(every.format(weeks=draft.every_weeks, count=draft.count))
    price = format_money(service.price, ctx.locale, with_cents=False)
    if draft.every_weeks and draft.count and draft.count > 1:
        lines.append(_("Price: {price} each").format(price=price))
    else:
        lines.append(_("Price: {price}").format(price=price))
    companion = draft.companion
    if companion is not None and companion.slot is not None:  # «para mí y mi hermano»
        second = ctx.service(companion.service_id) or service
        lines += [
            "",
            _("{name}: {service} with {professional}").format(
                name=companion.name or _("Second turno"),
                service=second.name,
                professional=professional_name(companion.slot.professional_id, ctx),
            ),
            format_when(companion.slot.start, ctx.shop.timezone, ctx.locale).capitalize(),
            _("Price: {price}").format(
                price=format_money(second.price, ctx.locale, with_cents=False)
            ),
        ]
    if draft.payment_method:
        lines.append(_("Payment: {method}").format(method=payment_label(draft.payment_method, ctx)))
    return "\n".join(lines)


def day_label(day: date, ctx: Context) -> str:
    """`Mañana (jueves 3 de diciembre)`, or the day's name."""
    _ = ctx.gettext
    if day == ctx.today:
        return _("Today") + " (" + format_day(day, ctx.locale) + ")"
    if day == ctx.today + timedelta(days=1):
        return _("Tomorrow") + " (" + format_day(day, ctx.locale) + ")"
    return _sentence_case(format_day(day, ctx.locale))


def price_list(service_id: int | None, ctx: Context) -> str:
    """The price (and length) of the service asked about, or of every service."""
    _ = ctx.gettext
    asked = ctx.service(service_id)
    services = [asked] if asked else [s for s in ctx.services if s.active]
    lines = [
        _("{service}: {price} ({minutes} min)").format(
            service=s.name,
            price=format_money(s.price, ctx.locale, with_cents=False),
            minutes=s.duration_minutes,
        )
        for s in services
    ]
    if asked is None:
        lines.insert(0, _("Our prices:"))
    elif asked.is_group:  # a class: how many places it has, too
        lines = [
            _("{service}: {price} ({minutes} min, {seats})").format(
                service=asked.name,
                price=format_money(asked.price, ctx.locale, with_cents=False),
                minutes=asked.duration_minutes,
                seats=ctx.ngettext("%(num)d seat", "%(num)d seats", asked.seats)
                % {"num": asked.seats},
            )
        ]
    return "\n".join(lines)


def _sentence_case(text: str) -> str:
    """The first letter up and the rest as it is ("Wednesday, December 2", not "december")."""
    return text[:1].upper() + text[1:]


def day_phrase(day: date, ctx: Context) -> str:
    """`mañana, miércoles 2 de diciembre`: a day inside a sentence."""
    _ = ctx.gettext
    named = format_day(day, ctx.locale)
    if day == ctx.today:
        return _("today, {day}").format(day=named)
    if day == ctx.today + timedelta(days=1):
        return _("tomorrow, {day}").format(day=named)
    return named


def what_and_who(draft: Draft, ctx: Context) -> str:
    """`Corte con Tincho` (or just `Corte` with anyone): what the times on offer are for."""
    service = ctx.service(draft.service_id)
    name = service.name if service is not None else ""
    if draft.any_professional or ctx.professional(draft.professional_id) is None:
        return name
    return ctx.gettext("{service} with {professional}").format(
        service=name, professional=professional_name(draft.professional_id, ctx)
    )


def when_asked(draft: Draft, ctx: Context) -> str | None:
    """`mañana, miércoles 2 de diciembre, a las 19:00`: the one day and time asked for so far."""
    parts = []
    if draft.first_day is not None and draft.last_day in (None, draft.first_day):
        parts.append(day_phrase(draft.first_day, ctx))
    if draft.at is not None:
        parts.append(ctx.gettext("at {time}").format(time=short_time(draft.at)))
    return ", ".join(parts) or None


def short_time(at: time) -> str:
    """`9:00`, `17:30`: a time as people write it."""
    return f"{at.hour}:{at.minute:02d}"
