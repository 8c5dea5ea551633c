"""Staff chats in the audit trail: a link code made, a chat linked to a person, unlinked.

A staff chat hears of every turno (the owner's, also of password links and where the money
goes), so who opened that door, and when, is the shop's to know. domain.storage.channels
keeps codes and links in transactions of its own, so each of these is a row of its own,
written right after the change. Never the code, nor the chat's id (a WhatsApp one is a phone).
"""

from __future__ import annotations

from datetime import datetime

from domain.audit import Actor
from domain.storage.channels import LINK_CODE_TTL, StaffLink
from domain.storage.uow import UnitOfWorkFactory


def staff_subject(professional_id: int | None) -> str:
    """Whose chat: «staff:owner» or «staff:professional:2» (as a staff chat acts)."""
    return Actor.staff(professional_id).label


async def link_code_made(
    uow_factory: UnitOfWorkFactory, shop_id: int, professional_id: int | None, now: datetime
) -> None:
    """A code made for someone's chat, and until when it works."""
    after = {"expires_at": now + LINK_CODE_TTL}
    subject = staff_subject(professional_id)
    await uow_factory.audit_alone(shop_id, "link_code.created", subject, None, after)


async def chat_linked(uow_factory: UnitOfWorkFactory, link: StaffLink) -> None:
    """A chat linked with a code: on which channel, for whom."""
    after = {"channel": link.channel, "staff": staff_subject(link.professional_id)}
    subject = f"staff_link:{link.id}"
    await uow_factory.audit_alone(link.shop_id, "staff.linked", subject, None, after)


async def chat_unlinked(uow_factory: UnitOfWorkFactory, link: StaffLink) -> None:
    """A chat that stopped being a staff chat."""
    before = {"channel": link.channel, "staff": staff_subject(link.professional_id)}
    subject = f"staff_link:{link.id}"
    await uow_factory.audit_alone(link.shop_id, "staff.unlinked", subject, before, None)
