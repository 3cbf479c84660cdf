"""The app under gunicorn on loopback, driven by Debian's Chromium through Playwright.

Every page is opened behind a guard that aborts, and records, any request that would leave loopback, and
every console error is recorded; each test asserts both are empty.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--enable-unsafe-swiftshader"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/browser is marked `browser` (so `-m "not browser"` leaves out Chromium); the
    hook sees the whole session's items, so only this folder's are marked."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(dataset: Path, log: Path) -> Iterator[str]:
    """gunicorn serving a dataset on a free loopback port, as `make run` does; its URL, stopped on exit."""
    port = _free_port()
    env = {**os.environ, "HEALTHGAPS_DATASET": str(dataset), "PORT": str(port), "HOST": "127.0.0.1",
           "WEB_CONCURRENCY": "2"}
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "app:server", "--config", "gunicorn.conf.py"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    # A first start on a clean machine compresses every static file once at brotli 11 (server.static.warm_static):
    # ~20 s here, more on a slower runner; later starts read var/cache/compressed.
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.3)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def server(demo_path, tmp_path_factory) -> Iterator[str]:
    """gunicorn serving the demo dataset."""
    with serving(demo_path, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    page: Page
    base_url: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left loopback: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"


@contextmanager
def visiting(browser: Browser, base_url: str, enforce_csp: bool = False) -> Iterator[Visit]:
    """A fresh browser context on `base_url`: requests leaving loopback are aborted and recorded, console
    errors recorded. The app's Content-Security-Policy is bypassed unless `enforce_csp`: Playwright's
    wait_for_function evaluates its predicate with eval in the page, which the policy forbids (test_csp.py
    loads every page under the policy)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=not enforce_csp)
    state = Visit(page=None, base_url=base_url)  # type: ignore[arg-type]

    def guard(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            state.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda message: state.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: state.errors.append(str(error)))
    state.page = page
    try:
        yield state
    finally:
        context.close()


@pytest.fixture
def visit(browser, server) -> Iterator[Visit]:
    with visiting(browser, server) as state:
        yield state


# Helpers every page's tests use: how a person sets a control, and the screenshots of a page.

SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}


def css_id(component_id: str | dict) -> str:
    """A CSS selector for a component, whatever its id (dict ids become JSON in the page)."""
    from pages.controls import dom_id

    return "[id='" + dom_id(component_id) + "']"


def choose(page: Page, key: str, value: str) -> None:
    """Pick an option of a native select control (ids.control(key)), as a keyboard or mouse user does."""
    from pages import ids

    page.select_option(css_id(ids.control(key)), value)


def pick(page: Page, key: str, value: str) -> None:
    """Open a multiple-choice dropdown control (ids.control(key)) and add the option with this value."""
    from playwright.sync_api import expect

    from pages import ids

    trigger = page.locator(css_id(ids.control(key)))
    for _ in range(3):  # a click that lands while the page is still settling can leave the list shut
        trigger.click()
        try:
            expect(trigger).to_have_attribute("aria-expanded", "true", timeout=2_000)
            break
        except AssertionError:
            continue
    page.locator(f"[role=option]:has(input[value='{value}'])").click()
    page.keyboard.press("Escape")


def view_of(page: Page):
    """The View the page's URL holds now."""
    from view import parse

    parts = urlsplit(page.url)
    return parse(parts.path, parts.query)


def screenshots(page: Page, name: str, ready: str) -> list[Path]:
    """The page at 1920x1080 and 1280x720, normal and in presentation mode: test-output/<name>-<size>[-present].png.

    `ready` is a selector that is present once the page has drawn. The page is reloaded with present=1 for
    presentation mode, so the URL is what turns it on.
    """
    OUTPUT.mkdir(exist_ok=True)
    written = []
    url = page.url
    for present in (False, True):
        target = url
        if present:
            target = url + ("&" if "?" in url else "?") + "present=1"
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(target)
            page.wait_for_selector(ready, timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            path = OUTPUT / f"{name}-{size}{'-present' if present else ''}.png"
            page.screenshot(path=path, full_page=True)
            written.append(path)
    return written


def downloaded(page: Page, table: str, fmt: str, folder: Path, **read) -> tuple[str, list[str], pd.DataFrame]:
    """Click a table's CSV or Excel button; (file name, header lines, the table read back with pandas)."""
    from pages import ids

    with page.expect_download() as download:
        page.click(css_id(ids.export(table, fmt)))
    name = download.value.suggested_filename
    path = folder / name
    download.value.save_as(path)
    if fmt == "csv":
        lines = [line[2:] for line in path.read_text(encoding="utf-8-sig").splitlines() if line.startswith("# ")]
        return name, lines, pd.read_csv(path, comment="#", encoding="utf-8-sig", **read)
    first = pd.read_excel(path, header=None, nrows=40, engine="calamine")[0]
    lines = first[: first.isna().idxmax()].tolist()  # the lines above the blank row
    return name, lines, pd.read_excel(path, skiprows=len(lines) + 1, engine="calamine", **read)
