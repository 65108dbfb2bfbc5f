"""The MCP client side of the scale-out proof (`Tests/ExamplesTests/ScaleOutTests.swift` runs it).

Two `github-mcp` instances (MCP_SESSION_MODE=stateless, one PostgreSQL store, one `github-stand-in`) sit behind nginx
round-robin with no sticky sessions. This script is the official Python MCP SDK client pointed at nginx:

1. discovery, dynamic client registration, consent, PKCE and the token exchange (the SDK's OAuthClientProvider, with
   `Browser` as the person approving), then tools/list and tools/call of every tool, several times;
2. a refresh at the token endpoint, then a second session on the refreshed token (no second consent);
3. prints `KILL-ONE` and waits for a line on stdin (the test kills one instance with SIGKILL meanwhile), then a third
   session whose calls must all succeed through the surviving instance.

Exits 0 when every step did what a user relies on; any failure is an AssertionError with what was seen.

    python Tests/python/scale_out_client.py http://127.0.0.1:PORT/mcp
"""

from __future__ import annotations

import sys

import anyio
import httpx2
from mcp.client.auth import OAuthClientProvider
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthToken

from github_mcp_harness import CLIENT_REDIRECT_URI, DEVELOPMENT_LOGIN, Browser, InMemoryTokenStorage, oauth_client, text_of

CALLS_PER_SESSION = 6


def provider(url: str, storage: InMemoryTokenStorage, browser: Browser) -> OAuthClientProvider:
    return oauth_client(url, storage, browser, "scale-out-client")


async def session_calls(url: str, auth: OAuthClientProvider, every_tool: bool) -> None:
    """One MCP session through nginx: initialize, tools/list, and tool calls (all three tools when `every_tool`)."""
    async with (
        httpx2.AsyncClient(auth=auth, timeout=httpx2.Timeout(30, read=60)) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        initialized = await session.initialize()
        assert initialized.server_info.name == "github-mcp", initialized
        tools = await session.list_tools()
        assert [tool.name for tool in tools.tools] == ["whoami", "list_repositories", "get_issue", "comment_on_issue"], tools
        for _ in range(CALLS_PER_SESSION):
            whoami = await session.call_tool("whoami", {})
            assert not whoami.is_error and f"@{DEVELOPMENT_LOGIN}" in text_of(whoami), text_of(whoami)
        if every_tool:
            repositories = await session.call_tool("list_repositories", {})
            assert not repositories.is_error and f"{DEVELOPMENT_LOGIN}/hello-workers" in text_of(repositories)
            issue = await session.call_tool("get_issue", {"owner": DEVELOPMENT_LOGIN, "repo": "hello-workers", "number": 1})
            assert not issue.is_error and "Try the MCP tools" in text_of(issue), text_of(issue)


async def refresh(origin: str, storage: InMemoryTokenStorage) -> None:
    """grant_type=refresh_token at the token endpoint (through nginx), authenticated as the SDK registered."""
    assert storage.tokens is not None and storage.tokens.refresh_token, storage.tokens
    assert storage.client_info is not None and storage.client_info.client_id
    form = {"grant_type": "refresh_token", "refresh_token": storage.tokens.refresh_token}
    auth = None
    if storage.client_info.client_secret:
        auth = (storage.client_info.client_id, storage.client_info.client_secret)
    else:
        form["client_id"] = storage.client_info.client_id
    async with httpx2.AsyncClient(timeout=30) as http:
        response = await http.post(origin + "/token", data=form, auth=auth)
    assert response.status_code == 200, f"refresh answered {response.status_code}: {response.text}"
    refreshed = OAuthToken.model_validate(response.json())
    assert refreshed.access_token != storage.tokens.access_token
    assert refreshed.refresh_token and refreshed.refresh_token != storage.tokens.refresh_token
    await storage.set_tokens(refreshed)


async def main(url: str) -> None:
    origin = url.removesuffix("/mcp")
    storage = InMemoryTokenStorage()
    browser = Browser(CLIENT_REDIRECT_URI)
    async with browser.http:
        with anyio.fail_after(60):
            await session_calls(url, provider(url, storage, browser), every_tool=True)
        assert len(browser.pages) == 2, [page for page, _ in browser.pages]  # consent, then the stand-in's login
        print("PHASE first-session ok", flush=True)

        with anyio.fail_after(60):
            await refresh(origin, storage)
            await session_calls(url, provider(url, storage, browser), every_tool=False)
        assert len(browser.pages) == 2, "the second session needed no second consent"
        print("PHASE refresh-and-second-session ok", flush=True)

        print("KILL-ONE", flush=True)
        assert sys.stdin.readline().strip() == "killed"
        with anyio.fail_after(60):
            await session_calls(url, provider(url, storage, browser), every_tool=True)
        print("PHASE after-kill ok", flush=True)


if __name__ == "__main__":
    anyio.run(main, sys.argv[1])
