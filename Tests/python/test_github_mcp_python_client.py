"""`github-mcp` driven by a client this project did not write: the official Python MCP SDK (`mcp` on PyPI).

The SDK's own OAuth provider (`mcp.client.auth.OAuthClientProvider`) does everything a real MCP client does against
the real `github-mcp` binary: discovery (401 -> protected resource metadata -> authorization server metadata), dynamic
client registration, authorization code + PKCE, token exchange, then MCP over Streamable HTTP. The only stand-in is the
person at the browser: `Browser` follows the authorization URL with plain HTTP, approves the consent page and the
built-in development identity's login page, and hands the redirect's `code`, `state` and `iss` back to the SDK.

Run after `swift build --product github-mcp` (or set GITHUB_MCP_BINARY to the executable):

    python -m pytest -q Tests/python
"""

from __future__ import annotations

import re

import anyio
import httpx2
import pytest

from github_mcp_harness import CLIENT_REDIRECT_URI, CONVERSATION_TIMEOUT, Browser, InMemoryTokenStorage, Server, converse, oauth_client


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("requested_auth_method", "expected_auth_method"),
    [(None, "client_secret_basic"), ("client_secret_post", "client_secret_post"), ("none", "none")],
    ids=["auth=server-default", "auth=client_secret_post", "auth=none"],
)
async def test_python_sdk_connects_through_oauth_and_calls_tools(
    server: Server, requested_auth_method: str | None, expected_auth_method: str
) -> None:
    storage = InMemoryTokenStorage()
    browser = Browser(CLIENT_REDIRECT_URI)
    auth = oauth_client(server.mcp_url, storage, browser, "python-mcp-interop", requested_auth_method)
    with anyio.fail_after(CONVERSATION_TIMEOUT):
        await converse(server, auth, browser, storage)

    # The token endpoint authenticated the client the way it registered (Basic is what the server assigns by default).
    assert storage.client_info is not None and storage.tokens is not None
    assert storage.client_info.token_endpoint_auth_method == expected_auth_method
    assert (storage.client_info.client_secret is None) == (expected_auth_method == "none")

    # The token the SDK holds is the server's own: it opens a session without the SDK too.
    async with httpx2.AsyncClient(timeout=30) as plain:
        initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
        accepted = await plain.post(server.mcp_url, json=initialize, headers={
            "Accept": "application/json, text/event-stream",
            "Authorization": f"Bearer {storage.tokens.access_token}",
        })
        assert accepted.status_code == 200
        assert accepted.headers.get("MCP-Session-Id")


@pytest.mark.anyio
@pytest.mark.parametrize("server", ["json"], indirect=True, ids=["MCP_RESPONSE_MODE=json"])
async def test_made_up_bearer_token_gets_401_with_resource_metadata(server: Server) -> None:
    async with httpx2.AsyncClient(timeout=30) as http:
        response = await http.post(
            server.mcp_url,
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={
                "Authorization": "Bearer not-a-token-this-server-issued",
                "Accept": "application/json, text/event-stream",
            },
        )
        assert response.status_code == 401
        challenge = response.headers.get("WWW-Authenticate", "")
        assert challenge.lower().startswith("bearer")
        match = re.search(r'resource_metadata="([^"]+)"', challenge)
        assert match, challenge
        assert 'error="invalid_token"' in challenge or "error=invalid_token" in challenge, challenge

        # The advertised document is reachable and names this server.
        metadata = await http.get(match.group(1))
        assert metadata.status_code == 200
        assert metadata.json()["resource"] == server.mcp_url
        assert metadata.json()["authorization_servers"] == [server.origin]
