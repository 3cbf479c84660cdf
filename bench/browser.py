"""The first load of the overview in Debian's Chromium (Playwright, never a downloaded browser), each in a fresh
context (empty cache): the bytes received for every response (CDP Network.loadingFinished encodedDataLength:
compressed, as on the wire, headers included) and the time from navigation start until the overview map has
drawn its districts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
# As tests/browser/conftest.py CHROMIUM_ARGS (not imported: that module needs pytest).
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--enable-unsafe-swiftshader"]
MAP_DRAWN = "[id='map'] .js-plotly-plot .choroplethlayer path"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Load:
    bytes: int  # every response of the page until the map is drawn and the network is idle
    requests: int
    map_ms: float  # navigation start -> the map's first district path in the page
    outside: int  # requests that tried to leave loopback (aborted)
    largest: list[tuple[str, int]]  # the biggest responses: (file name, bytes)


def first_loads(url: str, count: int, timeout_ms: int = 120_000) -> list[Load]:
    """`count` first loads of `url`, each in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(count):
                loads.append(_load(browser, url, timeout_ms))
        finally:
            browser.close()
    return loads


def _load(browser, url: str, timeout_ms: int) -> Load:
    # CSP bypassed: wait_for_function evaluates its predicate with eval, which the app's policy forbids
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    outside = []

    def guard(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    try:
        context.route("**/*", guard)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes: dict[str, float] = {}
        names: dict[str, str] = {}
        cdp.on("Network.loadingFinished",
               lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
        cdp.on("Network.responseReceived", lambda event: names.__setitem__(
            event["requestId"], urlsplit(event["response"]["url"]).path.rsplit("/", 1)[-1] or "/"))
        page.goto(url, wait_until="commit")
        drawn = page.wait_for_function(f"() => document.querySelector({MAP_DRAWN!r}) && performance.now()",
                                       polling="raf", timeout=timeout_ms)
        map_ms = float(drawn.json_value())
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        largest = sorted(((names.get(r, r), int(n)) for r, n in sizes.items()), key=lambda item: -item[1])[:5]
        return Load(int(sum(sizes.values())), len(sizes), map_ms, len(outside), largest)
    finally:
        context.close()
