"""The same MCP tool on the official Python MCP SDK's own server (mcp 2.x `MCPServer`), for run-mcp.sh's
side-by-side row.

Streamable HTTP, stateful sessions, JSON responses, behind the SDK's bearer-token auth (a `TokenVerifier` that
accepts one static token): the SDK's resource-server path, so each call pays a token check as github-mcp's does.
`whoami` answers from a constant, without an outbound call, like github-mcp's answers from the grant's props.

    python Benchmarks/mcp/python_sdk_server.py PORT TOKEN
"""

from __future__ import annotations

import sys

import anyio
from mcp.server.auth.provider import AccessToken, TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from pydantic import AnyHttpUrl

PORT, TOKEN = int(sys.argv[1]), sys.argv[2]


class StaticToken(TokenVerifier):
    async def verify_token(self, token: str) -> AccessToken | None:
        if token != TOKEN:
            return None
        return AccessToken(token=token, client_id="bench", scopes=[], expires_at=None)


server = MCPServer(
    "python-sdk-bench",
    log_level="WARNING",
    token_verifier=StaticToken(),
    auth=AuthSettings(
        issuer_url=AnyHttpUrl(f"http://127.0.0.1:{PORT}"),
        resource_server_url=AnyHttpUrl(f"http://127.0.0.1:{PORT}/mcp"),
        validate_token_resource=False,  # the verifier accepts exactly one token, for this server
    ),
)


@server.tool()
def whoami() -> str:
    """The signed-in identity."""
    return "Signed in as bench"


if __name__ == "__main__":
    anyio.run(lambda: server.run_streamable_http_async(host="127.0.0.1", port=PORT, json_response=True))
