"""Step-up authorization (MCP SEP-835) with the official Python MCP SDK against the real `github-mcp` binary.

The SDK signs in asking for what the server's 401 challenge names (`mcp`). `comment_on_issue` needs `mcp:write`: the
server answers the call `403` with `WWW-Authenticate: Bearer error="insufficient_scope", scope="mcp:write", ...`, the
SDK re-authorizes for the larger scope (the browser sees the consent and GitHub pages again) and retries the call in
the same MCP session, which now succeeds. The new grant holds both scopes (scope accumulation), and the replaced
grant's token no longer works.
"""

from __future__ import annotations

import anyio
import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from github_mcp_harness import (
    CLIENT_REDIRECT_URI, CONVERSATION_TIMEOUT, DEVELOPMENT_LOGIN, Browser, InMemoryTokenStorage, Server, oauth_client,
    text_of,
)

COMMENT = {"owner": DEVELOPMENT_LOGIN, "repo": "hello-workers", "number": 1, "body": "Posted after a step-up"}


@pytest.mark.anyio
async def test_python_sdk_steps_up_to_mcp_write_for_comment_on_issue(server: Server) -> None:
    storage = InMemoryTokenStorage()
    browser = Browser(CLIENT_REDIRECT_URI)
    auth = oauth_client(server.mcp_url, storage, browser, "python-step-up")
    with anyio.fail_after(CONVERSATION_TIMEOUT * 2):
        async with (
            browser.http,
            httpx2.AsyncClient(auth=auth, timeout=httpx2.Timeout(30, read=60)) as http,
            streamable_http_client(server.mcp_url, http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            assert storage.tokens is not None
            assert storage.tokens.scope == "mcp", "the first sign-in asks for what the 401 challenge names"
            first_token = storage.tokens.access_token
            signed_in_pages = len(browser.pages)

            # Without the SDK: the same call with the first token is refused with the step-up challenge.
            async with httpx2.AsyncClient(timeout=30) as plain:
                refused = await plain.post(server.mcp_url, json={
                    "jsonrpc": "2.0", "id": 1, "method": "tools/call",
                    "params": {"name": "comment_on_issue", "arguments": COMMENT},
                }, headers={"Accept": "application/json, text/event-stream", "Authorization": f"Bearer {first_token}"})
                assert refused.status_code == 403
                challenge = refused.headers["WWW-Authenticate"]
                assert 'error="insufficient_scope"' in challenge and 'scope="mcp:write"' in challenge, challenge
                assert f'resource_metadata="{server.origin}/.well-known/oauth-protected-resource/mcp"' in challenge

            commented = await session.call_tool("comment_on_issue", COMMENT)
            assert not commented.is_error, text_of(commented)
            assert f"Commented on {DEVELOPMENT_LOGIN}/hello-workers#1" in text_of(commented)

            # The SDK re-authorized for the larger scope, through consent and GitHub again.
            assert len(browser.pages) > signed_in_pages
            assert set(storage.tokens.scope.split()) == {"mcp", "mcp:write"}
            assert storage.tokens.access_token != first_token

            # The session carried on; the read tools still work with the new token.
            whoami = await session.call_tool("whoami", {})
            assert f"@{DEVELOPMENT_LOGIN}" in text_of(whoami)

        # The replaced grant was revoked with its tokens.
        async with httpx2.AsyncClient(timeout=30) as plain:
            stale = await plain.post(server.mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers={
                "Accept": "application/json, text/event-stream", "Authorization": f"Bearer {first_token}"})
            assert stale.status_code == 401
