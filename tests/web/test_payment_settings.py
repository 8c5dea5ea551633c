"""The shop's payment setup and the services' señas through the REST API, and what the chat
offers from them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.web.chat import customer

pytestmark = pytest.mark.usefixtures("demo")

URL = "/api/v1/shops/don-julio/payment-settings"
CBU = "2850590940090418135201"
CVU = "0000003100000000123459"  # a virtual account (Mercado Pago style): "000" first


def setup(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "methods": ["mercadopago", "cash", "transfer"],
        "max_cuotas": 6,
        "cash_tickets": False,
        "transfer_alias": "DON.JULIO.BARBER",
        "transfer_account": "28505909 40090418135201",
        "cuit": "20-26756539-3",
        "cash_confirms": True,
        "deposit_when": "new",
    }
    return {**body, **changes}


async def test_the_demo_shop_takes_every_method_with_its_transfer_details(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(URL)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["offered"] == ["mercadopago", "cash", "transfer", "ticket"]
    assert (body["transfer_account"], body["transfer_account_kind"]) == (CBU, "cbu")
    assert body["cuit"] == "20-26756539-3"


async def test_a_new_setup_is_stored_compacted_and_read_back(client: httpx.AsyncClient) -> None:
    saved = await client.put(URL, json=setup())
    read = await client.get(URL)

    assert saved.status_code == 200, saved.text
    assert read.json() == saved.json()
    assert read.json()["transfer_account"] == CBU
    assert read.json()["offered"] == ["mercadopago", "cash", "transfer"]
    assert read.json()["deposit_when"] == "new"
    cvu = await client.put(URL, json=setup(transfer_account=CVU))
    assert cvu.status_code == 200, cvu.text
    assert cvu.json()["transfer_account_kind"] == "cvu"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"transfer_account": "2810590940090418135201"}, "invalid_cbu"),  # wrong check digit
        ({"transfer_account": "28505909400904181352"}, "invalid_cbu"),  # 20 digits
        ({"cuit": "20-26756539-4"}, "invalid_cuit"),
        ({"cuit": "99-26756539-3"}, "invalid_cuit"),  # no such prefix
        ({"transfer_alias": "a b"}, "invalid_alias"),
        ({"max_cuotas": 4}, "invalid_request"),
        ({"transfer_alias": None, "transfer_account": None}, "transfer_needs_account"),
        ({"methods": []}, "invalid_request"),
        ({"methods": ["bitcoin"]}, "invalid_request"),
    ],
)
async def test_bad_details_get_a_422_with_their_code_and_change_nothing(
    client: httpx.AsyncClient, changes: dict[str, Any], code: str
) -> None:
    before = (await client.get(URL)).json()

    response = await client.put(URL, json=setup(**changes))

    assert response.status_code == 422, response.text
    assert response.json()["error"] == code
    assert (await client.get(URL)).json() == before


async def test_a_service_deposit_by_percent_or_amount_in_exact_pesos(
    client: httpx.AsyncClient,
) -> None:
    url = "/api/v1/shops/don-julio/services/1/deposit"
    percent = await client.put(url, json={"kind": "percent", "percent": 30})
    fixed = await client.put(url, json={"kind": "fixed", "amount": "2500.50"})
    missing = await client.put(url, json={"kind": "percent"})
    unknown = await client.put(
        "/api/v1/shops/don-julio/services/999/deposit", json={"kind": "none"}
    )
    a_float = await client.put(url, json={"kind": "fixed", "amount": 2500.5})

    assert percent.status_code == 200, percent.text
    assert percent.json()["amount"]["formatted"] == "$\xa03.600,00"  # 30 % of $ 12.000
    assert fixed.json()["amount"] == {
        "amount": "2500.50",
        "currency": "ARS",
        "formatted": "$\xa02.500,50",
    }
    assert missing.status_code == 422
    assert unknown.status_code == 404
    assert a_float.status_code == 422, "amounts are exact strings, never floats"


async def test_the_chat_offers_only_what_the_shop_takes(
    client: httpx.AsyncClient, sandbox: httpx.AsyncClient
) -> None:
    await client.put(URL, json=setup(methods=["cash", "transfer"]))
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con Tincho el miércoles a las 16")

    assert chat.step == "payment", chat.text
    assert [label for label in chat.labels if label not in ("Volver", "Cancelar")] == [
        "Efectivo en el local",
        "Transferencia",
    ]
