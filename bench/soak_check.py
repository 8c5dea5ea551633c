"""The soak's end: wait until the server is quiet, then check the ledger against the database and
against what the fakes received, and print the figures. See bench/README.md."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from soak_clients import Run
from soak_servers import Fakes
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ACTIVE = ("confirmed", "held")


def _dt(value: Any) -> datetime | None:
    """A timestamp as the driver returns it (SQLite: text), as an aware UTC datetime."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def _rows(url: str, sql: str) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(sql))).all())
    finally:
        await engine.dispose()


def _fake_counts(fakes: Fakes) -> int:
    return sum(len(f.calls()) for f in (fakes.telegram, fakes.twilio, fakes.mercadopago))


async def drain(url: str, fakes: Fakes, within: float) -> float | None:
    """Wait until nothing is pending (inbound, outbox, jobs due) and the fakes saw no new call
    for 3 s; the seconds it took, None when it never got quiet within `within`."""
    began = time.monotonic()
    calm, last = 0, -1
    while time.monotonic() - began < within:
        now = datetime.now(UTC)
        inbound = await _rows(url, "SELECT count(*) FROM inbound_messages WHERE status='pending'")
        outbox = await _rows(url, "SELECT count(*) FROM outbox WHERE status='pending'")
        jobs = await _rows(url, "SELECT due_at, kind FROM jobs WHERE status='pending'")
        # payment news and refunds are waited for even when retried later; reminders are not
        due = [j for j, kind in jobs if (_dt(j) or now) <= now or kind.startswith("mp_")]
        seen = _fake_counts(fakes)
        busy = inbound[0][0] or outbox[0][0] or due
        calm = calm + 1 if not busy and seen == last else 0
        last = seen
        if calm >= 3:
            return time.monotonic() - began
        await asyncio.sleep(1.0)
    return None


def _text(payload: str) -> str:
    return str(json.loads(payload).get("text", ""))


class Report:
    """Invariants with their counts and a few examples of what broke them."""

    def __init__(self) -> None:
        self.problems: dict[str, list[str]] = defaultdict(list)

    def add(self, invariant: str, problem: str) -> None:
        self.problems[invariant].append(problem)

    def line(self, invariant: str, what: str) -> str:
        found = self.problems.get(invariant, [])
        verdict = "PASS" if not found else f"FAIL ({len(found)})"
        shown = "".join(f"\n      {p}" for p in found[:6])
        return f"  {what:<66}{verdict}{shown}"


