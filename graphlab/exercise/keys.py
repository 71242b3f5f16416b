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
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from graphlab.exercise.answers import Answers
from graphlab.exercise.check import AnswerError, canonical
from graphlab.exercise.file import Exercise
from graphlab.exercise.grading import quantities

ALGORITHM = "pbkdf2-sha256"
ITERATIONS = 100_000
EXACT_DECIMALS = 2
"""Digits a key compares at when the exercise itself keeps full precision."""


class KeyFileError(AnswerError):
    """A key file that cannot be read or does not belong to the exercise."""


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
        """Each keyed quantity: "right", "wrong" or "missing"."""
        verdicts = {}
        for quantity, stored in self.hashes.items():
            answer = answers.values.get(quantity)
            if answer is None:
                verdicts[quantity] = "missing"
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
    """The hashed key in ``path``; a clear error if it is not one."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if data.get("algorithm") != ALGORITHM:
            raise ValueError(f"algorithm must be {ALGORITHM!r}")
        hashes = data["hashes"]
        if not isinstance(hashes, dict) or not all(isinstance(v, str) for v in hashes.values()):
            raise ValueError("[hashes] must map quantities to hex digests")
        return HashedKey(str(data["exercise"]), data.get("variant"), int(data["decimals"]), str(data["ties"]),
                         bytes.fromhex(data["salt"]), int(data["iterations"]), dict(hashes), {})
    except OSError as err:
        raise KeyFileError(f"{path}: cannot be read ({err.strerror})") from None
    except (tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as err:
        raise KeyFileError(f"{path}: not a hashed answer key written by `graphlab key --hashed` ({err})") from None
