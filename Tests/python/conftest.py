"""Fixtures of the Python interoperability suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from github_mcp_harness import Server, start_server, stop_server


@pytest.fixture(params=["sse", "json"], ids=lambda mode: f"MCP_RESPONSE_MODE={mode}")
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    running = start_server(tmp_path, response_mode=request.param)
    yield running
    status = stop_server(running)
    assert status == 0, f"github-mcp exited with {status} after SIGINT:\n{running.output()}"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
