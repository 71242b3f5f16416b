"""Screenshots for the README, taken in headless Chromium from real runs.

* ``docs/graphlab-serve.png``: ``graphlab serve`` in the browser after both passes.
* ``docs/explorer-widget.png``: the notebook explorer's browser half, partway
  through the backward pass, on the page of ``graphlab.widget.page``.

Run from the repository root with the test tools installed (``scripts/setup.sh
--test`` brings Debian's chromium and chromium-driver):
``.venv/bin/python docs/make_screenshots.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from graphlab.widget import explore
from graphlab.widget.page import standalone_page

DOCS = Path(__file__).resolve().parent
KEEP_TERMINAL = """Object.defineProperty(Object.prototype, "terminal", {configurable: true, set(value) {
  window.graphlabTerminal = value;
  Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
}});"""
STATUS = "const b = window.graphlabTerminal.buffer.active; return b.getLine(b.length - 2).translateToString(true);"


def browser(width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def until(check, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # the page is still loading
            pass
        time.sleep(0.1)
    raise TimeoutError("the page did not get there")


def serve_screenshot(path: Path) -> None:
    server = subprocess.Popen([sys.executable, "-m", "graphlab", "serve", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    driver = browser(1400, 760)
    try:
        url = re.search(r"http://\S+", server.stdout.readline()).group(0)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_TERMINAL})
        driver.get(url)
        until(lambda: "ready" in driver.execute_script(STATUS))
        driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys("e")
        until(lambda: "done" in driver.execute_script(STATUS))
        time.sleep(0.5)
        driver.save_screenshot(str(path))
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=20)


def widget_screenshot(path: Path) -> None:
    widget = explore("variant-2")
    forward = len(widget.graph["forward"])
    driver = browser(1280, 560)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder, "explorer.html")
        page.write_text(standalone_page(widget, position=forward + 6, selected=0), encoding="utf-8")
        try:
            driver.get(page.as_uri())
            until(lambda: driver.execute_script("return window.rendered === true"))
            time.sleep(0.3)
            driver.save_screenshot(str(path))
        finally:
            driver.quit()


if __name__ == "__main__":
    serve_screenshot(DOCS / "graphlab-serve.png")
    widget_screenshot(DOCS / "explorer-widget.png")
    print("wrote docs/graphlab-serve.png and docs/explorer-widget.png")
