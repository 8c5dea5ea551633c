"""The soak's customers and their ledger: what the server acknowledged, kind by kind.

A request that fails because the server is down (connection refused or cut: the server was
killed) is sent again once it is back: webhooks with the same update id / MessageSid / payment
notification (their senders retry the same delivery), the API with the same body. A sandbox
message has no id to retry with: its customer goes back to the menu and reads «Mis turnos» to
learn what happened, as a person would.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any, Protocol

import httpx
from soak_servers import SHOP, TELEGRAM_SECRET, TWILIO_TOKEN, WHATSAPP_FROM, Fake
from twilio.request_validator import RequestValidator

PREFERENCE = re.compile(r"pref_id=([\w-]+)")  # in the checkout link the customer gets
BOOKED = "Listo, te reservé el turno"  # cash: confirmed at once
HELD = "Te guardo el turno"  # Mercado Pago: held until paid
CANCELLED = "Listo, cancelé tu turno"
NAMES = ("Juan", "Ana", "Pedro", "Carla", "Diego", "Paula")
TEXTS = ("hola", "quiero un corte", "menú", "mis turnos", "volver", "gracias")
# Seconds a webhook customer waits between messages: under what the channel's outbox may send
# one chat (Telegram 1/s after a burst of 3, about two messages a turn; WhatsApp one per 6 s,
# one message a turn). Faster, the replies queue up for as long as the soak runs.
THINK = {"telegram": 3.0, "whatsapp": 7.0}
RETRY_PAUSE = 0.25
_update_ids = itertools.count(5_000_000)


class Lost(Exception):
    """The request got no answer: the server died under it."""


class Unexpected(Exception):
    """The conversation went somewhere the script does not follow."""


@dataclass
class Held:
    """A booking a customer holds, as the client knows it."""

    status: str  # "active" or "cancelled": the client's last acknowledged action
    professional_id: int | None = None
    start: str | None = None  # ISO, UTC
    paid: bool = False  # a payment notification for it was acknowledged
    after_lost: bool = False  # learnt from «Mis turnos» after a request got no answer


@dataclass
class Run:
    """Everything the clients share: the server's address, the clock, the ledger and counts."""

    base: str
    deadline: float
    up: asyncio.Event = field(default_factory=asyncio.Event)
    kills: int = 0
    kill_times: list[float] = field(default_factory=list)  # epoch seconds of each SIGKILL
    requests: Counter[str] = field(default_factory=Counter)
    acknowledged: Counter[str] = field(default_factory=Counter)
    retried: Counter[str] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)  # unexpected statuses
    unexpected: list[str] = field(default_factory=list)
    booked: int = 0
    cancelled: int = 0
    clients: list[Any] = field(default_factory=list)
    # ledger
    sandbox: dict[str, dict[int, Held]] = field(default_factory=dict)  # chat → booking id → …
    unplaced: dict[str, list[Held]] = field(default_factory=dict)  # acknowledged, id unknown
    extra_seen: dict[str, list[int]] = field(default_factory=dict)  # two new ids for one booking
    api: dict[str, dict[int, Held]] = field(default_factory=dict)  # phone → booking id → …
    inbound: list[tuple[str, str, str]] = field(default_factory=list)  # channel, id, chat
    payments: dict[str, int] = field(default_factory=dict)  # MP payment id → booking id
    links: list[str] = field(default_factory=list)  # preference ids of the links customers got

    def over(self) -> bool:
        """The traffic's time is up."""
        return time.monotonic() >= self.deadline

    async def send(
        self, kind: str, client: httpx.AsyncClient, method: str, path: str, **kw: Any
    ) -> httpx.Response:
        """One request, sent again while the server is down (counted as retried)."""
        self.requests[kind] += 1
        tries = 0
        while True:
            try:
                response = await client.request(method, path, **kw)
            except httpx.TransportError:
                tries += 1
                if tries == 1:
                    self.retried[kind] += 1
                await asyncio.sleep(RETRY_PAUSE)
                await self.up.wait()
                continue
            if response.status_code >= 500:
                self.refused.append(f"{kind} {response.status_code} {response.text[:120]}")
            return response

    async def once(
        self, kind: str, client: httpx.AsyncClient, method: str, path: str, **kw: Any
    ) -> httpx.Response:
        """One request, not sent again: Lost when the server died under it."""
        self.requests[kind] += 1
        try:
            return await client.request(method, path, **kw)
        except httpx.TransportError as error:
            self.retried[kind] += 1
            await asyncio.sleep(RETRY_PAUSE)
            await self.up.wait()
            raise Lost(kind) from error


