"""What the Python interoperability tests share: starting and stopping the real `github-mcp` binary, the person at
the browser (`Browser`), token storage for the SDK, and the MCP conversation every flow ends in.

Run after `swift build --product github-mcp` (or set GITHUB_MCP_BINARY to the executable):

    python -m pytest -q Tests/python
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx2
import pytest
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider, TokenStorage
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from pydantic import AnyUrl

REPO = Path(__file__).resolve().parents[2]
DEVELOPMENT_LOGIN = "dev-user"
# The MCP client's own redirect URI: a loopback listener a desktop client would run. Nothing listens there; the
# browser stand-in stops at the redirect and reads the code from it, as a native client's listener would.
CLIENT_REDIRECT_URI = "http://127.0.0.1:33418/oauth/callback"
STARTUP_TIMEOUT = 60.0
# The whole client conversation takes well under a second; a step that hangs (say, a response that never starts)
# fails the test instead of waiting out the client's own timeouts.
CONVERSATION_TIMEOUT = 30.0


# MARK: - The server


@dataclass
class Server:
    """A running `github-mcp` process."""

    process: subprocess.Popen[bytes]
    origin: str
    directory: Path
    log: Path

    @property
    def mcp_url(self) -> str:
        return self.origin + "/mcp"

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def github_mcp_binary() -> Path:
    """The `github-mcp` executable `swift build` made: GITHUB_MCP_BINARY, `.build/debug`, or `swift build --show-bin-path`."""
    if configured := os.environ.get("GITHUB_MCP_BINARY"):
        return Path(configured)
    candidate = REPO / ".build" / "debug" / "github-mcp"
    if candidate.exists():
        return candidate
    bin_path = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    return Path(bin_path) / "github-mcp"


MINIMAL_WRANGLER_TOML = """\
name = "github-mcp"
compatibility_date = "2025-04-01"

[[kv_namespaces]]
binding = "OAUTH_KV"
id = "github-mcp-oauth"
"""


def write_config(directory: Path, host_settings: str = "", secrets: dict[str, str] | None = None) -> Path:
    """The repository's `wrangler.toml` copied into `directory` (a minimal one if the checkout has none), with
    `host_settings` added to its `[swift_workers]` table, and a `.dev.vars` beside it, mode 0600, holding the cookie
    key (and `secrets`) as `secret put` would."""
    config = directory / "wrangler.toml"
    source = REPO / "wrangler.toml"
    text = source.read_text() if source.exists() else MINIMAL_WRANGLER_TOML
    if host_settings:
        if "\n[swift_workers]\n" in text:
            text = text.replace("\n[swift_workers]\n", f"\n[swift_workers]\n{host_settings}\n", 1)
        else:
            text += f"\n[swift_workers]\n{host_settings}\n"
    config.write_text(text)
    dev_vars = directory / ".dev.vars"
    fd = os.open(dev_vars, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(f"COOKIE_ENCRYPTION_KEY={os.urandom(32).hex()}\n")
        for name, value in (secrets or {}).items():
            file.write(f"{name}={value}\n")
    return config


def start_server(
    directory: Path, response_mode: str, host_settings: str = "", variables: dict[str, str] | None = None,
    secrets: dict[str, str] | None = None,
) -> Server:
    """Starts `github-mcp serve` on a free loopback port (port 0) with its state under `directory`, `variables` as
    `--var` and `secrets` in its `.dev.vars`, and waits until it reports the port and accepts connections."""
    binary = github_mcp_binary()
    if not binary.exists():
        pytest.fail(f"{binary} does not exist: run `swift build --product github-mcp` first")
    config = write_config(directory, host_settings, secrets)
    # No GitHub credentials anywhere, so the example uses its built-in development identity.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "COOKIE_ENCRYPTION_KEY"))}
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(binary), "serve",
                "--config", str(config),
                "--persist-to", str(directory / "state"),
                "--ip", "127.0.0.1",
                "--port", "0",
                "--var", f"MCP_RESPONSE_MODE:{response_mode}",
                *[argument for name, value in (variables or {}).items() for argument in ("--var", f"{name}:{value}")],
            ],
            cwd=directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    ready = re.compile(r"ready on (http://127\.0\.0\.1:(\d+))")
    while time.monotonic() < deadline:
        if match := ready.search(log.read_text(errors="replace")):
            origin, port = match.group(1), int(match.group(2))
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                pass
            return Server(process=process, origin=origin, directory=directory, log=log)
        if process.poll() is not None:
            pytest.fail(f"github-mcp exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"github-mcp did not report a port within {STARTUP_TIMEOUT}s:\n{log.read_text(errors='replace')}")


def stop_server(server: Server) -> int:
    """SIGINT, as Ctrl-C would; the exit status."""
    server.process.send_signal(signal.SIGINT)
    try:
        return server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
        pytest.fail(f"github-mcp did not stop within 15s of SIGINT:\n{server.output()}")


# MARK: - The client side


class InMemoryTokenStorage(TokenStorage):
    """The SDK's TokenStorage, kept in memory for one test."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms of a page as a browser would submit them: hidden and text inputs, checked radios, submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get").lower()))
        elif not self.forms or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("hidden", "text") or (kind in ("radio", "checkbox") and "checked" in a):
                self.forms[-1].fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self.forms[-1].buttons.append((a["name"], a.get("value", "")))


