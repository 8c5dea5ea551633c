"""A fake Telegram Bot API on 127.0.0.1 that python-telegram-bot's real `Bot` talks HTTP to.

Point PTB at it with `Bot(token, base_url=f"{fake.url}/bot")` (or
`Application.builder().token(token).base_url(f"{fake.url}/bot")`); PTB appends the token and
posts `POST /bot<token>/<method>` with a form-urlencoded body whose values are strings (ints as
digits, booleans as "true"/"false", `reply_markup` and other objects as JSON strings).
The fake records every call (refused ones too, with their HTTP `status`), answers in Telegram's
own `{"ok": ..., "result" | "error_code", "description", "parameters"}` shape, and can be told to
fail (`fail_next`), to treat a chat as having blocked the bot (`block_chat`) and to serve updates
to `getUpdates` (`queue_update`). The `*_update` helpers build update payloads the way Telegram
sends them, for webhook posts or the queue.

In-process: `with FakeTelegram() as tg: ...` (or `tg.start()` / `tg.stop()`; a stopped fake can be
started again on the same port, keeping its state: an outage). As a process (for kill -9 tests):
`python -m tests.fakes.telegram_api --port N` (from the repository root), driven over HTTP by
`FakeControl` or by hand: `GET /_fake/calls[?method=sendMessage]`,
`POST /_fake/fail {"status": 429, "times": 1, "retry_after": 3}`, `POST /_fake/reset`,
`POST /_fake/block_chat {"chat_id": 1}`, `POST /_fake/updates <update>`,
`POST /_fake/deliver <update>` (posts it to the registered webhook). `FakeProcess` spawns one.

This module also holds the machinery shared with `tests.fakes.twilio_api` (server thread,
recording, failure queue, waiting helpers, process control).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from types import FrameType, TracebackType
from typing import Any, Final, Self
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)

Call = dict[str, Any]
Predicate = Callable[[list[Call]], bool]
JSONValue = Any

REPO_ROOT: Final = Path(__file__).resolve().parents[2]

# ===============================================================================================
# Shared machinery
# ===============================================================================================


@dataclass(frozen=True)
class FakeRequest:
    """One HTTP request as the fake saw it (header names lower-cased)."""

    http_method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def mime_type(self) -> str:
        """The media type of the body, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def fields(self) -> dict[str, Any]:
        """Query and body fields: form values as strings (lists when repeated), JSON as parsed."""
        fields = _flatten(parse_qs(self.query, keep_blank_values=True))
        if not self.body:
            return fields
        if self.mime_type == "application/json":
            data = json.loads(self.body)
            if not isinstance(data, dict):
                raise ValueError("the JSON body is not an object")
            fields.update(data)
        elif self.mime_type == "application/x-www-form-urlencoded":
            text = self.body.decode("utf-8")
            fields.update(_flatten(parse_qs(text, keep_blank_values=True, strict_parsing=False)))
        else:
            raise ValueError(f"unsupported content type {self.mime_type!r}")
        return fields

    def json(self) -> Any:
        """The body parsed as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


@dataclass
class FakeResponse:
    """What the fake answers: a status, a JSON payload and extra headers."""

    status: int
    payload: JSONValue
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FailRule:
    """An injected failure: answer the next `remaining` matching calls with `status`."""

    status: int
    remaining: int
    retry_after: float | None = None
    methods: frozenset[str] | None = None  # None: every API method
    description: str | None = None  # Telegram: the error description
    code: int | None = None  # Twilio: the error code

    def matches(self, method: str) -> bool:
        """Whether this rule applies to a call of `method`."""
        return self.remaining > 0 and (self.methods is None or method in self.methods)

    def as_json(self) -> dict[str, Any]:
        """A JSON-able view, for the control API."""
        return {
            "status": self.status,
            "times": self.remaining,
            "retry_after": self.retry_after,
            "methods": sorted(self.methods) if self.methods is not None else None,
            "description": self.description,
            "code": self.code,
        }


class WaitTimeout(AssertionError):
    """`wait_for` gave up: the predicate never held; `.calls` holds what was recorded."""

    def __init__(self, message: str, calls: list[Call]) -> None:
        super().__init__(message)
        self.calls = calls


def _flatten(multi: dict[str, list[str]]) -> dict[str, Any]:
    """parse_qs output with single values unwrapped."""
    return {key: values[0] if len(values) == 1 else values for key, values in multi.items()}


def _summarise(calls: Sequence[Call]) -> str:
    """One line per call, for assertion messages."""
    if not calls:
        return "  (no calls recorded)"
    lines = []
    for call in calls:
        params = json.dumps(call.get("params"), ensure_ascii=False, default=str)
        if len(params) > 300:
            params = params[:300] + "…"
        lines.append(f"  #{call.get('seq')} {call.get('method')} -> {call.get('status')} {params}")
    return "\n".join(lines)


def _timeout_error(timeout: float, calls: list[Call]) -> WaitTimeout:
    return WaitTimeout(
        f"condition not met within {timeout:g}s; {len(calls)} recorded calls:\n"
        + _summarise(calls),
        calls,
    )


class Waiting:
    """`wait_for` / `await_for` on top of a `calls()` method."""

    def calls(self, method: str | None = None) -> list[Call]:  # pragma: no cover - abstract
        """Recorded calls, oldest first, optionally only those of one API method."""
        raise NotImplementedError

    def wait_for(
        self, predicate: Predicate, timeout: float = 10.0, interval: float = 0.02
    ) -> list[Call]:
        """Poll the calls (blocking) until `predicate(calls)` holds; returns them."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls()
            if predicate(calls):
                return calls
            if time.monotonic() >= deadline:
                raise _timeout_error(timeout, calls)
            time.sleep(interval)

    async def await_for(
        self,
        predicate: Predicate,
        timeout: float = 10.0,  # noqa: ASYNC109 - the same call shape as wait_for
        interval: float = 0.02,
    ) -> list[Call]:
        """Poll the calls with `asyncio.sleep` between tries until `predicate(calls)` holds."""
        deadline = time.monotonic() + timeout
        while True:
            calls = await self._calls_async()
            if predicate(calls):
                return calls
            if time.monotonic() >= deadline:
                raise _timeout_error(timeout, calls)
            await asyncio.sleep(interval)

    async def _calls_async(self) -> list[Call]:
        return self.calls()


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its open connections, to close them on stop."""

    daemon_threads = True
    block_on_close = True

    def __init__(self, address: tuple[str, int], fake: FakeServer) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup (`getfqdn` can stall)."""
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection before its handler thread starts."""
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget the connection once its handler is done."""
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every handler blocked on a kept-alive connection, so its thread ends."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-answer are normal; anything else is logged."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        logger.exception("fake %s: error serving %s", self.fake.name, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        """Serve a GET."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a POST."""
        self._serve()

    def do_PUT(self) -> None:
        """Serve a PUT."""
        self._serve()

    def do_DELETE(self) -> None:
        """Serve a DELETE."""
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: debug logging instead of stderr lines."""
        logger.debug("fake %s: " + format, self.server.fake.name, *args)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        url = urlsplit(self.path)
        request = FakeRequest(
            http_method=self.command,
            path=url.path,
            query=url.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.fake.dispatch(request)
        except Exception as exc:  # a bug in the fake: say so loudly, keep serving
            logger.exception("fake %s crashed on %s %s", self.server.fake.name, self.command, url)
            response = FakeResponse(500, {"fake_error": repr(exc)})
        data = json.dumps(response.payload, ensure_ascii=False).encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class FakeServer(Waiting):
    """Base of the fakes: a background HTTP server, a call log and a queue of failures."""

    name = "fake"
    default_fail_methods: frozenset[str] | None = None

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stopping = False
        self._calls: list[Call] = []
        self._failures: list[FailRule] = []
        self._seq = 0

    # --- lifecycle -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (fixed at the first start; 0 before it when asked for any)."""
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:PORT` (no trailing slash)."""
        if self._server is None and self._port == 0:
            raise RuntimeError(f"fake {self.name} is not started: no port yet")
        return f"http://{self.host}:{self._port}"

    @property
    def running(self) -> bool:
        """Whether the server is currently accepting requests."""
        return self._server is not None

    def start(self) -> Self:
        """Bind (same port again after a stop) and serve in a background thread."""
        if self._server is not None:
            return self
        server = _Server((self.host, self._port), self)
        self._port = server.server_port
        with self._lock:
            self._stopping = False
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-{self.name}-{self._port}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection, join the threads; state is kept."""
        server, thread = self._server, self._thread
        if server is None:
            return
        with self._lock:
            self._stopping = True
            self._changed.notify_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- recording and control -----------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Recorded calls (copies), oldest first, optionally only those of one API method."""
        with self._lock:
            chosen = [c for c in self._calls if method is None or c["method"] == method]
            return copy.deepcopy(chosen)

    def _fail_next(
        self,
        status: int,
        times: int,
        retry_after: float | None,
        methods: Iterable[str] | None,
        description: str | None = None,
        code: int | None = None,
    ) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        rule = FailRule(
            status=int(status),
            remaining=int(times),
            retry_after=retry_after,
            methods=frozenset(methods) if methods is not None else None,
            description=description,
            code=code,
        )
        with self._lock:
            self._failures.append(rule)

    def pending_failures(self) -> list[dict[str, Any]]:
        """The failures still to be served, in order."""
        with self._lock:
            return [rule.as_json() for rule in self._failures if rule.remaining > 0]

    def reset(self) -> None:
        """Forget calls, failures and any per-fake state."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._seq = 0
            self._reset_state()
            self._changed.notify_all()

    def _reset_state(self) -> None:
        """Subclasses clear their own state here (called under the lock)."""

    def _take_failure(self, method: str) -> FailRule | None:
        """Consume one injected failure for `method`, if any is queued (call under the lock)."""
        for rule in self._failures:
            if rule.matches(method):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._failures.remove(rule)
                return rule
        return None

    def _record(
        self, method: str, request: FakeRequest, params: dict[str, Any], **extra: Any
    ) -> Call:
        """Append a call to the log (call under the lock); returns the stored dict."""
        self._seq += 1
        call: Call = {
            "seq": self._seq,
            "method": method,
            "params": params,
            "time": time.time(),
            "http_method": request.http_method,
            "path": request.path,
            "status": None,
            "response": None,
            **extra,
        }
        self._calls.append(call)
        return call

    def _finish(self, call: Call, response: FakeResponse) -> FakeResponse:
        """Store the answer on its recorded call (call under the lock)."""
        call["status"] = response.status
        call["response"] = copy.deepcopy(response.payload)
        self._changed.notify_all()
        return response

    # --- dispatch ------------------------------------------------------------------------------

    def dispatch(self, request: FakeRequest) -> FakeResponse:
        """Route a request: `/_fake/...` to the control API, anything else to `handle`."""
        if request.path.startswith("/_fake/"):
            return self._control(request)
        return self.handle(request)

    def handle(self, request: FakeRequest) -> FakeResponse:  # pragma: no cover - abstract
        """Answer an API request (subclasses)."""
        raise NotImplementedError

    def control(self, name: str, payload: Any) -> FakeResponse | None:
        """Subclass hook for extra control endpoints (`POST /_fake/<name>`); None = unknown."""
        return None

    def _control(self, request: FakeRequest) -> FakeResponse:
        name = request.path.removeprefix("/_fake/").strip("/")
        try:
            if name == "calls" and request.http_method == "GET":
                method = parse_qs(request.query).get("method", [None])[0]
                return FakeResponse(200, self.calls(method))
            if name == "failures" and request.http_method == "GET":
                return FakeResponse(200, self.pending_failures())
            if request.http_method != "POST":
                return FakeResponse(405, {"error": "use POST"})
            payload = request.json()
            if name == "fail":
                if not isinstance(payload, dict):
                    raise TypeError("expected a JSON object")
                self.fail_next(**payload)
                return FakeResponse(200, {"ok": True, "pending": self.pending_failures()})
            if name == "reset":
                self.reset()
                return FakeResponse(200, {"ok": True})
            answer = self.control(name, payload)
        except (TypeError, ValueError, KeyError) as exc:
            return FakeResponse(400, {"error": f"{type(exc).__name__}: {exc}"})
        if answer is None:
            return FakeResponse(404, {"error": f"unknown control endpoint {name!r}"})
        return answer

    def fail_next(self, status: int, times: int = 1, retry_after: float | None = None) -> None:
        """Answer the next `times` send calls with an error `status`."""
        self._fail_next(status, times, retry_after, self.default_fail_methods)


# --- standalone processes ----------------------------------------------------------------------


def run_standalone(fake: FakeServer) -> None:
    """Serve `fake` until SIGTERM/SIGINT; prints `READY <url>` once listening."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    fake.start()
    print(f"READY {fake.url}", flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        fake.stop()


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (for processes that must be told one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class FakeControl(Waiting):
    """The HTTP control API of a fake running in another process, with the in-process API."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _request(self, path: str, payload: Any = None, post: bool = False) -> Any:
        data = json.dumps(payload).encode("utf-8") if post else None
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method="POST" if post else "GET",
            headers={"Content-Type": "application/json"} if post else {},
        )
        try:
            with _NO_PROXY_OPENER.open(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            with exc:
                detail = exc.read().decode("utf-8", "replace")
            raise RuntimeError(f"control call {path} failed: {exc.code} {detail}") from None

    def calls(self, method: str | None = None) -> list[Call]:
        """`GET /_fake/calls`: the recorded calls, optionally of one method."""
        query = f"?method={urllib.parse.quote(method)}" if method else ""
        result: list[Call] = self._request(f"/_fake/calls{query}")
        return result

    async def _calls_async(self) -> list[Call]:
        return await asyncio.to_thread(self.calls)

    def fail_next(
        self, status: int, times: int = 1, retry_after: float | None = None, **options: Any
    ) -> None:
        """`POST /_fake/fail`: answer the next `times` send calls with `status`."""
        self._request(
            "/_fake/fail",
            {"status": status, "times": times, "retry_after": retry_after, **options},
            post=True,
        )

    def reset(self) -> None:
        """`POST /_fake/reset`."""
        self._request("/_fake/reset", {}, post=True)

    def block_chat(self, chat_id: int | str) -> None:
        """Telegram only: `POST /_fake/block_chat`."""
        self._request("/_fake/block_chat", {"chat_id": chat_id}, post=True)

    def queue_update(self, update: dict[str, Any]) -> None:
        """Telegram only: `POST /_fake/updates` (served by getUpdates)."""
        self._request("/_fake/updates", update, post=True)

    def deliver_update(self, update: dict[str, Any]) -> int:
        """Telegram only: `POST /_fake/deliver`; returns the webhook's HTTP status."""
        answer: dict[str, int] = self._request("/_fake/deliver", update, post=True)
        return answer["status"]


class FakeProcess:
    """A fake run as `python -m <module> --port N` in its own process, for kill -9 tests."""

    def __init__(
        self, module: str, port: int = 0, args: Sequence[str] = (), host: str = "127.0.0.1"
    ) -> None:
        self.module = module
        self.host = host
        self.port = port or free_port(host)
        self.args = list(args)
        self.process: subprocess.Popen[bytes] | None = None
        self.control = FakeControl(self.url)

    @property
    def url(self) -> str:
        """Base URL of the fake, e.g. `http://127.0.0.1:PORT`."""
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        """The process id (while running)."""
        if self.process is None:
            raise RuntimeError("not started")
        return self.process.pid

    def start(self, timeout: float = 15.0) -> Self:
        """Spawn the process and wait until its control API answers."""
        if self.process is not None and self.process.poll() is None:
            return self
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        command = [sys.executable, "-m", self.module, "--host", self.host, "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, *self.args], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                raise RuntimeError(f"{self.module} exited with {code} before answering")
            try:
                self.control.calls()
                return self
            except (OSError, RuntimeError):
                if time.monotonic() >= deadline:
                    self.kill()
                    raise RuntimeError(f"{self.module} did not answer on {self.url}") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL (kill -9) and reap; nothing is cleaned up inside the process."""
        self._end(signal.SIGKILL)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; reaps the process."""
        self._end(signal.SIGTERM)

    def _end(self, signum: int) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signum)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def restart(self) -> Self:
        """Start again on the same port (after `kill` or `stop`)."""
        return self.start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


# ===============================================================================================
# Telegram
# ===============================================================================================

BOT_ID: Final = 7000000001
BOT_USERNAME: Final = "barberpro_test_bot"
BOT_FIRST_NAME: Final = "BarberPro"
TEST_TOKEN: Final = f"{BOT_ID}:AAFakeTokenForBarberProTests_0123456789"

SEND_METHODS: Final = frozenset({"sendMessage", "editMessageText"})
MAX_TEXT_UTF16: Final = 4096
MAX_CALLBACK_DATA_BYTES: Final = 64
BLOCKED_DESCRIPTION: Final = "Forbidden: bot was blocked by the user"
NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_DEFAULT_DESCRIPTIONS: Final = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: BLOCKED_DESCRIPTION,
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
# Form values arrive as strings; these are decoded for `params` (`raw_params` keeps the strings).
_JSON_FIELDS: Final = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "allowed_updates",
        "commands",
        "scope",
        "menu_button",
    }
)
_INT_FIELDS: Final = frozenset(
    {
        "chat_id",
        "message_id",
        "from_chat_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "max_connections",
        "message_thread_id",
        "cache_time",
        "reply_to_message_id",
    }
)
_BOOL_FIELDS: Final = frozenset(
    {
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "show_alert",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "allow_paid_broadcast",
    }
)
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_INT = re.compile(r"^-?\d+$")