async def check(url: str, fakes: Fakes, run: Run, elapsed: float, quiet: float | None) -> list[str]:
    """Every invariant, printed with the run's figures; the failed invariants."""
    report = Report()
    bookings = {
        r[0]: r
        for r in await _rows(
            url,
            "SELECT id, customer_id, professional_id, starts_at, status, block_start, block_end,"
            " session_key, late_cancellation FROM bookings",
        )
    }
    chat_customer = {
        (r[0], r[1]): r[2]
        for r in await _rows(url, "SELECT channel, chat_id, customer_id FROM conversations")
    }
    phone_customer = {
        r[1]: r[0] for r in await _rows(url, "SELECT id, phone FROM customers") if r[1]
    }
    payments = await _rows(url, "SELECT booking_id, status, provider_payment_id FROM payments")
    by_customer: dict[int, set[int]] = defaultdict(set)
    for booking_id, customer_id, *_ in bookings.values():
        by_customer[customer_id].add(booking_id)
    paid = {str(p[2]): p for p in payments if p[2]}

    # 1. lost bookings, and bookings nobody acknowledged (made twice)
    ledgers = [
        (f"sandbox {c}", chat_customer.get(("sandbox", c)), h) for c, h in run.sandbox.items()
    ]
    ledgers += [(f"api {p}", phone_customer.get(p), h) for p, h in run.api.items()]
    for who, customer_id, held in ledgers:
        for booking_id, known in held.items():
            row = bookings.get(booking_id)
            if row is None or row[1] != customer_id:
                report.add("lost", f"{who}: booking {booking_id} missing")
                continue
            other = known.professional_id not in (None, row[2])
            if known.start and (other or _dt(row[3]) != _dt(known.start)):
                report.add(
                    "lost",
                    f"{who}: booking {booking_id} is professional {row[2]} at {_dt(row[3])}, "
                    f"the client asked {known.professional_id} at {known.start}"
                    f"{' (learnt after a lost answer)' if known.after_lost else ''}",
                )
            wanted = {"active": ACTIVE, "cancelled": ("cancelled",)}.get(known.status)
            if wanted and row[4] not in wanted:
                report.add("lost", f"{who}: booking {booking_id} {row[4]}, client: {known.status}")
        extra = by_customer.get(customer_id, set()) - set(held) if customer_id else set()
        for booking_id in sorted(extra):
            row = bookings[booking_id]
            report.add("double", f"{who}: booking {booking_id} ({row[4]}) nobody acknowledged")
    for chat, waiting in run.unplaced.items():
        customer_id = chat_customer.get(("sandbox", chat))
        for known in waiting:  # acknowledged, never seen in «Mis turnos»
            match = [
                b
                for b in bookings.values()
                if b[1] == customer_id
                and known.professional_id in (None, b[2])
                and _dt(b[3]) == _dt(known.start)
            ]
            if not match:
                report.add("lost", f"sandbox {chat}: {known.start} acknowledged, not stored")
    for chat, ids in run.extra_seen.items():
        report.add("double", f"sandbox {chat}: «Mis turnos» showed unasked turnos {ids}")
    refunds: Counter[str] = Counter(
        str(r["payment_id"]) for r in await fakes.mercadopago.control("refunds", {})
    )
    for payment_id, booking_id in run.payments.items():
        row = bookings.get(booking_id)
        if payment_id not in paid:
            report.add("lost", f"payment {payment_id} (booking {booking_id}) not recorded")
        elif row is not None and row[4] != "cancelled" and row[4] != "confirmed":
            report.add("lost", f"booking {booking_id} paid ({payment_id}) but {row[4]}")
        elif row is not None and row[4] == "cancelled" and not row[8] and not refunds[payment_id]:
            report.add(
                "money",
                f"booking {booking_id} cancelled in time, its payment {payment_id} "
                f"({paid[payment_id][1]}) never refunded",
            )

    # 2. overlapping active turnos of one professional
    active = sorted(
        (b for b in bookings.values() if b[4] in ACTIVE), key=lambda b: (b[2], _dt(b[5]))
    )
    for one, two in itertools.pairwise(active):
        if one[2] == two[2] and _dt(two[5]) < _dt(one[6]) and one[7] != two[7]:  # type: ignore[operator]
            report.add("double", f"bookings {one[0]} and {two[0]} overlap (professional {one[2]})")

    # 3. inbound: recorded, done, one reply batch, delivered once; 4. outbox delivered once
    inbound = {
        (r[0], r[1]): r
        for r in await _rows(
            url, "SELECT channel, external_id, chat_id, status, processed_at FROM inbound_messages"
        )
    }
    outbox = await _rows(
        url, "SELECT id, channel, chat_id, status, created_at, external_id, payload FROM outbox"
    )
    delivered: Counter[tuple[str, str, str]] = Counter()
    texts: dict[tuple[str, str, str], str] = {}
    sent: dict[tuple[str, str, str], float] = {}  # when the fake took it (epoch seconds)
    for call in fakes.telegram.calls("sendMessage"):
        if call["status"] == 200:
            chat = str(call["params"].get("chat_id"))
            message = ("telegram", chat, str(call["response"]["result"]["message_id"]))
            delivered[message] += 1
            texts[message] = str(call["params"].get("text", ""))
            sent[message] = call["time"]
    for call in fakes.twilio.calls("messages.create"):
        if call["status"] == 201:
            message = ("whatsapp", call["params"].get("To", ""), call["response"]["sid"])
            delivered[message] += 1
            texts[message] = str(call["params"].get("Body", ""))
            sent[message] = call["time"]
    batches: dict[tuple[str, str, datetime | None], list[Any]] = defaultdict(list)
    for row in outbox:
        batches[row[1], row[2], _dt(row[4])].append(row)
    answered: set[tuple[str, str, datetime | None]] = set()
    for channel, external, _chat in run.inbound:
        row = inbound.get((channel, external))
        if row is None:
            report.add("inbound", f"{channel} {external}: acknowledged, not recorded")
            continue
        if row[3] != "done":
            report.add("inbound", f"{channel} {external}: {row[3]}")
            continue
        batch = (channel, row[2], _dt(row[4]))
        answered.add(batch)
        replies = batches.get(batch, [])
        if not replies:
            report.add("inbound", f"{channel} {external}: done without a reply")
        for reply in replies:
            times = delivered.get((channel, reply[2], str(reply[5])), 0) if reply[5] else 0
            if times != 1:  # never: lost; twice: a send cut off by a kill, done again
                kind = "inbound" if times == 0 else "resent"
                report.add(kind, f"{channel} {external}: reply {reply[0]} delivered {times}x")
    ours = {(c, chat) for c, _, chat in run.inbound}
    for (channel, chat, at), rows in batches.items():
        if (channel, chat) in ours and (channel, chat, at) not in answered:
            first = json.loads(rows[0][6]).get("text", "")[:50]
            report.add("inbound", f"{channel} {chat}: a reply with no inbound: {first!r}")
    claimed = {(r[1], r[2], str(r[5])) for r in outbox if r[3] == "sent" and r[5]}
    for row in outbox:
        if row[1] in ("telegram", "whatsapp") and row[3] != "sent":
            report.add("outbox", f"outbox {row[0]} ({row[1]}) still {row[3]}")
    for message, times in delivered.items():
        if message not in claimed:
            same = [
                r[0]
                for r in outbox
                if (r[1], r[2]) == message[:2]
                and texts[message] in (_text(r[6]), json.loads(r[6]).get("numbered"))
            ]
            kill = min((abs(sent[message] - k) for k in run.kill_times), default=float("nan"))
            report.add(
                "resent",
                f"{message[0]} message {message[2]} to {message[1]}: no outbox row has its id; "
                f"the text of outbox row(s) {same} ({texts[message][:40]!r}): delivered again "
                f"(sent {kill:.2f} s from a kill)",
            )
        elif times > 1:
            report.add("resent", f"{message[0]} message {message[2]} delivered {times}x")
    for payment_id, times in refunds.items():
        if times > 1:
            report.add("money", f"payment {payment_id} refunded {times} times")
    keys = Counter(
        c.get("idempotency_key")
        for c in fakes.mercadopago.calls("preference.create")
        if c["status"] == 201
    )
    repeated_keys = sum(n - 1 for n in keys.values() if n > 1)

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nsoak: {elapsed / 60:.1f} min of traffic, {run.kills} kills (SIGKILL), then a clean "
        f"restart; load average now {load}"
    )
    print(f"drained: {f'quiet after {quiet:.0f} s' if quiet is not None else 'NEVER QUIET'}")
    print(f"{'requests':<28}{'sent':>8}{'acknowledged':>14}{'retried':>9}")
    for kind in sorted(run.requests):
        print(
            f"  {kind:<26}{run.requests[kind]:>8,}{run.acknowledged[kind]:>14,}"
            f"{run.retried[kind]:>9,}"
        )
    total = sum(run.requests.values())
    print(
        f"  {'total':<26}{total:>8,}{sum(run.acknowledged.values()):>14,}"
        f"{sum(run.retried.values()):>9,}"
    )
    after_lost = sum(
        h.after_lost for led in (*run.sandbox.values(), *run.api.values()) for h in led.values()
    )
    print(
        f"bookings made {run.booked:,} (of them learnt after a lost answer {after_lost}), "
        f"cancelled {run.cancelled:,}; paid with Mercado Pago {len(run.payments):,}, refunds "
        f"{sum(refunds.values())}; outbox rows {len(outbox):,}; messages at the fakes "
        f"{sum(delivered.values()):,}; preference keys sent again {repeated_keys}"
    )
    print(f"server errors (5xx) {len(run.refused)}; conversations off script {len(run.unexpected)}")
    for problem in [*run.refused[:3], *run.unexpected[:3]]:
        print(f"  {problem}")
    print("invariants:")
    print(report.line("lost", "zero bookings lost (each acknowledged one stored, as last left)"))
    print(report.line("double", "zero double bookings (no overlap, none unacknowledged)"))
    print(report.line("inbound", "every acknowledged inbound answered (one reply batch)"))
    print(report.line("outbox", "every outbox message delivered (none left pending or failed)"))
    print(report.line("resent", "every outbox message delivered once (at least once: see README)"))
    print(report.line("money", "every payment of a turno cancelled in time refunded, once"))
    if quiet is None:
        report.add("drain", "the server never got quiet")
        print(report.line("drain", "quiet at the end"))
    return [name for name, found in report.problems.items() if found]
