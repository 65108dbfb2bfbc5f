"""Signs in to an MCP server as a real client would, opens a session, and prints what wrk needs.

    python Benchmarks/mcp/open_session.py oauth  http://127.0.0.1:PORT/mcp   # github-mcp: the Python MCP SDK's OAuth
    python Benchmarks/mcp/open_session.py bearer http://127.0.0.1:PORT/mcp TOKEN   # a server with a static token

For `oauth`: discovery, dynamic registration, consent (the development identity), PKCE and the token exchange, with
the official Python MCP SDK's `OAuthClientProvider` and the test harness's browser (`sign_in`). Then `initialize` and
`notifications/initialized` over plain HTTP, and one `tools/call whoami` to check the session answers.
Prints two lines: the access token and the MCP-Session-Id.
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "python"))

from github_mcp_harness import sign_in  # noqa: E402

HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
INITIALIZE = {
    "jsonrpc": "2.0", "id": 0, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
}


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
    token = await sign_in(url) if mode == "oauth" else sys.argv[3]
    print(token)
    print(await open_session(url, token))


if __name__ == "__main__":
    anyio.run(main)
