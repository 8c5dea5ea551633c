"""Security headers: every HTML page carries a CSP whose only inline code is its own nonce, no
framing, nosniff and a referrer policy; other responses nosniff and a closed CSP; HSTS only
when the public URL is https. The docs pages load nothing from a CDN."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.settings import Settings
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock
from tests.web.admin import logged_in
from web.app import create_app

PAGES = ["/sandbox", "/docs", "/redoc", "/pagos/success", "/pagos/failure", "/admin/login"]
LOGGED_IN_PAGES = ["/admin/agenda", "/admin/setup", "/admin/setup/services", "/admin/status"]


def directives(response: httpx.Response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    policy = response.headers["content-security-policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def nonce(response: httpx.Response) -> str:
    """The nonce the policy allows scripts with."""
    found = [s for s in directives(response)["script-src"] if s.startswith("'nonce-")]
    assert len(found) == 1, response.headers["content-security-policy"]
    return found[0].removeprefix("'nonce-").removesuffix("'")


def assert_a_guarded_page(page: httpx.Response) -> None:
    """The headers every HTML page carries (over http: no HSTS)."""
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    policy = directives(page)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce(page)}'"]  # no 'unsafe-inline'
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in page.headers
    assert "server" not in page.headers


def inline_tags(page: httpx.Response) -> list[str]:
    """The page's <script> elements without src, and its <style> elements when the policy
    holds styles to the nonce too (ReDoc's page allows inline styles)."""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)
    if "'unsafe-inline'" in directives(page)["style-src"]:
        return scripts
    return scripts + re.findall(r"<style[^>]*>", page.text)


@pytest.mark.usefixtures("demo")
async def test_every_kind_of_html_page_carries_the_policy_and_its_inline_code_the_nonce(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    pages = [await web.get(path) for path in PAGES]
    await logged_in(web, uow_factory, clock, "dueno@donjulio.test")
    pages += [await web.get(path) for path in LOGGED_IN_PAGES]

    for page in pages:
        assert_a_guarded_page(page)
        for tag in inline_tags(page):
            assert f'nonce="{nonce(page)}"' in tag, (page.url, tag)
        assert "style=" not in page.text, page.url  # inline style attributes would be refused
    assert len({nonce(page) for page in pages}) == len(pages), "a fresh nonce per response"
    inline = {str(page.url.path): len(inline_tags(page)) for page in pages}
    assert (inline["/docs"], inline["/sandbox"], inline["/pagos/success"]) == (1, 2, 1)


async def test_only_the_dashboard_pages_lock_styles_to_the_nonce_and_redoc_allows_its_own(
    web: httpx.AsyncClient,
) -> None:
    """ReDoc builds its styles in the browser; its scripts are still held to the nonce."""
    docs, redoc = await web.get("/docs"), await web.get("/redoc")

    assert directives(docs)["style-src"] == ["'self'", f"'nonce-{nonce(docs)}'"]
    assert directives(redoc)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives(redoc)["worker-src"] == ["'self'", "blob:"]


async def test_the_docs_load_their_files_from_us_not_from_a_cdn(web: httpx.AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        page = await web.get(path)
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert assets, page.text
        assert all(asset.startswith("/docs-static/") for asset in assets), assets
        assert 'spec-url="/openapi.json"' in page.text or "'/openapi.json'" in page.text
        for asset in assets:
            served = await web.get(asset)
            assert served.status_code == 200, asset
            assert served.headers["x-content-type-options"] == "nosniff"
    assert (await web.get("/openapi.json")).json()["info"]["title"] == "BarberPro"


async def test_json_answers_and_errors_carry_nosniff_and_a_closed_policy(
    web: httpx.AsyncClient,
) -> None:
    answers = [
        await web.get("/healthz"),
        await web.get("/openapi.json"),
        await web.get("/api/v1/shops"),  # 401: no key
        await web.get("/no-such-page"),  # 404
        await web.post("/sandbox/chats/x/messages", content=b"x" * 70_000),  # 413
        await web.post("/sandbox/chats/x/messages", json={"text": 3}),  # 422
    ]

    assert [a.status_code for a in answers] == [200, 200, 401, 404, 413, 422]
    for answer in answers:
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert (
            answer.headers["content-security-policy"]
            == "default-src 'none'; frame-ancestors 'none'"
        )
        assert "strict-transport-security" not in answer.headers


@pytest.fixture
async def behind_https(database_url: str, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app whose public URL is https (as in production)."""
    settings = Settings(
        database_url=database_url, public_url="https://turnos.example.com", _env_file=None
    )  # type: ignore[call-arg]
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_hsts_is_sent_when_the_public_url_is_https(behind_https: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/docs", "/admin/login"):
        answer = await behind_https.get(path)
        hsts = answer.headers["strict-transport-security"]
        assert hsts == "max-age=31536000; includeSubDomains", path


async def test_an_unexpected_error_answers_json_with_the_headers_too(
    database_url: str, clock: FixedClock
) -> None:
    """Starlette sends a 500 from outside every middleware: its handler adds the headers."""
    settings = Settings(
        database_url=database_url, public_url="https://turnos.example.com", _env_file=None
    )  # type: ignore[call-arg]
    app = create_app(settings, clock)

    @app.get("/boom")  # a route that fails as a bug would: the app's own handler answers
    async def boom() -> None:
        raise RuntimeError("a bug")

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answer = await client.get("/boom")
    assert answer.status_code == 500
    assert answer.json()["error"] == "internal_error"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["strict-transport-security"].startswith("max-age=")
    assert "server" not in answer.headers