def decode_params(fields: dict[str, Any]) -> dict[str, Any]:
    """Bot API fields as Telegram reads them: JSON objects parsed, ids and flags typed."""
    params: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            if name in _JSON_FIELDS:
                with contextlib.suppress(ValueError):  # kept as sent: the method answers 400
                    value = json.loads(value)
            elif name in _INT_FIELDS and _INT.match(value):
                value = int(value)
            elif name in _BOOL_FIELDS and value.lower() in {"true", "false"}:
                value = value.lower() == "true"
        params[name] = value
    return params


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def bot_user(bot_id: int = BOT_ID) -> dict[str, Any]:
    """The bot as a Telegram `User` (what getMe answers)."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _person(user_id: int, first_name: str, language_code: str = "es") -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }


def _private_chat(chat_id: int, first_name: str) -> dict[str, Any]:
    return {"id": chat_id, "first_name": first_name, "type": "private"}


def _message(
    message_id: int,
    chat_id: int,
    sender: dict[str, Any],
    first_name: str,
    date: int | None = None,
) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "from": sender,
        "chat": _private_chat(chat_id, first_name),
        "date": int(time.time()) if date is None else date,
    }


def _command_entities(text: str) -> list[dict[str, Any]]:
    match = re.match(r"^/[A-Za-z0-9_]{1,32}(?:@\w+)?", text)
    if match is None:
        return []
    return [{"offset": 0, "length": _utf16_len(match.group(0)), "type": "bot_command"}]


def text_update(
    update_id: int,
    chat_id: int,
    text: str,
    first_name: str = "Juan",
    user_id: int | None = None,
    *,
    message_id: int | None = None,
    language_code: str = "es",
) -> dict[str, Any]:
    """A private-chat text message update (commands get their `bot_command` entity)."""
    sender = _person(chat_id if user_id is None else user_id, first_name, language_code)
    message = _message(update_id if message_id is None else message_id, chat_id, sender, first_name)
    message["text"] = text
    entities = _command_entities(text)
    if entities:
        message["entities"] = entities
    return {"update_id": update_id, "message": message}


def start_update(
    update_id: int,
    chat_id: int,
    payload: str,
    first_name: str = "Juan",
    user_id: int | None = None,
    *,
    message_id: int | None = None,
) -> dict[str, Any]:
    """What a deep link `t.me/<bot>?start=<payload>` produces: `/start <payload>`."""
    text = f"/start {payload}" if payload else "/start"
    return text_update(update_id, chat_id, text, first_name, user_id, message_id=message_id)


def contact_update(
    update_id: int,
    chat_id: int,
    phone_number: str,
    user_id: int | None = None,
    *,
    first_name: str = "Juan",
    contact_user_id: int | None = None,
    message_id: int | None = None,
) -> dict[str, Any]:
    """A shared contact; by default the sender's own (contact.user_id == from.id).

    Telegram clients send the number in international form, often without the "+"
    (e.g. "5491123456789"); pass it the way the test needs.
    """
    sender_id = chat_id if user_id is None else user_id
    sender = _person(sender_id, first_name)
    message = _message(update_id if message_id is None else message_id, chat_id, sender, first_name)
    message["contact"] = {
        "phone_number": phone_number,
        "first_name": first_name,
        "user_id": sender_id if contact_user_id is None else contact_user_id,
    }
    return {"update_id": update_id, "message": message}


def callback_update(
    update_id: int,
    chat_id: int,
    data: str,
    message_id: int,
    message_text: str = "Elegí una opción",
    *,
    first_name: str = "Juan",
    user_id: int | None = None,
    query_id: str | None = None,
    reply_markup: dict[str, Any] | None = None,
    bot_id: int = BOT_ID,
) -> dict[str, Any]:
    """A tapped inline button under the bot's message `message_id` (which is from the bot)."""
    sender_id = chat_id if user_id is None else user_id
    bot = {"id": bot_id, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}
    message = _message(message_id, chat_id, bot, first_name)
    message["text"] = message_text
    if reply_markup is not None:
        message["reply_markup"] = reply_markup
    return {
        "update_id": update_id,
        "callback_query": {
            "id": query_id
            or str(4_000_000_000_000_000_000 + update_id * 1_000 + sender_id % 1_000),
            "from": _person(sender_id, first_name),
            "message": message,
            "chat_instance": str(-(8_000_000_000_000_000_000 + abs(chat_id))),
            "data": data,
        },
    }


