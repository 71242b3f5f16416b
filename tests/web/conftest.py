"""Headless Chromium for the browser tests: Debian's chromium driven by Selenium through chromium-driver.

Every test here skips where the browser, its driver or Selenium is missing;
``scripts/setup.sh --test`` installs them with apt-get where it can.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def downloads(tmp_path_factory):
    """The folder the browser saves downloads into."""
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(downloads):
    """One headless Chromium for the session, 1400×900, downloading without asking."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900",
                     "--disable-gpu", "--enable-unsafe-swiftshader"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def wait_for(read: Callable[[], object], done: Callable[[object], bool], seconds: float = 20.0):
    """Read until ``done`` holds for what was read; the last reading in the failure message otherwise."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = read()
            if done(last):
                return last
        except Exception as error:  # the page is still loading: not there yet
            last = error
        time.sleep(0.1)
    raise AssertionError(f"gave up after {seconds} s; last read:\n{last}")
