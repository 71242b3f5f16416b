"""Output that survives any stream encoding: ASCII stand-ins where the stream cannot say a character.

A Windows console or redirect writes cp1252 (or another code page), which has no
box-drawing characters, no ∂ and no Cyrillic. Instead of a UnicodeEncodeError the
streams get an error handler that writes each such character as its stand-in
(``graphlab.render.ascii``). A UTF-8 stream is left exactly as it is. Tables are
laid out in ASCII from the start where the stream needs it (``needs_ascii``), so
their columns stay aligned even where a stand-in is wider than its character.
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import TextIO

from graphlab.render.ascii import ascii_stand_in

HANDLER = "graphlab.ascii"
_UNICODE = ("utf-8", "utf8", "utf-16", "utf-32")


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(ascii_stand_in(char) for char in text), error.end


def needs_ascii(stream: TextIO) -> bool:
    """Whether ``stream`` cannot encode the box lines and symbols of graphlab's tables."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "┌─│∂−²×".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return True
    return False


def make_streams_safe() -> None:
    """Give stdout and stderr the stand-in handler; a stream that encodes everything is untouched."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _replace)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if isinstance(stream, io.TextIOWrapper) and encoding not in _UNICODE:
            stream.reconfigure(errors=HANDLER)
