"""The notebook explorer's browser half in headless Chromium, hosted by a page with a stand-in model
(``graphlab.widget.page``).

The stand-in model holds what the Python half would sync (its real ``graph`` for
the lecture's exercise); the test steps both passes with the buttons and the
keyboard, reads the boxes and the inspector, switches to exercise mode and sends
answers, which the real Python half checks before its verdicts go back to the page.
"""

from __future__ import annotations

import pytest
from browser_checks import wait_for

pytest.importorskip("anywidget")

from graphlab.widget import explore
from graphlab.widget.page import standalone_page


@pytest.fixture
def widget(browser, tmp_path):
    """The lecture's exercise in the Python half, and its browser half on a page; both returned."""
    python = explore("variant-2")
    page = tmp_path / "widget.html"
    page.write_text(standalone_page(python), encoding="utf-8")
    browser.get(page.as_uri())
    wait_for(lambda: browser.execute_script("return window.rendered === true"), bool)
    return python, browser


def boxes(browser) -> dict[str, tuple[str, str]]:
    """Each box's symbol → its value and gradient as drawn."""
    return browser.execute_script("""
        const out = {};
        for (const g of document.querySelectorAll(".gl-node")) {
          const numbers = [...g.querySelectorAll(".gl-number")].map((t) => t.textContent);
          out[g.dataset.node] = numbers;
        }
        return out;""")


def text(browser, selector: str) -> str:
    return browser.execute_script(f"return document.querySelector({selector!r}).textContent")


def test_both_passes_step_and_the_inspector_follows(widget):
    python, browser = widget
    from selenium.webdriver.common.by import By

    assert text(browser, ".gl-status") == "ready · forward 0/6"
    assert boxes(browser)["0"] == ["1.00", "·"] and boxes(browser)["9"] == ["·", "·"]
    step = browser.find_element(By.CSS_SELECTOR, "[data-action=step]")
    for _ in range(6):
        step.click()
    assert text(browser, ".gl-status") == "forward 6/6"
    assert boxes(browser)["9"] == ["20.00", "·"] and boxes(browser)["8"] == ["0.05", "·"]
    assert "out = a/b = 20.00" in text(browser, ".gl-inspector")  # the last step's node is selected
    browser.find_element(By.CSS_SELECTOR, ".gl-explorer").send_keys("e")  # the keyboard, as in the terminal
    assert text(browser, ".gl-status").startswith("done · both passes · f = 20.00  ∂f/∂x0 = 40.00")
    drawn = boxes(browser)
    assert [drawn[str(i)] for i in (0, 1, 2, 3)] == [["1.00", "40.00"], ["-1.00", "-40.00"], ["1.00", "20.00"],
                                                     ["-2.00", "-20.00"]]
    assert drawn["8"] == ["0.05", "-400.00"]
    browser.find_element(By.CSS_SELECTOR, ".gl-node[data-node='0']").click()
    inspector = text(browser, ".gl-inspector")
    assert "2 consumers: their contributions add up" in inspector and "∂f/∂x0 = 40.00" in inspector
    browser.find_element(By.CSS_SELECTOR, "[data-action=back]").click()
    assert text(browser, ".gl-status") == "backward 9/10" and boxes(browser)["0"] == ["1.00", "·"]


def test_exercise_mode_sends_answers_that_the_python_half_checks(widget):
    python, browser = widget
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, "[data-action=exercise]").click()
    assert browser.execute_script("return window.model.get('mode')") == "exercise"
    python.mode = "exercise"
    assert boxes(browser)["4"] == ["?", "?"] and boxes(browser)["0"] == ["1.00", "?"]
    browser.find_element(By.CSS_SELECTOR, ".gl-node[data-node='4']").click()
    for field, typed in (("value", "1,00"), ("grad", "19")):
        answer = browser.find_element(By.CSS_SELECTOR, f".gl-answer input[name={field}]")
        answer.send_keys(typed)
        answer.submit()
    sent = browser.execute_script("return window.sent")
    assert sent == [{"type": "answer", "node": 4, "field": "value", "text": "1,00"},
                    {"type": "answer", "node": 4, "field": "grad", "text": "19"}]
    for message in sent:  # the Python half checks them, as the kernel would on receiving them
        python._received(python, message, [])
    browser.execute_script("window.model.set('answers', arguments[0])", python.answers)
    assert boxes(browser)["4"] == ["1.00✓", "19✗"]
    assert text(browser, ".gl-status").startswith("exercise · score 1/15")
    browser.find_element(By.CSS_SELECTOR, ".gl-node[data-node='9']").click()  # the division, its gradient given
    assert "−a/b² = · × 1.00 = · → exp" in text(browser, ".gl-inspector")  # the product would be ∂f/∂exp


def test_switching_the_rounding_asks_the_python_half(widget):
    python, browser = widget
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.CSS_SELECTOR, "[data-setting=decimals]")).select_by_value("")
    sent = browser.execute_script("return window.sent")
    assert sent[-1] == {"type": "policy", "decimals": None, "convention": "every_node", "ties": "away"}
    python._received(python, sent[-1], [])
    browser.execute_script("window.model.set('graph', arguments[0])", python.graph)
    browser.find_element(By.CSS_SELECTOR, "[data-action=end]").click()
    assert "f = 20.08553692" in text(browser, ".gl-status") and text(browser, ".gl-heading").endswith("exact")