class Client(Protocol):
    async def run(self) -> None: ...


def _utc(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(UTC).isoformat()


class SandboxCustomer:
    """A sandbox chat: «Mis turnos» (cancel what it holds), then book; again and again."""

    def __init__(self, run: Run, chat_id: str, rng: Random) -> None:
        self.run_, self.chat_id, self.rng = run, chat_id, rng
        self.http = httpx.AsyncClient(base_url=run.base, timeout=60)
        self.step, self.choices, self.texts = "", [], []  # type: ignore[var-annotated]
        self.held: dict[int, Held] = run.sandbox.setdefault(chat_id, {})
        self.unplaced: list[Held] = run.unplaced.setdefault(chat_id, [])
        self.maybe: Held | None = None  # a booking whose Confirmar got no answer
        self.state: dict[str, Any] = {}

    async def post(self, body: dict[str, str], kind: str = "sandbox message") -> None:
        """Send one message (Lost if the server died under it); note the replies."""
        path = f"/sandbox/chats/{self.chat_id}/messages"
        response = await self.run_.once(kind, self.http, "POST", path, json=body)
        if response.status_code != 200:
            self.run_.refused.append(f"sandbox {response.status_code} {response.text[:120]}")
            raise Unexpected(f"HTTP {response.status_code}")
        self.run_.acknowledged[kind] += 1
        data = response.json()
        self.state = data["state"]
        self.step = data["state"]["step"]
        self.choices = [c for r in data["replies"] for c in r["choices"]]
        self.texts = [r["text"] for r in data["replies"]]

    async def tap(self, label: str, kind: str = "sandbox message") -> None:
        """Tap the choice whose label starts with `label`."""
        for choice in self.choices:
            if choice["label"].startswith(label):
                return await self.post({"choice": choice["id"]}, kind)
        raise Unexpected(f"no {label!r} at step {self.step}")

    def said(self, text: str) -> bool:
        return any(t.startswith(text) for t in self.texts)

    async def menu(self) -> None:
        """Back to the menu, whatever happens on the way."""
        while True:
            try:
                await self.post({"text": "menú"})
                if self.step == "name":  # a new chat: the bot asks for a name first
                    await self.post({"text": self.rng.choice(NAMES)})
                if self.step == "menu":
                    return
            except (Lost, Unexpected):
                continue

    async def mine(self) -> list[int]:
        """Open «Mis turnos»: the ids of the turnos listed; the ledger learns from them."""
        await self.tap("Mis turnos")
        listed = [int(c["id"].rsplit(".bk.", 1)[1]) for c in self.choices if ".bk." in c["id"]]
        new = [i for i in listed if i not in self.held]
        waiting = [*self.unplaced, *([self.maybe] if self.maybe else [])]
        for booking_id, known in zip(new, waiting, strict=False):
            self.held[booking_id] = known
            if known in self.unplaced:
                self.unplaced.remove(known)
            else:
                self.run_.booked += 1
                known.after_lost = True
        if len(new) > len(waiting):  # more turnos than bookings asked for
            self.run_.extra_seen.setdefault(self.chat_id, []).extend(new[len(waiting) :])
            for booking_id in new[len(waiting) :]:
                self.held[booking_id] = Held("active", after_lost=True)
        self.maybe = None
        for booking_id, known in self.held.items():
            if known.status == "cancel?":
                known.status = "active" if booking_id in listed else "cancelled"
                self.run_.cancelled += known.status == "cancelled"
        return listed

    async def cancel(self, booking_id: int) -> None:
        """The turno → Cancelarlo → Sí, cancelalo."""
        choice = next(c["id"] for c in self.choices if c["id"].endswith(f".bk.{booking_id}"))
        await self.post({"choice": choice})
        await self.tap("Cancelarlo")
        self.held[booking_id].status = "cancel?"
        await self.tap("Sí, cancelalo", "sandbox cancel")
        if not self.said(CANCELLED):
            raise Unexpected(f"cancel answered {self.texts[:1]}")
        self.held[booking_id].status = "cancelled"
        self.run_.cancelled += 1

    async def book(self) -> None:
        """Sacar turno → Corte → Cualquiera → a day → a time → pay → Confirmar."""
        for label in ("Sacar turno", "Corte ·", "Cualquiera"):
            await self.tap(label)
        for _ in range(12):
            if self.step in ("day", "time"):
                options = [c for c in self.choices if c["id"] not in ("back", "quit")]
                if self.step == "time":
                    options = [c for c in options if c["label"][:2].isdigit()]
                else:
                    options = [c for c in options if not c["label"].startswith("Más")]
                if not options:
                    raise Unexpected(f"nothing offered at step {self.step}")
                await self.post({"choice": self.rng.choice(options)["id"]})
            elif self.step == "payment":
                pay = "Mercado Pago" if self.rng.random() < 0.35 else "Efectivo"
                await self.tap(pay)
            elif self.step == "confirm":
                # "Cualquiera": the turno goes to whoever is free at that time when booked
                anyone = self.state.get("any_professional")
                professional = None if anyone else self.state["professional_id"]
                wanted = Held("active", professional, _utc(self.state["slot"]))
                self.maybe = wanted
                await self.tap("Confirmar", "sandbox booking")
                self.maybe = None
                if self.said(BOOKED) or self.said(HELD):
                    if self.said(HELD):  # the customer got the link: they will pay it
                        links = [m for t in self.texts for m in PREFERENCE.findall(t)]
                        if not links:
                            self.run_.unexpected.append(f"{self.chat_id}: no link in {self.texts}")
                        self.run_.links += links
                    self.unplaced.append(wanted)
                    self.run_.booked += 1
                    return
                # taken meanwhile: back at "time" with the nearest ones
            else:
                break
        raise Unexpected(f"booking stuck at step {self.step!r}")

    async def run(self) -> None:
        """Greet, then cycle until the time is up; finally read «Mis turnos» once more."""
        while True:  # "hola", then a name (the bot greets and takes it at the menu)
            try:
                await self.post({"text": "hola"})
                await self.post({"text": self.rng.choice(NAMES)})
                break
            except (Lost, Unexpected):
                continue
        await self.menu()
        while not self.run_.over():
            try:
                listed = await self.mine()
                if listed:
                    await self.cancel(self.rng.choice(listed))
                else:
                    await self.post({"text": "menú"})
                if not self.run_.over():
                    await self.book()
            except Lost:
                await self.menu()
            except Unexpected as problem:
                self.run_.unexpected.append(f"{self.chat_id}: {problem}")
                await self.menu()
        await self.menu()
        for _ in range(5):  # the last look, with the server up: it is no longer killed
            try:
                await self.mine()
                break
            except (Lost, Unexpected):
                await self.menu()
        await self.http.aclose()


class WebhookChat:
    """A Telegram or WhatsApp customer writing through the webhook, like a person."""

    def __init__(self, run: Run, channel: str, n: int, rng: Random) -> None:
        self.run_, self.channel, self.rng = run, channel, rng
        self.http = httpx.AsyncClient(base_url=run.base, timeout=60)
        self.tg_chat = 880_000_000 + n
        self.address = f"whatsapp:+5491155{660_000 + n:06d}"
        self.validator = RequestValidator(TWILIO_TOKEN)

    async def post(self, text: str) -> None:
        """One message, sent again with the same id until the server acknowledges it."""
        kind = f"{self.channel} update"
        if self.channel == "telegram":
            update_id = next(_update_ids)
            external, chat = str(update_id), str(self.tg_chat)
            person = {"id": self.tg_chat, "is_bot": False, "first_name": "Sofía"}
            body = {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "date": int(time.time()),
                    "chat": {"id": self.tg_chat, "type": "private", "first_name": "Sofía"},
                    "from": {**person, "language_code": "es"},
                    "text": text,
                },
            }
            headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
            response = await self.run_.send(
                kind, self.http, "POST", "/webhooks/telegram", json=body, headers=headers
            )
        else:
            sid = f"SM{uuid.uuid4().hex}"
            external, chat = sid, self.address
            form = {
                "SmsMessageSid": sid,
                "MessageSid": sid,
                "SmsSid": sid,
                "NumMedia": "0",
                "ProfileName": "Lucía",
                "MessageType": "text",
                "WaId": self.address.removeprefix("whatsapp:+"),
                "SmsStatus": "received",
                "Body": text,
                "To": WHATSAPP_FROM,
                "From": self.address,
                "NumSegments": "1",
                "AccountSid": "AC" + "0123456789abcdef" * 2,
                "ApiVersion": "2010-04-01",
            }
            url = f"{self.run_.base}/webhooks/whatsapp"
            signature = self.validator.compute_signature(url, form)
            response = await self.run_.send(
                kind,
                self.http,
                "POST",
                "/webhooks/whatsapp",
                data=form,
                headers={"X-Twilio-Signature": signature},
            )
        if response.status_code == 200:
            self.run_.acknowledged[kind] += 1
            self.run_.inbound.append((self.channel, external, chat))
        else:
            self.run_.refused.append(f"{kind} {response.status_code} {response.text[:120]}")

    async def run(self) -> None:
        """A name first, then the script's texts, a few seconds apart, until the time is up."""
        await self.post("hola")
        await asyncio.sleep(THINK[self.channel])
        await self.post("Sofía" if self.channel == "telegram" else "Lucía")
        for text in itertools.cycle(TEXTS):
            await asyncio.sleep(THINK[self.channel] * (1 + 0.3 * self.rng.random()))
            if self.run_.over():
                break
            await self.post(text)
        await self.http.aclose()


