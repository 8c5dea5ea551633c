"""The owner reads the numbers on a phone: charts of the demo's history, another period, a
chart's data downloaded as a CSV."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser.conftest import Served, log_in

THIS_WEEK = "30 de noviembre\u2009–\u20096 de diciembre de 2026"  # babel's thin spaces


async def test_the_owner_sees_charts_switches_the_period_and_downloads_a_csv(
    phone: Page, served: Served
) -> None:
    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/numbers")

    await expect(phone.get_by_role("heading", name="Números", exact=True)).to_be_visible()
    await expect(phone.get_by_role("img", name="Turnos", exact=True)).to_be_visible()
    assert await phone.locator("#chart-bookings rect.bar").count() > 13 * 2  # 13 weeks, stacked
    assert await phone.locator("#chart-hours rect.cell").count() >= 6 * 9  # Monday to Saturday
    await expect(phone.get_by_role("img", name="Facturación", exact=True)).to_be_visible()

    await phone.get_by_role("link", name="Esta semana").click()
    await expect(phone.get_by_text(THIS_WEEK)).to_be_visible()
    legend = phone.locator("#chart-bookings text.legend")
    await expect(legend.filter(has_text="Por venir")).to_have_count(1)  # the demo's next turnos

    async with phone.expect_download() as started:
        await phone.get_by_role("link", name="Descargar los datos de «Turnos» (CSV)").click()
    download = await started.value

    assert download.suggested_filename == "don-julio-bookings-2026-11-30-2026-12-06.csv"
    path = await download.path()
    text = await asyncio.to_thread(Path(path).read_text, encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Desde",
        "Hasta",
        "Atendidos",
        "Por venir",
        "No vinieron",
        "Cancelados a tiempo",
        "Cancelados tarde",
    ]
    assert [row[0] for row in rows[1:]] == [f"2026-{d}" for d in ("11-30", *DECEMBER)]
    monday, wednesday = rows[1], rows[3]
    assert int(monday[2]) > 0  # yesterday's turnos, attended
    assert wednesday[3] == "1"  # a demo customer's corte, coming


DECEMBER = ("12-01", "12-02", "12-03", "12-04", "12-05", "12-06")
