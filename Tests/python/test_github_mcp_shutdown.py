"""SIGTERM after a load of tools/call that reuses ids: every request is answered, and github-mcp exits within its drain
bound (`drain_timeout` in `[swift_workers]`), event stream and all.

A client that numbers its requests from 1 on each of several connections sends ids already in flight. Before
WorkersMCP owned its dispatch, such a load left handlers waiting forever and the process ignored SIGTERM.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import anyio
import httpx2
import pytest

from github_mcp_harness import sign_in, start_server

DRAIN_SECONDS = 3
# How long after the drain bound the process may take to exit (cancelling, closing, flushing the store).
EXIT_MARGIN_SECONDS = 10


@pytest.mark.anyio
async def test_sigterm_after_reused_ids_exits_within_the_drain_bound(tmp_path: Path) -> None:
    server = start_server(tmp_path, response_mode="sse", host_settings=f"drain_timeout = {DRAIN_SECONDS}")
    try:
        token = await sign_in(server.mcp_url)
        headers = {
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
            "Authorization": f"Bearer {token}",
        }
        async with httpx2.AsyncClient(timeout=httpx2.Timeout(30), limits=httpx2.Limits(max_connections=64)) as http:
            initialize = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
            opened = await http.post(server.mcp_url, json=initialize, headers=headers)
            assert opened.status_code == 200, opened.text
            headers["MCP-Session-Id"] = opened.headers["mcp-session-id"]

            statuses: list[int] = []

            async def call(request_id: int) -> None:
                body = {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": "whoami", "arguments": {}}}
                answer = await http.post(server.mcp_url, json=body, headers=headers)
                statuses.append(answer.status_code)
                if answer.status_code == 400:
                    assert "already in flight" in answer.text, answer.text
                else:
                    assert answer.status_code == 200 and '"result"' in answer.text, answer.text

            # 8 ids, each sent 8 times at once: many requests find their id in flight.
            with anyio.fail_after(60):
                async with anyio.create_task_group() as group:
                    for round_ in range(4):
                        for request_id in [n % 8 + 1 for n in range(64)]:
                            group.start_soon(call, request_id)
            assert len(statuses) == 256 and statuses.count(200) >= 8, statuses

            # The session's standalone event stream stays open across the SIGTERM.
            async with http.stream("GET", server.mcp_url, headers={**headers, "Accept": "text/event-stream"}) as stream:
                assert stream.status_code == 200
                chunks = stream.aiter_bytes()
                await anext(chunks)
                signalled = time.monotonic()
                server.process.send_signal(signal.SIGTERM)
                with anyio.fail_after(DRAIN_SECONDS + EXIT_MARGIN_SECONDS):
                    async for _ in chunks:
                        pass
        status = await anyio.to_thread.run_sync(lambda: server.process.wait(timeout=DRAIN_SECONDS + EXIT_MARGIN_SECONDS))
        elapsed = time.monotonic() - signalled
        assert status == 0, f"exit status {status}:\n{server.output()}"
        assert elapsed < DRAIN_SECONDS + EXIT_MARGIN_SECONDS, elapsed
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()
