"""A second MCP server on `github-mcp`'s sign-in, driven by the official Python MCP SDK.

`notes-mcp` (the `WorkersOAuthResourceServer` example) trusts `github-mcp` as its authorization server; `github-mcp`
lists it in `RESOURCE_SERVERS`, so tokens for it are RFC 9068 JWTs. The SDK connects to `notes-mcp`, follows its 401
to its own protected resource metadata, discovers `github-mcp` there, registers, signs in through the consent page
and the development identity, and calls the notes tools with a JWT that `notes-mcp` checks offline against
`github-mcp`'s JWK Set. The same token is refused by `github-mcp`'s own `/mcp` (it is bound to the notes server).
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from github_mcp_harness import (
    CLIENT_REDIRECT_URI, CONVERSATION_TIMEOUT, STARTUP_TIMEOUT, Browser, InMemoryTokenStorage, github_mcp_binary,
    oauth_client, start_server, stop_server, text_of,
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_notes(directory: Path, authorization_server: str, port: int) -> subprocess.Popen[bytes]:
    """`notes-mcp serve` (beside the github-mcp binary) on `port`, trusting `authorization_server`."""
    binary = github_mcp_binary().parent / "notes-mcp"
    if not binary.exists():
        pytest.fail(f"{binary} does not exist: run `swift build` first")
    directory.mkdir()
    (directory / "wrangler.toml").write_text(f"""\
name = "notes-mcp"
[[kv_namespaces]]
binding = "NOTES"
id = "notes"
[vars]
AUTHORIZATION_SERVER = "{authorization_server}"
RESOURCE_URI = "http://127.0.0.1:{port}/mcp"
""")
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(binary), "serve", "--config", str(directory / "wrangler.toml"), "--persist-to", str(directory / "state"),
             "--ip", "127.0.0.1", "--port", str(port)],
            cwd=directory, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if re.search(r"ready on http://127\.0\.0\.1:\d+", log.read_text(errors="replace")):
            return process
        if process.poll() is not None:
            pytest.fail(f"notes-mcp exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"notes-mcp did not start within {STARTUP_TIMEOUT}s:\n{log.read_text(errors='replace')}")


def claims_of(jwt: str) -> dict[str, object]:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.mark.anyio
async def test_python_sdk_signs_in_at_github_mcp_and_uses_notes_mcp(tmp_path: Path) -> None:
    notes_port = free_port()
    notes_url = f"http://127.0.0.1:{notes_port}/mcp"
    (tmp_path / "github").mkdir()
    github = start_server(
        tmp_path / "github", "json",
        variables={"RESOURCE_SERVERS": json.dumps([{"uri": notes_url, "scopes": ["notes:read", "notes:write"], "name": "Notes"}])},
        secrets={"SIGNING_KEY_ENCRYPTION_KEY": os.urandom(32).hex()},
    )
    notes = start_notes(tmp_path / "notes", github.origin, notes_port)
    try:
        storage = InMemoryTokenStorage()
        browser = Browser(CLIENT_REDIRECT_URI)
        auth = oauth_client(notes_url, storage, browser, "python-notes")
        with anyio.fail_after(CONVERSATION_TIMEOUT):
            async with (
                browser.http,
                httpx2.AsyncClient(auth=auth, timeout=httpx2.Timeout(30, read=60)) as http,
                streamable_http_client(notes_url, http_client=http) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                # Discovery led from notes-mcp to github-mcp: the consent page and the GitHub stand-in signed in.
                assert [url.split("?")[0] for url, _ in browser.pages][0] == f"{github.origin}/authorize"
                assert storage.tokens is not None
                claims = claims_of(storage.tokens.access_token)
                assert claims["iss"] == github.origin and claims["aud"] == notes_url
                assert "props" not in claims

                tools = await session.list_tools()
                assert {tool.name for tool in tools.tools} == {"whoami", "add_note", "list_notes"}
                whoami = json.loads(text_of(await session.call_tool("whoami", {})))
                assert whoami["sub"] == claims["sub"]
                added = await session.call_tool("add_note", {"text": "signed in at github-mcp"})
                assert not added.is_error, text_of(added)
                listed = await session.call_tool("list_notes", {})
                assert "signed in at github-mcp" in text_of(listed)

        # The notes token is bound to notes-mcp: github-mcp's own resource refuses it.
        async with httpx2.AsyncClient(timeout=30) as plain:
            refused = await plain.post(github.mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers={
                "Accept": "application/json, text/event-stream", "Authorization": f"Bearer {storage.tokens.access_token}"})
            assert refused.status_code == 401
    finally:
        notes.send_signal(signal.SIGTERM)
        notes.wait(timeout=15)
        assert stop_server(github) == 0
