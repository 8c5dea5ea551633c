"""From a verified webhook to the replies in the outbox, for every messaging channel.

`accept()` is what a webhook route calls: it records the delivery under its channel id (a
replay is a no-op), applies per-chat flood control and returns at once; the work continues in
the background, one message at a time per chat, in arrival order. A delivery still pending
after a crash is processed when the app starts again (`resume()`).

One chat, several processes (PostgreSQL): a delivery is claimed by the process that records
it only when its chat has nothing else pending; otherwise it waits in the table, and whoever
finishes the chat's current delivery claims the next one (`claim_next_inbound`), whichever
process recorded it. Claims of a chat are decided under a short per-chat advisory lock, so at
most one delivery of a chat is in work at a time, across processes, in recording order; a
process that dies holding one leaves it to `resume()` once the claim (CLAIM) runs out.

Processing routes a message to one of: linking a staff chat (a one-time code), the staff desk
(a linked professional's or owner's chat), saving a shared phone number, or the customer
conversation through the dispatcher, whose replies are queued in the same transaction as the
new conversation state and the inbound's "done" mark.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict
from datetime import timedelta
from typing import Any, Protocol

from bot.channels.base import Inbound
from bot.channels.start_links import parse_start_payload
from bot.dispatcher import Dispatcher, Identity
from bot.i18n import translations
from bot.outbox import OutboxWorker, TokenBucket
from bot.request_id import request_id_scope
from bot.staff_desk import StaffDesk
from conversations.messages import Outgoing, UserMessage
from domain.audit import Acting, Actor
from domain.errors import InvalidPhone
from domain.phone import normalize_phone
from domain.ports import Clock
from domain.storage.channels import (
    InboundRecord,
    OutboxMessage,
    claim_next_inbound,
    claimable_chats,
    enqueue_messages,
    finish_inbound,
    normalize_link_code,
    record_delivery,
    release_inbound_claims,
    shop_for_whatsapp_number,
    shop_id_by_slug,
    staff_link,
    use_link_code,
)
from domain.storage.staff_trail import chat_linked
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

# Flood control per chat: a burst of 8 messages, then one a second. Beyond that a message is
# recorded as throttled and dropped, and the person is asked (once per pause) to slow down.
FLOOD_BURST = 8
FLOOD_PER_SECOND = 1.0
SLOW_DOWN_EVERY_SECONDS = 30.0
MAX_PARALLEL_CHATS = 16
# A delivery is claimed for this long while processed; after a crash it is taken up again once
# the claim runs out (checked at start and every RESUME_EVERY_SECONDS).
CLAIM = timedelta(minutes=2)
RESUME_EVERY_SECONDS = 30.0
_LINK_WORDS = re.compile(r"^\s*(?:/?vincular|/?link|c[oó]digo)\b", re.IGNORECASE)


class Channel(Protocol):
    """What the runtime needs of a messaging channel."""

    name: str

    def render(
        self,
        replies: Sequence[Outgoing],
        inbound: Inbound | None,
        chat_id: str,
        shop_id: int | None,
        locale: str,
    ) -> list[OutboxMessage]: ...

    def acknowledge(self, inbound: Inbound, *, typing: bool = True) -> None: ...


class ChannelRuntime:
    """Inbound processing for every messaging channel of one process."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        dispatcher: Dispatcher,
        channels: dict[str, Any],
        outbox: OutboxWorker,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.dispatcher = dispatcher
        self.channels = channels
        self.outbox = outbox
        self.staff = StaffDesk(uow_factory, clock)
        self._queues: dict[tuple[str, str], deque[InboundRecord]] = {}
        # SQLite: chats with a delivery recorded but not claimed (another of theirs was in
        # work), whose drain must ask the database for the next one. On PostgreSQL a drain
        # always asks after each delivery: another process may have recorded the next one.
        self._left: set[tuple[str, str]] = set()
        self._shared = uow_factory.engine.dialect.name != "sqlite"
        self._resumer: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(MAX_PARALLEL_CHATS)
        self._floods: dict[tuple[str, str], TokenBucket] = {}
        self._warned: dict[tuple[str, str], float] = {}

    # ---- intake -------------------------------------------------------------------------

    async def accept(self, inbound: Inbound) -> bool:
        """Record a verified delivery and start processing it; False for a replay."""
        key = (inbound.channel, inbound.chat_id)
        now = self.clock.now()
        payload = asdict(inbound)
        allowed = self._allow(key)
        # One write: recorded, and claimed by this process if the chat has nothing else
        # pending (or recorded as throttled).
        recorded = await record_delivery(
            self.uow_factory,
            inbound.channel,
            inbound.external_id,
            inbound.chat_id,
            payload,
            now,
            status="pending" if allowed else "throttled",
            claim=CLAIM if allowed else None,
        )
        if recorded is None:
            return False
        if allowed:
            if recorded.claimed:
                self._schedule(
                    InboundRecord(recorded.id, inbound.channel, inbound.chat_id, payload, now, True)
                )
            elif not self._shared:  # this process's drain of the chat takes it in its turn
                self._left.add(key)
            # On PostgreSQL whoever works on the chat, here or elsewhere, takes it in its turn.
        else:
            # Dropped, but a tapped button still gets its answer (or it keeps spinning).
            self.channels[inbound.channel].acknowledge(inbound, typing=False)
            await self._slow_down(inbound, key)
        return True

    async def resume(self, *, starting: bool = False) -> int:
        """Process what was recorded but not finished (a crash, a restart, a message another
        process left); returns how many chats were taken up.

        On SQLite, which one process serves, a starting process first voids the claims of its
        dead predecessor; on PostgreSQL, where several may run, a claim is waited out.
        """
        if starting and not self._shared:
            await release_inbound_claims(self.uow_factory)
        chats = await claimable_chats(self.uow_factory, self.clock.now())
        fresh = [key for key in chats if key[0] in self.channels]
        for key in fresh:
            if not self._shared:
                self._left.add(key)
            if key not in self._queues:
                self._drain_chat(key, deque())
        if fresh:
            log.info("resuming the inbound messages of %d chats", len(fresh))
        return len(fresh)

    def start(self) -> None:
        """Look for unfinished deliveries now and then (another process may have died)."""

        async def every_while() -> None:
            while True:
                await asyncio.sleep(RESUME_EVERY_SECONDS)
                try:
                    await self.resume()
                except Exception:  # a database hiccup: try again next time
                    log.exception("looking for unprocessed inbound messages failed")

        self._resumer = asyncio.create_task(every_while(), name="inbound-resume")

    @property
    def busy(self) -> bool:
        """Whether some accepted message is still being processed."""
        return bool(self._tasks)

    async def idle(self) -> None:
        """Wait until every accepted message has been processed (tests, shutdown)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def stop(self) -> None:
        """Let the messages in progress finish (briefly); the rest resume after a restart."""
        if self._resumer is not None:
            self._resumer.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)
        for task in list(self._tasks):
            task.cancel()

    def _allow(self, key: tuple[str, str]) -> bool:
        bucket = self._floods.get(key)
        if bucket is None:
            if len(self._floods) > 10_000:
                self._floods.clear()
            bucket = self._floods[key] = TokenBucket(FLOOD_PER_SECOND, FLOOD_BURST)
        if bucket.delay() > 0:
            return False
        bucket.take()
        return True

    async def _slow_down(self, inbound: Inbound, key: tuple[str, str]) -> None:
        last = self._warned.get(key, 0.0)
        if time.monotonic() - last < SLOW_DOWN_EVERY_SECONDS:
            return
        self._warned[key] = time.monotonic()
        locale = await self._default_locale()
        _ = translations(locale).gettext
        text = _(
            "Easy there, that's a lot of messages at once 🙂 Give me a second and write again."
        )
        channel = self.channels[inbound.channel]
        messages = channel.render([Outgoing(text)], None, inbound.chat_id, None, locale)
        await enqueue_messages(self.uow_factory, messages, self.clock.now())
        self.outbox.wake()

    def _schedule(self, record: InboundRecord) -> None:
        """Process a delivery this process claimed, after the chat's earlier ones."""
        key = (record.channel, record.chat_id)
        queue = self._queues.get(key)
        if queue is None:
            queue = deque()
            self._drain_chat(key, queue)
        queue.append(record)

    def _drain_chat(self, key: tuple[str, str], queue: deque[InboundRecord]) -> None:
        self._queues[key] = queue
        task = asyncio.create_task(self._drain(key, queue))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, key: tuple[str, str], queue: deque[InboundRecord]) -> None:
        """Process one chat's messages in order, then forget the chat."""
        try:
            while True:
                record = queue.popleft() if queue else await self._next(key)
                if record is None:
                    if queue:
                        continue  # one came in (and was claimed here) while we asked
                    break
                async with self._slots:
                    with request_id_scope():  # each turn's log lines share an id
                        try:
                            await self._process(record)
                        except Exception:  # one bad message must not stall the chat
                            log.exception("processing %s message %s failed", key[0], record.id)
                            await finish_inbound(
                                self.uow_factory, record.id, "failed", self.clock.now()
                            )
                self.outbox.wake()
        finally:
            self._queues.pop(key, None)

    async def _next(self, key: tuple[str, str]) -> InboundRecord | None:
        """The chat's next delivery from the database, when one may be waiting there."""
        if not (self._shared or key in self._left):
            return None
        record = await claim_next_inbound(self.uow_factory, *key, self.clock.now(), CLAIM)
        if record is None:
            self._left.discard(key)
        return record

    # ---- processing ---------------------------------------------------------------------

    async def _process(self, record: InboundRecord) -> None:
        inbound = Inbound(**record.payload)
        channel = self.channels[inbound.channel]
        channel.acknowledge(inbound)
        start = parse_start_payload(inbound.start_payload) if inbound.start_payload else None
        code = self._link_code(inbound, start)
        if code is not None:
            await self._link(record, inbound, code, channel)
            return
        link = await staff_link(self.uow_factory, inbound.channel, inbound.chat_id)
        if link is not None:
            outgoing = await self.staff.handle(link, inbound)
            locale = await self._shop_locale(link.shop_id)
            messages = channel.render(outgoing, inbound, inbound.chat_id, link.shop_id, locale)
            await finish_inbound(self.uow_factory, record.id, "done", self.clock.now(), messages)
            return
        if inbound.contact_phone:
            await self._save_contact(record, inbound, channel)
            return
        await self._customer_turn(record, inbound, channel, start)

    async def _customer_turn(
        self,
        record: InboundRecord,
        inbound: Inbound,
        channel: Any,
        start: tuple[str, str] | None,
    ) -> None:
        shop_id = None
        if start is not None and start[0] == "shop":
            shop_id = await shop_id_by_slug(self.uow_factory, start[1])
        elif inbound.channel == "whatsapp" and inbound.to_address:
            number = inbound.to_address.removeprefix("whatsapp:")
            with contextlib.suppress(InvalidPhone):
                number = normalize_phone(number)  # stored as the CLI normalised it
            shop_id = await shop_for_whatsapp_number(self.uow_factory, number)
        identity = Identity(
            phone=inbound.user_id if inbound.channel == "whatsapp" else None,
            telegram_user_id=_int(inbound.user_id) if inbound.channel == "telegram" else None,
            first_name=inbound.first_name,
        )
        text = inbound.text
        if start is not None and not text:
            text = "hola"  # a deep link opens the chat like a greeting
        message = UserMessage(text=text, choice_id=inbound.choice_id, attachment=inbound.attachment)

        def render(replies: tuple[Outgoing, ...], shop: Any) -> list[OutboxMessage]:
            messages: list[OutboxMessage] = channel.render(
                replies, inbound, inbound.chat_id, shop.id, shop.locale
            )
            return messages

        turn = await self.dispatcher.handle(
            inbound.channel,
            inbound.chat_id,
            message,
            identity=identity,
            shop_id=shop_id,
            inbound_id=record.id,
            render=render,
        )
        store = self.dispatcher.store
        if start is not None and start[0] == "ref":
            await store.set_referral(inbound.channel, inbound.chat_id, start[1])
        if (
            inbound.channel == "telegram"
            and turn.booked
            and turn.shop is not None
            and not await store.has_phone(turn.customer_id)
            and await store.mark_contact_asked(inbound.channel, inbound.chat_id, self.clock.now())
        ):
            _ = translations(turn.shop.locale).gettext
            offer = channel.contact_request(
                inbound.chat_id,
                _(
                    "If you like, share your number: the shop can reach you, "
                    "and WhatsApp will know you too."
                ),
                _("📱 Share my number"),
                turn.shop.id,
            )
            await enqueue_messages(self.uow_factory, [offer], self.clock.now())

    async def _save_contact(self, record: InboundRecord, inbound: Inbound, channel: Any) -> None:
        now = self.clock.now()
        locale = await self._default_locale()
        _ = translations(locale).gettext
        try:
            phone = normalize_phone(inbound.contact_phone or "")
        except InvalidPhone:
            thanks = _("Sorry, I couldn't read that number.")
        else:
            await self.dispatcher.store.attach_phone(
                inbound.channel,
                inbound.chat_id,
                phone,
                _int(inbound.user_id),
                inbound.first_name or "Cliente",
                now,
                await self.dispatcher.catalogs.default_shop_id(),
            )
            thanks = _("Thanks! I saved your number.")
        # Only Telegram shares contacts; its answer also takes the contact keyboard away.
        messages = [channel.contact_thanks(inbound.chat_id, thanks, None)]
        await finish_inbound(self.uow_factory, record.id, "done", now, messages)

    def _link_code(self, inbound: Inbound, start: tuple[str, str] | None) -> str | None:
        """A staff link code: from a `link_<code>` deep link or "vincular 123456"."""
        if start is not None and start[0] == "link":
            return normalize_link_code(start[1]) or ""
        if inbound.text and _LINK_WORDS.match(inbound.text):
            return normalize_link_code(inbound.text) or ""
        return None

    async def _link(self, record: InboundRecord, inbound: Inbound, code: str, channel: Any) -> None:
        """Link the chat to a professional or the owner (or say why the code did not work)."""
        now = self.clock.now()
        link = (
            await use_link_code(self.uow_factory, code, inbound.channel, inbound.chat_id, now)
            if code
            else None
        )
        locale = await self._shop_locale(link.shop_id) if link else await self._default_locale()
        _ = translations(locale).gettext
        if link is None:
            text = _(
                "That code doesn't work: it may be mistyped, used "
                "or more than a day old. Ask for a new one."
            )
            outgoing = [Outgoing(text)]
        else:
            acting = Acting(Actor.staff(link.professional_id), now)
            await chat_linked(self.uow_factory.acting(acting), link)
            outgoing = await self.staff.welcome(link)
        messages = channel.render(
            outgoing, inbound, inbound.chat_id, link.shop_id if link else None, locale
        )
        await finish_inbound(self.uow_factory, record.id, "done", now, messages)

    async def _default_locale(self) -> str:
        shop_id = await self.dispatcher.catalogs.default_shop_id()
        return await self._shop_locale(shop_id)

    async def _shop_locale(self, shop_id: int) -> str:
        catalog = await self.dispatcher.catalogs.get(shop_id, self.clock.now())
        return catalog.shop.locale


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
