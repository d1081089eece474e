"""Headless Chromium for the web page's tests, through Selenium and chromedriver.

``browser_or_skip_reason()`` finds Chromium and its driver: ``CHROMIUM`` / ``CHROMEDRIVER`` if
set, else Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
``/usr/bin/chromedriver``) or whatever ``chromium``, ``chromium-browser``, ``google-chrome``
and ``chromedriver`` are on PATH. Without them, or without Selenium, the tests skip and say
which is missing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

CSS = "css selector"
XPATH = "xpath"
"""Selenium's locator strategies (``By.CSS_SELECTOR``, ``By.XPATH``), usable without it."""

WAIT_SECONDS = 15.0
"""How long a test waits for the page to show something before it fails."""

_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Flags that keep a headless Chromium quiet and self-contained: no sandbox (tests may run as
# root in a container), no GPU, no network of its own (updates, sync, QUIC probes).
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,800",
)

T = TypeVar("T")


def _find(variable: str, names: tuple[str, ...]) -> str | None:
    configured = os.environ.get(variable)
    if configured:
        return configured if Path(configured).exists() else None
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_or_skip_reason() -> tuple[str, str] | str:
    """(chromium, chromedriver) paths, or why the browser tests cannot run here."""
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install -r test/ui/requirements.txt)"
    chromium = _find("CHROMIUM", _BROWSERS)
    driver = _find("CHROMEDRIVER", ("chromedriver",))
    missing = [
        what for what, path in (("Chromium", chromium), ("chromedriver", driver)) if path is None
    ]
    if chromium is None or driver is None:
        return (
            f"{' and '.join(missing)} not found (on Debian: apt-get install chromium "
            "chromium-driver; or set CHROMIUM and CHROMEDRIVER)"
        )
    return chromium, driver


def start_chromium(chromium: str, driver: str, profile: Path, downloads: Path) -> Any:
    """A headless Chromium with a fresh profile that saves downloads into ``downloads``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in _FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(driver))
    # Headless Chromium ignores the download preference unless told through DevTools.
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    return browser


def wait_for(browser: Any, condition: Callable[[Any], T], what: str) -> T:
    """Poll ``condition(browser)`` until it returns something truthy; fail naming ``what``."""
    from selenium.webdriver.support.wait import WebDriverWait

    return WebDriverWait(browser, WAIT_SECONDS, poll_frequency=0.05).until(
        condition, f"the page did not show {what} within {WAIT_SECONDS:.0f}s"
    )


def choose(select: Any, value: str) -> None:
    """Pick the option of a ``<select>`` element with this value, as a user would."""
    from selenium.webdriver.support.select import Select

    Select(select).select_by_value(value)


def alert_text(browser: Any) -> str | None:
    """The text of an open JavaScript alert, or None if there is none."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        return str(browser.switch_to.alert.text)
    except NoAlertPresentException:
        return None
