"""`graphlab serve` in a real browser: the page opens, both passes step, the gradients read off the page,
and saving downloads the file in the browser instead of writing it on the server."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import pytest
from browser_checks import wait_for

pytest.importorskip("textual_serve")

# textual-serve draws the terminal on a canvas (xterm.js); this keeps a handle on the page's terminal
# so the test can read its screen buffer, the text the user sees, and on its websocket so the test can
# close the session as closing the tab does.
KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {configurable: true, set(value) {
  window.graphlabTerminal = value;
  Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
}});
const PageSocket = window.WebSocket;
window.WebSocket = function (...args) { return window.graphlabSocket = new PageSocket(...args); };
"""
READ_SCREEN = """
const buffer = window.graphlabTerminal.buffer.active, lines = [];
for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
return lines.join("\\n");
"""


@pytest.fixture
def served(tmp_path):
    """``graphlab serve`` on a free port, run in an empty folder; its address."""
    server = subprocess.Popen([sys.executable, "-m", "graphlab", "serve", "--port", "0"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = server.stdout.readline()
        match = re.search(r"http://\S+", first)
        assert match, first + server.stdout.read()
        yield match.group(0)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C, as a user stops it
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # a tab's explorer still running: stop the server outright
            server.kill()
            server.communicate()


def test_both_passes_step_in_the_browser_and_save_downloads(browser, served, downloads, tmp_path):
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_TERMINAL})
    browser.get(served)

    def screen() -> str:
        return browser.execute_script(READ_SCREEN)

    wait_for(screen, lambda text: "ready · forward 0/6" in text)
    keys = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    for _ in range(6):
        keys.send_keys(" ")
    forward = wait_for(screen, lambda text: "forward 6/6" in text)
    assert "│v  20.00│" in forward and "│g      ·│" in forward  # values known, no gradient yet
    for _ in range(10):
        keys.send_keys(" ")
    done = wait_for(screen, lambda text: "done · both passes" in text)
    status = next(line for line in done.splitlines() if "done · both passes" in line)
    assert re.findall(r"∂(\w+) (-?\d+\.\d\d)", status) == [("x0", "40.00"), ("x1", "-40.00"), ("y0", "20.00"),
                                                           ("y1", "-20.00")]
    assert "│g  40.00│" in done and "│g  -400.00│" in done  # the gradients in the graph's boxes too

    keys.send_keys("s")
    wait_for(screen, lambda text: "your browser" in text and "variant-2.svg" in text)
    keys.send_keys("\n")
    download = downloads / "variant-2.svg"
    svg = wait_for(lambda: download.read_text(), lambda text: text.rstrip().endswith("</svg>"))
    assert "<svg" in svg and "&#45;400.00" in svg  # the diagram of this trace, its gradients drawn
    assert list(tmp_path.iterdir()) == []  # nothing written on the server's side
    browser.execute_script("window.graphlabSocket.close()")
