"""The connected-apps page of `github-mcp` in a real browser: headless Chromium driven by Selenium.

A real MCP client (the official Python SDK, through `sign_in`) gets a grant from the real `github-mcp` binary. Then
Chromium opens the landing page, follows its "Connected apps" link, signs in through the development identity's
GitHub stand-in login page, finds the client in the table, presses Revoke and sees it gone; the client's token is
refused afterwards.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); skipped without them outside CI. With
`UPDATE_SCREENSHOTS=1` the page with the connected app is saved to docs/images/connected-apps.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx2
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from github_mcp_harness import CONVERSATION_TIMEOUT, DEVELOPMENT_LOGIN, REPO, Server, sign_in

CLIENT_NAME = "Python MCP client"
SCREENSHOT = REPO / "docs" / "images" / "connected-apps.png"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed (.ci/run installs them)")
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # As root in CI, Chromium runs only without its sandbox; /dev/shm may be small in containers.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,760"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def row_of(driver: WebDriver, client_name: str):
    """The table row naming `client_name`, or None."""
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    return next((row for row in rows if client_name in row.find_element(By.CSS_SELECTOR, "td strong").text), None)


def mcp_status(server: Server, token: str) -> int:
    """The status `/mcp` answers an `initialize` with `token`."""
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
    response = httpx2.post(server.mcp_url, json=initialize, timeout=30, headers={
        "Accept": "application/json, text/event-stream", "Authorization": f"Bearer {token}"})
    return response.status_code


@pytest.mark.anyio
@pytest.mark.parametrize("server", ["json"], indirect=True, ids=["MCP_RESPONSE_MODE=json"])
async def test_browser_signs_in_sees_the_client_and_revokes_it(server: Server, browser: WebDriver) -> None:
    with anyio.fail_after(CONVERSATION_TIMEOUT):
        token = await sign_in(server.mcp_url, client_name=CLIENT_NAME)
    assert mcp_status(server, token) == 200
    wait = WebDriverWait(browser, 15)

    # The landing page links to the page; signed out, it offers a sign-in.
    browser.get(server.origin + "/")
    browser.find_element(By.LINK_TEXT, "Connected apps").click()
    wait.until(expected_conditions.url_to_be(server.origin + "/apps"))
    assert browser.find_elements(By.CSS_SELECTOR, "table") == []
    browser.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Sign in with')]").click()

    # The development identity's GitHub stand-in: its login page, the first account (dev-user) chosen.
    wait.until(expected_conditions.url_contains("/__dev/github/login/oauth/authorize"))
    assert "Development identity" in browser.page_source
    radio = browser.find_element(By.CSS_SELECTOR, f"input[name=login][value='{DEVELOPMENT_LOGIN}']")
    assert radio.is_selected()
    browser.find_element(By.CSS_SELECTOR, "button[value=authorize]").click()

    # Back through /callback to the page, signed in, with the SDK's client listed.
    wait.until(expected_conditions.url_to_be(server.origin + "/apps"))
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "tbody tr")))
    assert f"@{DEVELOPMENT_LOGIN}" in browser.find_element(By.TAG_NAME, "main").text
    row = row_of(browser, CLIENT_NAME)
    assert row is not None, browser.page_source
    cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
    assert cells[1] == "http://127.0.0.1:33418"
    assert cells[2] == "mcp"
    assert cells[3].endswith("UTC")
    session = browser.get_cookie("mcp-apps-session")
    assert session is not None and session["httpOnly"] and session["sameSite"] == "Lax"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(SCREENSHOT))

    row.find_element(By.XPATH, ".//button[normalize-space()='Revoke']").click()
    wait.until(expected_conditions.staleness_of(row))
    wait.until(expected_conditions.url_to_be(server.origin + "/apps"))
    assert row_of(browser, CLIENT_NAME) is None
    assert "No MCP client holds a grant for you" in browser.find_element(By.TAG_NAME, "main").text
    assert mcp_status(server, token) == 401