@dataclass
class _ChatState:
    last_message_id: int = 0
    info: dict[str, Any] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)  # bot messages by id


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def telegram_error(
    status: int, description: str | None = None, retry_after: float | None = None
) -> FakeResponse:
    """An error answer in the Bot API's shape."""
    if description is None:
        description = _DEFAULT_DESCRIPTIONS.get(status)
        if status == 429:
            description = f"Too Many Requests: retry after {_int_if_whole(retry_after or 1)}"
        if description is None:
            try:
                description = HTTPStatus(status).phrase
            except ValueError:
                description = "Error"
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if status == 429:
        payload["parameters"] = {"retry_after": _int_if_whole(retry_after or 1)}
    return FakeResponse(status, payload)


def _int_if_whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


class FakeTelegram(FakeServer):
    """A fake Bot API: `Bot(token, base_url=f"{fake.url}/bot")` talks to it."""

    name = "telegram"
    default_fail_methods = SEND_METHODS

    def __init__(self, host: str = "127.0.0.1", port: int = 0, token: str | None = None) -> None:
        super().__init__(host, port)
        self.token = token  # None: any token is accepted
        self._chats: dict[int | str, _ChatState] = {}
        self._blocked: set[int | str] = set()
        self._updates: list[dict[str, Any]] = []
        self._webhook: dict[str, Any] | None = None
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getUpdates": self._get_updates,
            "setMyCommands": self._true,
            "deleteMyCommands": self._true,
            "setMyDescription": self._true,
            "setMyShortDescription": self._true,
            "setChatMenuButton": self._true,
            "logOut": self._true,
            "close": self._true,
        }
        self._by_lower = {name.lower(): name for name in self._methods}

    # --- test API ------------------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        times: int = 1,
        retry_after: float | None = None,
        *,
        description: str | None = None,
        methods: Iterable[str] | None = SEND_METHODS,
    ) -> None:
        """Answer the next `times` calls of `methods` (default sendMessage/editMessageText; None:
        every method) with `status` in Telegram's error format (429 carries `retry_after`)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._fail_next(status, times, retry_after, methods, description=description)

    def block_chat(self, chat_id: int | str) -> None:
        """From now on every call aimed at `chat_id` answers 403 "bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(_chat_key(chat_id))

    def unblock_chat(self, chat_id: int | str) -> None:
        """Undo `block_chat`."""
        with self._lock:
            self._blocked.discard(_chat_key(chat_id))

    def queue_update(self, update: dict[str, Any]) -> None:
        """Queue an update (a dict with `update_id`) for getUpdates."""
        if not isinstance(update.get("update_id"), int):
            raise ValueError("an update needs an integer update_id")
        with self._lock:
            self._note_update(update)
            self._updates.append(copy.deepcopy(update))
            self._updates.sort(key=lambda u: int(u["update_id"]))
            self._changed.notify_all()

    def pending_updates(self) -> list[dict[str, Any]]:
        """Queued updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return copy.deepcopy(self._updates)

    @property
    def webhook(self) -> dict[str, Any] | None:
        """The webhook set by the bot (`url`, `secret_token`, ...), None when unset."""
        with self._lock:
            return copy.deepcopy(self._webhook)

    def deliver_update(self, update: dict[str, Any], timeout: float = 10.0) -> int:
        """POST `update` to the registered webhook as Telegram would; returns the HTTP status."""
        hook = self.webhook
        if hook is None:
            raise RuntimeError("no webhook is set")
        with self._lock:
            self._note_update(update)
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        request = urllib.request.Request(
            hook["url"], data=json.dumps(update).encode("utf-8"), headers=headers, method="POST"
        )
        try:
            with _NO_PROXY_OPENER.open(request, timeout=timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as exc:
            with exc:
                exc.read()
            return int(exc.code)

    def sent(self, chat_id: int | str | None = None) -> list[Call]:
        """Delivered (HTTP 200) sendMessage calls, optionally to one chat."""
        key = None if chat_id is None else _chat_key(chat_id)
        return [
            call
            for call in self.calls("sendMessage")
            if call["status"] == 200
            and (key is None or _chat_key(call["params"].get("chat_id")) == key)
        ]

    def message(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """The bot's message as it stands now (`text`, `reply_markup`), None if unknown."""
        with self._lock:
            state = self._chats.get(_chat_key(chat_id))
            if state is None or message_id not in state.messages:
                return None
            return copy.deepcopy(state.messages[message_id])

    def control(self, name: str, payload: Any) -> FakeResponse | None:
        """Control endpoints: block_chat, unblock_chat, updates, deliver."""
        if name == "block_chat":
            self.block_chat(payload["chat_id"])
            return FakeResponse(200, {"ok": True})
        if name == "unblock_chat":
            self.unblock_chat(payload["chat_id"])
            return FakeResponse(200, {"ok": True})
        if name == "updates":
            for update in payload if isinstance(payload, list) else [payload]:
                self.queue_update(update)
            return FakeResponse(200, {"ok": True})
        if name == "deliver":
            return FakeResponse(200, {"status": self.deliver_update(payload)})
        return None

    def _reset_state(self) -> None:
        self._chats.clear()
        self._blocked.clear()
        self._updates.clear()
        self._webhook = None

    def _note_update(self, update: dict[str, Any]) -> None:
        """Learn chat names and message ids from an update the person 'sent' (under the lock)."""
        message = update.get("message") or update.get("edited_message")
        if not isinstance(message, dict):
            return
        chat = message.get("chat") or {}
        if "id" not in chat:
            return
        state = self._chats.setdefault(_chat_key(chat["id"]), _ChatState())
        state.info = {k: v for k, v in chat.items() if k != "id"}
        state.last_message_id = max(state.last_message_id, int(message.get("message_id", 0)))

    # --- HTTP ----------------------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> FakeResponse:
        """Serve `/bot<token>/<method>`."""
        match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?", request.path)
        if match is None:
            return telegram_error(404, "Not Found")
        token, asked = match.group("token"), match.group("method")
        method = self._by_lower.get(asked.lower(), asked)
        raw: dict[str, Any] = {}
        parse_error: str | None = None
        try:
            raw = request.fields()
        except (ValueError, UnicodeDecodeError) as exc:
            parse_error = str(exc)
        params = decode_params(raw)
        with self._lock:
            call = self._record(method, request, params, raw_params=raw, token=token)
        answer = self._answer(method, token, params, parse_error)
        with self._lock:
            return self._finish(call, answer)

    def _answer(
        self, method: str, token: str, params: dict[str, Any], parse_error: str | None
    ) -> FakeResponse:
        if self.token is not None and token != self.token:
            return telegram_error(401, "Unauthorized")
        handler = self._methods.get(method)
        if handler is None:
            return telegram_error(404, "Not Found")
        if parse_error is not None:
            return telegram_error(400, f"Bad Request: {parse_error}")
        with self._lock:
            rule = self._take_failure(method)
            blocked = "chat_id" in params and _chat_key(params["chat_id"]) in self._blocked
        if rule is not None:
            return telegram_error(rule.status, rule.description, rule.retry_after)
        if blocked:
            return telegram_error(403, BLOCKED_DESCRIPTION)
        try:
            result = handler(params)
        except _ApiError as exc:
            return telegram_error(exc.status, exc.description, exc.retry_after)
        if isinstance(result, FakeResponse):
            return result
        return FakeResponse(200, {"ok": True, "result": result})

    # --- methods -------------------------------------------------------------------------------

    def _true(self, params: dict[str, Any]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return bot_user(self._bot_id())

    def _bot_id(self) -> int:
        prefix = (self.token or TEST_TOKEN).split(":", 1)[0]
        return int(prefix) if prefix.isdigit() else BOT_ID

    def _chat_state(self, chat_id: Any) -> _ChatState:
        """The state of a chat, created on first use (under the lock)."""
        if chat_id is None or chat_id == "":
            raise _ApiError(400, "Bad Request: chat_id is empty")
        return self._chats.setdefault(_chat_key(chat_id), _ChatState())

    def _chat_object(self, chat_id: int | str, state: _ChatState) -> dict[str, Any]:
        if isinstance(chat_id, str):  # "@channelusername"
            return {"id": -1001000000001, "title": chat_id.lstrip("@"), "type": "channel"}
        if chat_id < 0:
            kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            return {"id": chat_id, "title": "Group", "type": kind, **state.info}
        return {"id": chat_id, **state.info, "type": "private"}

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(text) > MAX_TEXT_UTF16:
            raise _ApiError(400, "Bad Request: message is too long")
        markup = _check_markup(params.get("reply_markup"))
        with self._lock:
            state = self._chat_state(params.get("chat_id"))
            state.last_message_id += 1
            message_id = state.last_message_id
            inline = markup if markup is not None and "inline_keyboard" in markup else None
            now = int(time.time())
            state.messages[message_id] = {"text": text, "reply_markup": inline, "date": now}
            message: dict[str, Any] = {
                "message_id": message_id,
                "from": self._bot_sender(),
                "chat": self._chat_object(_chat_key(params["chat_id"]), state),
                "date": now,
                "text": text,
            }
            if inline is not None:
                message["reply_markup"] = inline
            return message

    def _bot_sender(self) -> dict[str, Any]:
        return {
            "id": self._bot_id(),
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    def _edited(self, params: dict[str, Any], text: str | None) -> Any:
        """Apply an edit of the text and/or inline keyboard; returns the Message (or True).

        Like Telegram, an edit that does not repeat the inline keyboard removes it.
        """
        markup = _check_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise _ApiError(400, "Bad Request: inline keyboard expected")
        if params.get("inline_message_id"):
            return True
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _ApiError(400, "Bad Request: message identifier is not specified")
        with self._lock:
            state = self._chat_state(params.get("chat_id"))
            stored = state.messages.get(message_id)
            if stored is None:
                raise _ApiError(400, "Bad Request: message to edit not found")
            new_text = stored["text"] if text is None else text
            if new_text == stored["text"] and markup == stored["reply_markup"]:
                raise _ApiError(400, NOT_MODIFIED)
            stored["text"], stored["reply_markup"] = new_text, markup
            now = int(time.time())
            message: dict[str, Any] = {
                "message_id": message_id,
                "from": self._bot_sender(),
                "chat": self._chat_object(_chat_key(params["chat_id"]), state),
                "date": stored["date"],
                "edit_date": now,
                "text": new_text,
            }
            if markup is not None:
                message["reply_markup"] = markup
            return message

    def _edit_message_text(self, params: dict[str, Any]) -> Any:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: text must be non-empty")
        if _utf16_len(text) > MAX_TEXT_UTF16:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return self._edited(params, text)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> Any:
        return self._edited(params, None)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        with self._lock:
            state = self._chat_state(params.get("chat_id"))
            message_id = params.get("message_id")
            if not isinstance(message_id, int) or state.messages.pop(message_id, None) is None:
                raise _ApiError(400, "Bad Request: message to delete not found")
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise _ApiError(400, "Bad Request: QUERY_ID_INVALID")
        return True

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self._chat_state(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise _ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _set_webhook(self, params: dict[str, Any]) -> FakeResponse:
        url = params.get("url") or ""
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(str(secret)):
            raise _ApiError(400, "Bad Request: secret token contains unallowed characters")
        with self._lock:
            if not url:
                self._webhook = None
                return FakeResponse(
                    200, {"ok": True, "result": True, "description": "Webhook was deleted"}
                )
            unchanged = self._webhook is not None and self._webhook["url"] == url
            self._webhook = {
                "url": url,
                "secret_token": secret,
                "allowed_updates": params.get("allowed_updates"),
                "max_connections": params.get("max_connections", 40),
                "drop_pending_updates": params.get("drop_pending_updates", False),
                "set_at": time.time(),
            }
            if params.get("drop_pending_updates"):
                self._updates.clear()
        description = "Webhook is already set" if unchanged else "Webhook was set"
        return FakeResponse(200, {"ok": True, "result": True, "description": description})

    def _delete_webhook(self, params: dict[str, Any]) -> FakeResponse:
        with self._lock:
            existed = self._webhook is not None
            self._webhook = None
            if params.get("drop_pending_updates"):
                self._updates.clear()
        description = "Webhook was deleted" if existed else "Webhook is already deleted"
        return FakeResponse(200, {"ok": True, "result": True, "description": description})

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            info: dict[str, Any] = {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self._webhook is not None:
                info["url"] = self._webhook["url"]
                info["max_connections"] = self._webhook["max_connections"]
                info["ip_address"] = "127.0.0.1"
                if self._webhook["allowed_updates"] is not None:
                    info["allowed_updates"] = self._webhook["allowed_updates"]
            return info

    def _get_updates(self, params: dict[str, Any]) -> Any:
        offset = params.get("offset")
        limit = params.get("limit", 100)
        limit = min(max(limit if isinstance(limit, int) else 100, 1), 100)
        timeout = params.get("timeout", 0)
        wait = min(float(timeout), 1.0) if isinstance(timeout, int | float) else 0.0
        deadline = time.monotonic() + wait
        with self._lock:
            if self._webhook is not None:
                return telegram_error(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            while True:
                if isinstance(offset, int) and offset < 0:
                    self._updates = self._updates[offset:]
                elif isinstance(offset, int):
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or self._stopping:
                    return copy.deepcopy(self._updates[:limit])
                left = deadline - time.monotonic()
                if left <= 0:
                    return []
                self._changed.wait(left)


def _chat_key(chat_id: Any) -> int | str:
    """Chat ids compare as ints whether they came as 123 or "123"."""
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    return int(text) if _INT.match(text) else text


def _check_markup(markup: Any) -> dict[str, Any] | None:
    """Validate a reply_markup the way Telegram does (the checks that bite in practice).

    An empty object or an inline keyboard without buttons means "no keyboard" (PTB sends
    `InlineKeyboardMarkup([])` as `{}`).
    """
    if markup is None:
        return None
    if isinstance(markup, str):  # was not valid JSON
        raise _ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise _ApiError(400, "Bad Request: object expected as reply markup")
    if not markup:
        return None
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _ApiError(
                400,
                'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be '
                "an Array of Arrays",
            )
        for row in rows:
            for button in row:
                _check_inline_button(button)
        return markup if any(rows) else None
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _ApiError(
                400,
                'Bad Request: field "keyboard" of the ReplyKeyboardMarkup should be '
                "an Array of Arrays",
            )
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    return None


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise _ApiError(
            400, "Bad Request: can't parse inline keyboard button: Text is not a String"
        )
    if not button["text"].strip():
        raise _ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
    kinds = set(button) - {"text", "style", "icon_custom_emoji_id"}
    if not kinds:
        raise _ApiError(
            400,
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
        raise _ApiError(
            400, f"Bad Request: inline keyboard button URL '{button['url']}' is invalid"
        )


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m tests.fakes.telegram_api --port N [--token T]`: serve until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=None, help="accept only this bot token")
    args = parser.parse_args(argv)
    run_standalone(FakeTelegram(args.host, args.port, token=args.token))


def spawn(port: int = 0, token: str | None = None) -> FakeProcess:
    """A `FakeProcess` running this fake (call `.start()` or use `with`)."""
    return FakeProcess("tests.fakes.telegram_api", port, ["--token", token] if token else [])


if __name__ == "__main__":
    main()
