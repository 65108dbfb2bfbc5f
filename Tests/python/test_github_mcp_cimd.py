"""`github-mcp` and the official Python MCP SDK with a Client ID Metadata Document instead of registration.

The SDK is given `client_metadata_url` (its CIMD support, the MCP 2026-07-28 way for a client to identify itself).
The server advertises `client_id_metadata_document_supported`, so the SDK skips dynamic registration and uses the URL
as its client id; the server fetches the document over real HTTPS from a server this test runs, shows its consent
page for it, and completes the flow. Nothing is registered: the store never holds a `client:` record.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio
import pytest
from mcp.client.auth import OAuthClientProvider
from mcp.shared.auth import OAuthClientMetadata
from pydantic import AnyUrl

from cimd_document_server import HOST, DocumentServer
from github_mcp_harness import CLIENT_REDIRECT_URI, CONVERSATION_TIMEOUT, Browser, InMemoryTokenStorage, converse, start_server, stop_server

CLIENT_NAME = "python-mcp-cimd"


def stored_keys(state: Path) -> list[str]:
    """Every key in the server's SQLite KV files."""
    keys: list[str] = []
    for database in state.rglob("*.sqlite"):
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            keys += [bytes(row[0]).decode() for row in connection.execute("SELECT key FROM kv")]
    return keys


@pytest.mark.anyio
async def test_python_sdk_connects_with_a_client_id_metadata_document(tmp_path: Path) -> None:
    documents = DocumentServer(tmp_path / "documents", "/mcp/client.json", {})
    documents.document = {
        "client_id": documents.url,
        "client_name": CLIENT_NAME,
        "redirect_uris": [CLIENT_REDIRECT_URI],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "application_type": "native",
    }
    server_directory = tmp_path / "server"
    server_directory.mkdir()
    server = start_server(
        server_directory,
        response_mode="json",
        host_settings=f'outbound_ca_file = "{documents.ca_file}"\noutbound_connect_to = ["{documents.connect_to}"]',
    )
    try:
        storage = InMemoryTokenStorage()
        browser = Browser(CLIENT_REDIRECT_URI)
        auth = OAuthClientProvider(
            server_url=server.mcp_url,
            client_metadata=OAuthClientMetadata(
                client_name=CLIENT_NAME,
                redirect_uris=[AnyUrl(CLIENT_REDIRECT_URI)],
                grant_types=["authorization_code", "refresh_token"],
                response_types=["code"],
                token_endpoint_auth_method="none",
            ),
            storage=storage,
            redirect_handler=browser.open,
            callback_handler=browser.callback,
            client_metadata_url=documents.url,
        )
        with anyio.fail_after(CONVERSATION_TIMEOUT):
            await converse(server, auth, browser, storage, client_name=CLIENT_NAME)

        # The SDK used the document URL as its client id, without registering, and holds no secret.
        assert storage.client_info is not None
        assert storage.client_info.client_id == documents.url
        assert storage.client_info.client_secret is None
        # The server fetched the document (once: it allows caching for 5 minutes) and said whose it is.
        assert documents.requests == ["/mcp/client.json"]
        consent = browser.pages[0][1]
        assert f"<strong>{HOST}</strong> says it is <strong>{CLIENT_NAME}</strong>" in consent
        assert "loopback address" in consent
    finally:
        status = stop_server(server)
        documents.stop()
    assert status == 0, f"github-mcp exited with {status} after SIGINT:\n{server.output()}"

    keys = stored_keys(server_directory / "state")
    assert any(key.startswith("grant:") for key in keys), keys
    assert not any(key.startswith("client:") for key in keys), keys
    assert sum(key.startswith("cimd:") for key in keys) == 1, keys