class ApiClient:
    """A REST API client with a `book` key: availability, book, list the agenda, cancel."""

    def __init__(self, run: Run, key: str, n: int, rng: Random) -> None:
        self.run_, self.rng = run, rng
        self.http = httpx.AsyncClient(
            base_url=run.base, timeout=60, headers={"Authorization": f"Bearer {key}"}
        )
        self.phone = f"+54911477{n:05d}"
        self.held: dict[int, Held] = run.api.setdefault(self.phone, {})

    async def book(self) -> None:
        """A free slot of the next days, booked; a retried POST that finds its own turno
        (409 customer_busy with that id) learns the first one went through."""
        day = datetime.now(UTC).date() + timedelta(days=self.rng.randint(1, 20))
        path = f"/api/v1/shops/{SHOP}/availability"
        params = {"service_id": 1, "from": day.isoformat(), "to": day.isoformat()}
        response = await self.run_.send("api availability", self.http, "GET", path, params=params)
        if response.status_code != 200:
            return
        self.run_.acknowledged["api availability"] += 1
        if not response.json():  # a closed day
            return
        slot = self.rng.choice(response.json())
        body = {
            "service_id": 1,
            "professional_id": slot["professional_id"],
            "start": slot["start"],
            "customer": {"name": "Cliente API", "phone": self.phone},
        }
        before = self.run_.retried["api booking"]
        response = await self.run_.send(
            "api booking", self.http, "POST", f"/api/v1/shops/{SHOP}/bookings", json=body
        )
        retried = self.run_.retried["api booking"] > before
        data = response.json()
        booking_id = None
        if response.status_code == 201:
            booking_id = data["id"]
        elif response.status_code == 409 and data.get("error") == "customer_busy" and retried:
            booking_id = data.get("conflicting_booking_id")
        elif response.status_code not in (409, 422):
            self.run_.refused.append(f"api booking {response.status_code} {response.text[:120]}")
        if booking_id is not None:
            self.run_.acknowledged["api booking"] += 1
            self.run_.booked += 1
            self.held[int(booking_id)] = Held(
                "active", slot["professional_id"], _utc(slot["start"]), after_lost=retried
            )

    async def cancel(self, booking_id: int) -> None:
        """Cancel; a retried cancel that finds it cancelled already is acknowledged too."""
        path = f"/api/v1/bookings/{booking_id}/cancel"
        response = await self.run_.send("api cancel", self.http, "POST", path, json={})
        if response.status_code != 200:
            check = await self.run_.send(
                "api get booking", self.http, "GET", f"/api/v1/bookings/{booking_id}"
            )
            if check.status_code != 200 or check.json()["status"] != "cancelled":
                self.run_.refused.append(f"api cancel {response.status_code}")
                return
        self.run_.acknowledged["api cancel"] += 1
        self.run_.cancelled += 1
        self.held[booking_id].status = "cancelled"

    async def run(self) -> None:
        """Book, look at the agenda, sometimes cancel; half a second apart."""
        while not self.run_.over():
            await self.book()
            today = datetime.now(UTC).date()
            params = {"from": today.isoformat(), "to": (today + timedelta(days=21)).isoformat()}
            path = f"/api/v1/shops/{SHOP}/bookings"
            listed = await self.run_.send("api list", self.http, "GET", path, params=params)
            self.run_.acknowledged["api list"] += listed.status_code == 200
            active = [i for i, h in self.held.items() if h.status == "active"]
            if active and self.rng.random() < 0.6:
                await self.cancel(self.rng.choice(active))
            await asyncio.sleep(0.5)
        await self.http.aclose()


