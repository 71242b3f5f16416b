"""Waiting for a page: read until a condition holds, as a user watches the screen."""

from __future__ import annotations

import time
from collections.abc import Callable


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
