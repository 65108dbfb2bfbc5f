"""Signs in to an MCP server as a real client would, opens a session, and prints what wrk needs.

    python Benchmarks/mcp/open_session.py oauth  http://127.0.0.1:PORT/mcp   # github-mcp: the Python MCP SDK's OAuth
    python Benchmarks/mcp/open_session.py bearer http://127.0.0.1:PORT/mcp TOKEN   # a server with a static token

For `oauth`: discovery, dynamic registration, consent (the development identity), PKCE and the token exchange, with
the official Python MCP SDK's `OAuthClientProvider` and the test harness's browser. Then `initialize` and
`notifications/initialized` over plain HTTP, and one `tools/call whoami` to check the session answers.
Prints two lines: the access token and the MCP-Session-Id.
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "python"))

from github_mcp_harness import CLIENT_REDIRECT_URI, Browser, InMemoryTokenStorage  # noqa: E402
from mcp.client.auth import OAuthClientProvider  # noqa: E402
from mcp.shared.auth import OAuthClientMetadata  # noqa: E402
from pydantic import AnyUrl  # noqa: E402

HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
INITIALIZE = {
    "jsonrpc": "2.0", "id": 0, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
}


async def oauth_token(url: str) -> str:
    storage = InMemoryTokenStorage()
    browser = Browser(CLIENT_REDIRECT_URI)
    auth = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(
            client_name="mcp-benchmark", redirect_uris=[AnyUrl(CLIENT_REDIRECT_URI)],
            grant_types=["authorization_code", "refresh_token"], response_types=["code"],
        ),
        storage=storage, redirect_handler=browser.open, callback_handler=browser.callback,
    )
    async with httpx2.AsyncClient(auth=auth, timeout=30) as http:
        # Any request to the endpoint runs the SDK's whole authorization flow first.
        await http.post(url, json=INITIALIZE, headers=HEADERS)
    assert storage.tokens is not None, "the OAuth flow did not yield a token"
    return storage.tokens.access_token


async def open_session(url: str, token: str) -> str:
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(timeout=30) as http:
        initialized = await http.post(url, json=INITIALIZE, headers=headers)
        assert initialized.status_code == 200, initialized.text
        session = initialized.headers["mcp-session-id"]
        headers["MCP-Session-Id"] = session
        headers["MCP-Protocol-Version"] = "2025-06-18"
        done = await http.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
        assert done.status_code == 202, done.text
        call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami", "arguments": {}}}
        answer = await http.post(url, json=call, headers=headers)
        assert answer.status_code == 200 and "result" in answer.text, answer.text
        return session


async def main() -> None:
    mode, url = sys.argv[1], sys.argv[2]
    token = await oauth_token(url) if mode == "oauth" else sys.argv[3]
    print(token)
    print(await open_session(url, token))


if __name__ == "__main__":
    anyio.run(main)
