"""github-mcp end to end with Python's `mcp` package: a client nobody here wrote.

The client (mcp.client.auth.OAuthClientProvider) discovers the authorization server from the 401, registers itself,
runs the authorization code flow with PKCE and calls the tools over Streamable HTTP. This file plays only the user
in the browser: it approves the consent page and the built-in GitHub stand-in's login page.

Needs the `github-mcp` executable built (`swift build`); `GITHUB_MCP_BINARY` overrides its path.
"""

import asyncio
import html
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import httpx2
import pytest
from mcp.client.auth import OAuthClientProvider
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

ROOT = Path(__file__).resolve().parents[2]
REDIRECT_URI = "http://127.0.0.1:9/python-callback"


def binary() -> Path:
    if os.environ.get("GITHUB_MCP_BINARY"):
        return Path(os.environ["GITHUB_MCP_BINARY"])
    bin_dir = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    return Path(bin_dir) / "github-mcp"


@pytest.fixture(scope="module", params=["sse", "json"])
def server(request):
    """github-mcp with no GitHub credentials (development identity), on a free port, in a scratch directory."""
    workdir = Path(tempfile.mkdtemp(prefix="github-mcp-py-"))
    (workdir / "wrangler.toml").write_text(
        'name = "github-mcp"\n'
        '[[kv_namespaces]]\nbinding = "OAUTH_KV"\nbackend = "sqlite"\n'
        f'[vars]\nMCP_RESPONSE_MODE = "{request.param}"\n'
        "[dev]\nport = 0\n"
    )
    process = subprocess.Popen(
        [str(binary())], cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    origin, banner, deadline = None, [], time.time() + 60
    while origin is None and time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        banner.append(line)
        match = re.search(r"ready on (http://\S+)", line)
        if match:
            origin = match.group(1).replace("localhost", "127.0.0.1")
    if origin is None:
        process.kill()
        pytest.fail("github-mcp did not start:\n" + "".join(banner))
    yield {"origin": origin, "banner": "".join(banner)}
    process.terminate()
    process.wait(timeout=30)
    shutil.rmtree(workdir, ignore_errors=True)


class MemoryStorage:
    def __init__(self):
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info):
        self.client_info = client_info


class User:
    """The person at the browser: approves the consent page, then the stand-in's login page."""

    def __init__(self):
        self.browser = httpx2.Client(follow_redirects=False, timeout=30)
        self.result: AuthorizationCodeResult | None = None
        self.consent_html = ""

    def authorize(self, url: str) -> None:
        consent = self.browser.get(url)
        assert consent.status_code == 200, consent.text
        self.consent_html = consent.text
        token = re.search(r'name="consent_token" value="([^"]+)"', consent.text).group(1)
        approved = self.browser.post(
            urljoin(url, "/authorize"), data={"consent_token": html.unescape(token), "decision": "approve"}
        )
        assert approved.status_code == 302, approved.text
        login_url = approved.headers["location"]
        login = self.browser.get(login_url)
        assert "Development identity" in login.text
        query = {k: v[0] for k, v in parse_qs(urlparse(login_url).query).items()}
        form = {k: query[k] for k in ("client_id", "redirect_uri", "state", "scope") if k in query}
        signed_in = self.browser.post(
            urljoin(login_url, "authorize"), data={**form, "login": "dev-user", "decision": "authorize"}
        )
        assert signed_in.status_code == 302, signed_in.text
        done = self.browser.get(signed_in.headers["location"])
        assert done.status_code == 302, done.text
        final = urlparse(done.headers["location"])
        params = {k: v[0] for k, v in parse_qs(final.query).items()}
        assert f"{final.scheme}://{final.netloc}{final.path}" == REDIRECT_URI
        self.result = AuthorizationCodeResult(code=params["code"], state=params.get("state"), iss=params.get("iss"))


async def run_client(origin: str, user: User):
    async def redirect_handler(url: str) -> None:
        await asyncio.to_thread(user.authorize, url)

    async def callback_handler() -> AuthorizationCodeResult:
        assert user.result is not None
        return user.result

    auth = OAuthClientProvider(
        server_url=f"{origin}/mcp",
        client_metadata=OAuthClientMetadata(
            client_name="Python <mcp> client",
            redirect_uris=[REDIRECT_URI],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=MemoryStorage(),
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
    )
    async with httpx2.AsyncClient(auth=auth, timeout=30) as http:
        async with streamable_http_client(f"{origin}/mcp", http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                initialized = await session.initialize()
                tools = await session.list_tools()
                whoami = await session.call_tool("whoami", {})
                repos = await session.call_tool("list_repositories", {"limit": 10})
                issue = await session.call_tool("get_issue", {"owner": "dev-user", "repo": "hello-workers", "number": 1})
                return initialized, tools, whoami, repos, issue


def text(result) -> str:
    return "\n".join(part.text for part in result.content if getattr(part, "type", "") == "text")


def test_python_mcp_client_signs_in_and_calls_tools(server):
    assert "development identity" in server["banner"].lower()
    user = User()
    initialized, tools, whoami, repos, issue = asyncio.run(run_client(server["origin"], user))

    assert initialized.server_info.name == "github-mcp"
    assert [tool.name for tool in tools.tools] == ["whoami", "list_repositories", "get_issue"]
    assert "@dev-user" in text(whoami)
    assert "dev-user/hello-workers" in text(repos)
    assert text(issue).startswith("#1 Try the MCP tools")
    # The client's name went through dynamic registration and is shown escaped on the consent page.
    assert "Python &lt;mcp&gt; client" in user.consent_html
    assert "Python <mcp> client" not in user.consent_html
