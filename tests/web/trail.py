"""The shop's audit trail as its owner reads it: `GET /api/v1/shops/{slug}/audit`."""

from __future__ import annotations

from typing import Any

import httpx


async def trail(
    web: httpx.AsyncClient, key: dict[str, str], slug: str = "don-julio", **params: Any
) -> dict[str, Any]:
    """A page of the shop's audit trail (newest first)."""
    response = await web.get(f"/api/v1/shops/{slug}/audit", headers=key, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def rows_of(
    web: httpx.AsyncClient, key: dict[str, str], prefix: str, slug: str = "don-julio"
) -> list[dict[str, Any]]:
    """The latest rows whose action starts with `prefix` («message.», «auth.login»)."""
    items = (await trail(web, key, slug, limit=200))["items"]
    return [row for row in items if row["action"].startswith(prefix)]
