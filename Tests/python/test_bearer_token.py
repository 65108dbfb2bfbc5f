"""The seed's first approach through the official Python MCP SDK: the real `bearer-token` binary serves an MCP server
at /mcp behind one static token, and the client reaches it with a static `Authorization: Bearer` header, as Claude
Desktop's `headers` entry sends it (docs/protection.md)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from github_mcp_harness import CONVERSATION_TIMEOUT, STARTUP_TIMEOUT, github_mcp_binary


@dataclass
class BearerServer:
    process: subprocess.Popen[bytes]
    origin: str
    token: str
    log: Path


@pytest.fixture
def bearer_server(tmp_path: Path) -> Iterator[BearerServer]:
    """`bearer-token serve` (next to github-mcp) on a free port, its token stored in .dev.vars as `secret put` would."""
    binary = github_mcp_binary().parent / "bearer-token"
    if not binary.exists():
        pytest.fail(f"{binary} does not exist: run `swift build` first")
    (tmp_path / "wrangler.toml").write_text('name = "bearer-token"\n')
    token = secrets.token_urlsafe(32)
    fd = os.open(tmp_path / ".dev.vars", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(f"MCP_SECRET_TOKEN={token}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_SECRET_TOKEN")}
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(binary), "serve", "--ip", "127.0.0.1", "--port", "0"],
            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not (match := re.search(r"ready on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"bearer-token did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    running = BearerServer(process=process, origin=match.group(1), token=token, log=log)
    yield running
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0, log.read_text(errors="replace")


@pytest.mark.anyio
async def test_static_header_reaches_the_tools(bearer_server: BearerServer) -> None:
    headers = {"Authorization": f"Bearer {bearer_server.token}"}
    with anyio.fail_after(CONVERSATION_TIMEOUT):
        async with (
            httpx2.AsyncClient(headers=headers, timeout=30) as http,
            streamable_http_client(bearer_server.origin + "/mcp", http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            initialized = await session.initialize()
            assert initialized.server_info.name == "bearer-token"
            tools = await session.list_tools()
            assert sorted(tool.name for tool in tools.tools) == ["echo", "whoami"]

            who = await session.call_tool("whoami", {})
            assert not who.is_error
            assert '"token":"MCP_SECRET_TOKEN"' in who.content[0].text.replace(" ", "")
            echoed = await session.call_tool("echo", {"text": "hello from python"})
            assert echoed.content[0].text == "hello from python"
            assert bearer_server.token not in who.content[0].text


@pytest.mark.anyio
async def test_without_the_header_401_with_a_bearer_challenge(bearer_server: BearerServer) -> None:
    initialize = {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    accept = {"Accept": "application/json, text/event-stream"}
    async with httpx2.AsyncClient(timeout=30) as http:
        for headers in [accept, {**accept, "Authorization": "Bearer wrong"}]:
            response = await http.post(bearer_server.origin + "/mcp", json=initialize, headers=headers)
            assert response.status_code == 401
            assert response.headers["www-authenticate"].startswith("Bearer ")
            assert "mcp-session-id" not in response.headers
