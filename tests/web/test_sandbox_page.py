"""The sandbox web page, as far as it can be checked without a browser, and its endpoint's body."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest
from annotated_types import MaxLen

from web.sandbox import SandboxIn

pytestmark = pytest.mark.usefixtures("demo")


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, plus the text of its <script>s."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script += data

    def find(self, tag: str, **attrs: str) -> dict[str, str | None]:
        found = [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> in the page"
        return found[0]


async def sandbox_page(sandbox: httpx.AsyncClient) -> tuple[str, Tags]:
    response = await sandbox.get("/sandbox")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    tags = Tags()
    tags.feed(response.text)
    return response.text, tags


async def test_the_page_brings_its_own_icon_so_the_browser_asks_for_no_favicon(
    sandbox: httpx.AsyncClient,
) -> None:
    _, tags = await sandbox_page(sandbox)

    icon = tags.find("link", rel="icon")
    assert (icon["href"] or "").startswith("data:")


async def test_the_page_puts_chat_text_in_as_text_never_as_html(
    sandbox: httpx.AsyncClient,
) -> None:
    _, tags = await sandbox_page(sandbox)

    assert "textContent" in tags.script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in tags.script


async def test_the_input_stops_at_the_servers_text_limit_with_a_short_placeholder(
    sandbox: httpx.AsyncClient,
) -> None:
    _, tags = await sandbox_page(sandbox)
    [server_limit] = [
        m.max_length for m in SandboxIn.model_fields["text"].metadata if isinstance(m, MaxLen)
    ]

    field = tags.find("input", id="text")
    assert field["maxlength"] == str(server_limit)
    assert len(field["placeholder"] or "") <= 25


async def test_the_page_keeps_the_chat_across_reloads_and_can_start_a_new_one(
    sandbox: httpx.AsyncClient,
) -> None:
    text, tags = await sandbox_page(sandbox)

    assert "localStorage" in tags.script
    assert tags.find("button", id="new")
    assert "Nueva conversación" in text
    assert tags.find("details", id="state-box")
    assert re.search(r"\.msg\s*{[^}]*overflow-wrap:\s*anywhere", text)


async def test_the_page_says_failures_in_spanish_not_with_the_servers_detail(
    sandbox: httpx.AsyncClient,
) -> None:
    _, tags = await sandbox_page(sandbox)

    assert "Ese mensaje es demasiado largo." in tags.script
    assert "No pude enviar eso. Probá de nuevo." in tags.script
    assert ".detail" not in tags.script


@pytest.mark.parametrize(
    "body",
    [{"text": "hola", "choice": "1.book"}, {"text": "", "choice": ""}],
)
async def test_text_and_choice_together_are_refused_as_a_json_422(
    sandbox: httpx.AsyncClient, body: dict[str, str]
) -> None:
    response = await sandbox.post("/sandbox/chats/juan/messages", json=body)

    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": None, "choice": "1.book"}, {"text": "hola", "choice": None}]
)
async def test_text_or_choice_alone_or_neither_is_fine(
    sandbox: httpx.AsyncClient, body: dict[str, str | None]
) -> None:
    response = await sandbox.post("/sandbox/chats/juan/messages", json=body)

    assert response.status_code == 200, response.text
    assert set(response.json()) == {"replies", "state"}
    assert response.json()["replies"]