class Browser:
    """The person at the browser: follows the authorization URL, presses Approve on the consent page and Authorize on
    the development identity's login page, and follows redirects until one reaches the client's redirect URI."""

    APPROVE = ("approve", "authorize")

    def __init__(self, redirect_uri: str) -> None:
        self.redirect_uri = redirect_uri
        self.http = httpx2.AsyncClient(follow_redirects=False, timeout=30)
        self.pages: list[tuple[str, str]] = []
        self.result: AuthorizationCodeResult | None = None

    async def open(self, authorization_url: str) -> None:
        """The SDK's redirect_handler."""
        response = await self.http.get(authorization_url)
        for _ in range(12):
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["Location"])
                if location.startswith(self.redirect_uri):
                    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
                    assert "error" not in query, f"authorization failed: {query}"
                    self.result = AuthorizationCodeResult(code=query["code"], state=query.get("state"), iss=query.get("iss"))
                    return
                response = await self.http.get(location)
            elif response.status_code == 200 and response.headers.get("content-type", "").startswith("text/html"):
                self.pages.append((str(response.url), response.text))
                response = await self.approve(response)
            else:
                raise AssertionError(f"unexpected {response.status_code} at {response.url}: {response.text[:500]}")
        raise AssertionError("too many steps before reaching the client's redirect URI")

    async def approve(self, page: httpx2.Response) -> httpx2.Response:
        parser = FormParser()
        parser.feed(page.text)
        for form in parser.forms:
            button = next((b for b in form.buttons if b[1] in self.APPROVE), None)
            if button is None:
                continue
            assert form.method == "post", f"the approval form at {page.url} should POST"
            return await self.http.post(urljoin(str(page.url), form.action), data=dict([*form.fields, button]))
        raise AssertionError(f"no Approve/Authorize button on {page.url}:\n{page.text[:1000]}")

    async def callback(self) -> AuthorizationCodeResult:
        """The SDK's callback_handler."""
        assert self.result is not None, "the browser never reached the redirect URI"
        return self.result


def text_of(result: object) -> str:
    return "\n".join(getattr(item, "text", "") for item in getattr(result, "content", []))


# MARK: - The conversation


async def converse(
    server: Server, auth: OAuthClientProvider, browser: Browser, storage: InMemoryTokenStorage, client_name: str = "python-mcp-interop"
) -> None:
    """initialize (which sets off the whole OAuth flow), tools/list, tools/call whoami and list_repositories."""
    async with (
        browser.http,
        httpx2.AsyncClient(auth=auth, timeout=httpx2.Timeout(30, read=60)) as http,
        streamable_http_client(server.mcp_url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        initialized = await session.initialize()
        assert initialized.server_info.name == "github-mcp"

        # The OAuth flow happened, driven by the SDK: it registered, and the browser saw both pages.
        assert storage.client_info is not None and storage.client_info.client_id
        assert storage.tokens is not None and storage.tokens.access_token
        assert storage.tokens.token_type.lower() == "bearer"
        assert [urlparse(url).path for url, _ in browser.pages] == ["/authorize", "/__dev/github/login/oauth/authorize"]
        assert client_name in browser.pages[0][1]
        assert "Development identity" in browser.pages[1][1]
        assert browser.result is not None and browser.result.iss == server.origin

        tools = await session.list_tools()
        assert [tool.name for tool in tools.tools] == ["whoami", "list_repositories", "get_issue", "comment_on_issue"]

        whoami = await session.call_tool("whoami", {})
        assert not whoami.is_error
        assert f"@{DEVELOPMENT_LOGIN}" in text_of(whoami)

        repositories = await session.call_tool("list_repositories", {})
        assert not repositories.is_error
        assert f"{DEVELOPMENT_LOGIN}/hello-workers" in text_of(repositories)


def oauth_client(
    mcp_url: str, storage: InMemoryTokenStorage, browser: Browser, client_name: str,
    token_endpoint_auth_method: str | None = None,
) -> OAuthClientProvider:
    """The Python MCP SDK's OAuthClientProvider for `mcp_url`, registering dynamically as `client_name` with the
    loopback redirect URI, and `browser` as the person who approves."""
    return OAuthClientProvider(
        server_url=mcp_url,
        client_metadata=OAuthClientMetadata(
            client_name=client_name,
            redirect_uris=[AnyUrl(CLIENT_REDIRECT_URI)],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method=token_endpoint_auth_method,
        ),
        storage=storage,
        redirect_handler=browser.open,
        callback_handler=browser.callback,
    )


async def sign_in(mcp_url: str, client_name: str = "signed-in-client") -> str:
    """An access token for `mcp_url`, got as an MCP client gets one: the SDK's OAuthClientProvider runs discovery,
    dynamic registration (as `client_name`), consent (the development identity) and PKCE on the first request."""
    storage = InMemoryTokenStorage()
    auth = oauth_client(mcp_url, storage, Browser(CLIENT_REDIRECT_URI), client_name)
    initialize = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "sign-in", "version": "1"}}}
    async with httpx2.AsyncClient(auth=auth, timeout=30) as http:
        await http.post(mcp_url, json=initialize, headers={"Accept": "application/json, text/event-stream"})
    assert storage.tokens is not None, "the OAuth flow did not yield a token"
    return storage.tokens.access_token