class Payer:
    """The customers who chose Mercado Pago pay their link, and Mercado Pago notifies us."""

    def __init__(self, run: Run, fake: Fake) -> None:
        self.run_, self.fake = run, fake
        self.http = httpx.AsyncClient(base_url=run.base, timeout=60)
        self.paid: set[str] = set()  # external references (one payment per booking)

    async def pay_all(self) -> None:
        """Pay every link a customer got (once), and post its signed notification. A link
        whose answer was lost with a killed server reached nobody: it is not paid."""
        for preference in await self.fake.control("preferences", {}):
            reference = preference.get("external_reference", "")
            if reference in self.paid or preference["id"] not in self.run_.links:
                continue
            self.paid.add(reference)
            payment = await self.fake.control("pay", {"preference_id": preference["id"]})
            notice = await self.fake.control("notification", {"payment_id": payment["id"]})
            headers = {k: v for k, v in notice["headers"].items() if k != "content-type"}
            response = await self.run_.send(
                "mercadopago notification",
                self.http,
                "POST",
                notice["path"],
                json=notice["body"],
                headers=headers,
            )
            if response.status_code == 200:
                self.run_.acknowledged["mercadopago notification"] += 1
                booking_id = int(preference["metadata"]["booking_id"])
                self.run_.payments[str(payment["id"])] = booking_id
            else:
                self.run_.refused.append(f"mercadopago {response.status_code} {response.text}")

    async def run(self) -> None:
        """Every second while the traffic runs, and once more after it (the last holds)."""
        while not self.run_.over():
            await self.pay_all()
            await asyncio.sleep(1.0)
        await asyncio.sleep(5.0)  # the customers' last bookings get their preferences
        await self.pay_all()
        await self.http.aclose()
