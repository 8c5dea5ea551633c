"""What each professional is owed over a period, as reports show it: the period's rule, each
professional's line with their name, and the CSV a spreadsheet reads. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidRequest
from domain.ledger import Payout
from domain.money import Money

MAX_DAYS = 366
CSV_COLUMNS = (
    "professional_id",
    "professional",
    "currency",
    "charged",
    "refunded",
    "net",
    "commission",
    "owed_to_professional",
    "shop",
)


@dataclass(frozen=True)
class NamedPayout:
    """A professional's payout with the name the shop calls them by."""

    name: str
    payout: Payout


def check_period(from_day: date, to_day: date) -> None:
    """InvalidRequest unless `to_day` is on or after `from_day`, at most MAX_DAYS days."""
    if to_day < from_day or (to_day - from_day).days >= MAX_DAYS:
        raise InvalidRequest(f"`to` must be on or after `from`, at most {MAX_DAYS} days")


def decimal(money: Money) -> str:
    """The exact amount as a spreadsheet reads it: '12000.00'."""
    return f"{money.amount:.2f}"


def payouts_csv(rows: Sequence[NamedPayout]) -> str:
    """Exact decimal amounts, one professional per row, under a header of CSV_COLUMNS."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        p = row.payout
        amounts = (p.charged, p.refunded, p.net, p.commission, p.professional, p.shop)
        writer.writerow(
            [p.professional_id, row.name, p.charged.currency, *(decimal(m) for m in amounts)]
        )
    return out.getvalue()


def csv_filename(slug: str, from_day: date, to_day: date) -> str:
    """The download's name: payouts-<shop>-<from>-<to>.csv."""
    return f"payouts-{slug}-{from_day}-{to_day}.csv"
