"""Hashed answer keys: students check their own answers without seeing the solution.

A hashed key stores, for each asked quantity, a slow salted hash of the
answer's canonical digits ("40.00"): PBKDF2-HMAC-SHA256 over the exercise id,
the variant, the quantity's name and the digits, with a random salt per key
file. A student's answer is rounded to the same digits (``check.canonical``)
and hashed the same way; equal hashes mean a right answer.

Because the exercise id and the quantity are hashed in, equal numbers in two
exercises (or two quantities) give different hashes, and the key shows no
answer. Answers are short numbers, so a determined student could still guess
and hash every candidate; ``ITERATIONS`` makes each guess cost as much as one
check (about 30 ms here), so trying the ~2 million two-decimal numbers in
±10,000 takes some 17 hours per quantity on one core. Exact exercises are keyed
at ``EXACT_DECIMALS`` digits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from graphlab.errors import FileFormatError
from graphlab.exercise.answers import Answers, quantity_key
from graphlab.exercise.check import canonical
from graphlab.exercise.file import Exercise, line_of
from graphlab.exercise.grading import quantities
from graphlab.loading import load_toml, read_text
from graphlab.rounding import TIES

ALGORITHM = "pbkdf2-sha256"
ITERATIONS = 100_000
EXACT_DECIMALS = 2
"""Digits a key compares at when the exercise itself keeps full precision."""
ITERATIONS_RANGE = (1_000, 1_000_000)
"""Iterations a key file may ask for: fewer make guessing cheap, more make each check take seconds."""
MAX_DECIMALS = 12
"""Most decimals a key compares at, as for a rounding rule."""
MAX_VARIANT = 1_000
"""Highest variant number a key may be for (as many as `graphlab variants` draws)."""
KEY_FIELDS = ("exercise", "variant", "decimals", "ties", "algorithm", "iterations", "salt", "hashes")
"""The fields of a key file, as ``to_toml`` writes them."""

_HEX = re.compile(r"[0-9a-f]+")


class KeyFileError(FileFormatError):
    """A key file that cannot be read, or a field of it that is not as ``to_toml`` writes it."""

    def __init__(self, path: Path | str, where: str | None, problem: str, line: int | None = None):
        super().__init__(path, where, problem, line)


@dataclass(frozen=True)
class HashedKey:
    """A hashed answer key as stored in its TOML file."""

    exercise: str
    variant: int | None
    decimals: int
    ties: str
    salt: bytes
    iterations: int
    hashes: dict[str, str]
    labels: dict[str, str]

    def digest(self, quantity: str, digits: str) -> str:
        message = f"{self.exercise}|{self.variant or 0}|{quantity}|{digits}".encode()
        return hashlib.pbkdf2_hmac("sha256", message, self.salt, self.iterations).hex()

    def check(self, answers: Answers) -> dict[str, str]:
        """Each keyed quantity: "right", "wrong", "missing" or "unreadable" (a cell that is not a number)."""
        verdicts = {}
        for quantity, stored in self.hashes.items():
            answer = answers.values.get(quantity)
            if answer is None:
                verdicts[quantity] = "missing"
            elif not answer.readable:
                verdicts[quantity] = "unreadable"
            else:
                digits = canonical(answer.number, self.decimals, self.ties)
                verdicts[quantity] = "right" if secrets.compare_digest(self.digest(quantity, digits), stored) else "wrong"
        return verdicts


def make_key(exercise: Exercise, variant: int | None = None, *, iterations: int = ITERATIONS,
             salt: bytes | None = None) -> HashedKey:
    """The hashed key of ``exercise`` (at the variant's inputs, numbered ``variant``)."""
    policy = exercise.policy
    decimals = EXACT_DECIMALS if policy.decimals is None else policy.decimals
    trace = exercise.solve()
    asked = quantities(exercise, trace)
    key = HashedKey(exercise.id, variant, decimals, policy.ties, salt or secrets.token_bytes(16),
                    iterations, {}, {q.key: q.label for q in asked})
    for q in asked:
        digits = canonical(str(policy.as_decimal(q.value) if policy.decimals is not None else q.value),
                           decimals, policy.ties)
        key.hashes[q.key] = key.digest(q.key, digits)
    return key


def to_toml(key: HashedKey) -> str:
    """The key as a TOML file a student can be given."""
    lines = ["# Hashed answer key: it shows no answer, it only tells right from wrong.",
             f"# Check your answers with: graphlab check {key.exercise} answers.toml --key THIS_FILE",
             f'exercise = "{key.exercise}"']
    if key.variant is not None:
        lines.append(f"variant = {key.variant}")
    lines += [f"decimals = {key.decimals}", f'ties = "{key.ties}"', f'algorithm = "{ALGORITHM}"',
              f"iterations = {key.iterations}", f'salt = "{key.salt.hex()}"', "", "[hashes]"]
    lines += [f'"{quantity}" = "{digest}"  # {key.labels.get(quantity, quantity)}'
              for quantity, digest in key.hashes.items()]
    return "\n".join(lines) + "\n"


def read_key(path: Path | str) -> HashedKey:
    """The hashed key in ``path``, every field checked; a ``KeyFileError`` naming the field otherwise."""
    path = Path(path)
    text = read_text(path, lambda problem: KeyFileError(path, None, problem))
    data = load_toml(text, lambda line, problem: KeyFileError(path, None, problem, line))

    def fail(key: str, problem: str) -> KeyFileError:
        table, _, name = key.rpartition(".")
        return KeyFileError(path, key, problem, line_of(text, table or None, name))

    unknown = [key for key in data if key not in KEY_FIELDS]
    if unknown:
        raise fail(unknown[0], f"unknown field; a key has {', '.join(KEY_FIELDS)} "
                               "(is this a file written by `graphlab key --hashed`?)")
    missing = [key for key in KEY_FIELDS if key not in data and key != "variant"]
    if missing:
        raise KeyFileError(path, None, f"{', '.join(missing)} missing; expected a file written by "
                                       "`graphlab key --hashed`")
    if data["algorithm"] != ALGORITHM:
        raise fail("algorithm", f"expected {ALGORITHM!r}, got {_clip(data['algorithm'])}")
    exercise = data["exercise"]
    if not isinstance(exercise, str) or not exercise.strip():
        raise fail("exercise", f"expected the exercise's id in quotes, got {_clip(exercise)}")
    variant = data.get("variant")
    if variant is not None and not _whole(variant, 1, MAX_VARIANT):
        raise fail("variant", f"expected the variant's number, 1 to {MAX_VARIANT:,}, got {_clip(variant)}")
    if not _whole(data["decimals"], 0, MAX_DECIMALS):
        raise fail("decimals", f"expected a whole number from 0 to {MAX_DECIMALS}, got {_clip(data['decimals'])}")
    if data["ties"] not in TIES:
        raise fail("ties", f'expected "away" or "even", got {_clip(data["ties"])}')
    if not _whole(data["iterations"], *ITERATIONS_RANGE):
        raise fail("iterations", f"expected a whole number from {ITERATIONS_RANGE[0]:,} to {ITERATIONS_RANGE[1]:,} "
                                 f"(graphlab writes {ITERATIONS:,}), got {_clip(data['iterations'])}")
    salt = data["salt"]
    if not (isinstance(salt, str) and _HEX.fullmatch(salt) and 16 <= len(salt) <= 128 and len(salt) % 2 == 0):
        raise fail("salt", f"expected 16 to 128 hex digits, got {_clip(salt)}")
    hashes = data["hashes"]
    if not isinstance(hashes, dict) or not hashes:
        raise fail("hashes", "expected a [hashes] table with one quantity per line")
    for quantity, digest in hashes.items():
        if quantity_key(quantity) != quantity:
            raise fail(f"hashes.{quantity}", "not a quantity; expected f, df/dx0, #5 or df/d#5")
        if not (isinstance(digest, str) and _HEX.fullmatch(digest) and len(digest) == 64):
            raise fail(f"hashes.{quantity}", f"expected a digest of 64 hex digits, got {_clip(digest)}")
    return HashedKey(exercise, variant, data["decimals"], data["ties"], bytes.fromhex(salt), data["iterations"],
                     dict(hashes), {})


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _clip(value) -> str:
    text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
