"""Variants: the same exercise with other inputs, one per student ("Вариант 1 … Вариант 30").

Inputs are drawn from the exercise's ``[variants]`` ranges. Variant ``n`` of a
seed depends only on the exercise, the seed and ``n`` — not on how many
variants were asked for — so a grader who knows a student's variant number and
the seed rebuilds exactly that student's numbers, without drawing the others.

Variants come in sets of ``SET_SIZE`` (1–50, 51–100, …). Each set walks the
grid of all input combinations in its own random order (seeded by the
exercise, the seed and the set) and takes the fit points in turn, so within a
set no two variants repeat as long as the ranges hold that many fit points;
variants of different sets may. Variant ``n`` costs the draws of its set up to
``n``, never those of earlier sets.

A draw is kept only if the exercise is fit to be solved by hand there, under
its rounding rule and in exact arithmetic:

* every node is defined and finite, and no number exceeds ``LIMIT``;
* no node comes closer to an edge case than one unit of the rounding digit
  (0.01 for two decimals, and in exact mode): the edges each op declares in
  the ops table (``Op.edges``) — the argument of log or a square root, a
  divisor, the argument of ReLU, |·|, Leaky ReLU, ELU or SELU, the gap between
  max/min's two arguments, the base of a fractional or variable power;
* with ``avoid_ties = true``, no number that is rounded ends exactly on a tie
  at the rounding digit (…5), where "half away from zero" and "half to even"
  disagree or a student's reading of the rule matters;
* at most half of the asked gradients round to 0 (a zero answers itself);
* none of the concerns ``[variants] avoid`` names (``file.VARIANT_CHECKS``):
  a number within 0.01 of a unit of the rounding digit from a tie (``near_ties``), an
  asked answer that rounds to 0 (``zero_answers``), a local derivative that
  rounds to 0 — a saturated σ or tanh, a ReLU that is off (``saturated``), and
  with ``duplicates`` a set that cannot give every variant its own inputs is
  an error rather than a set that repeats some.

``concerns`` lists the same checks for a drawn variant whatever the exercise
avoids, so `graphlab variants` can warn about the ones it hands out.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Context, Decimal

from graphlab import scalar_math
from graphlab.exercise.file import Exercise, ExerciseError
from graphlab.exercise.language import say
from graphlab.exercise.safe import file_name
from graphlab.ops import EdgeKind, lookup
from graphlab.rounding import EXACT
from graphlab.trace import NodeKind, Trace
from graphlab.value import EvaluationError

EXACT_MARGIN_DECIMALS = 2
"""In exact mode, a node keeps 0.01 away from an edge case (log of 0, division by 0, a kink)."""
LIMIT = 1_000.0
"""The largest magnitude of any value or gradient in a variant: numbers to work by hand."""
ATTEMPTS = 2_000
"""Points of the grid one set tries before it settles for the fit points it found (or none: an error)."""
SET_SIZE = 50
"""Variants drawn together, none repeating another (a class's worth)."""
MAX_COUNT = 1_000

ROUTING = {"max", "min"}
"""Ops whose zero local derivative is their rule (the gradient goes to the other input), not a saturation."""
NEAR_TIE = Decimal("0.01")
"""How close to halfway (in units of the rounding digit) counts as near a tie: 0.1249 … 0.1251 for 2 decimals,
where a calculator that keeps four decimals may round either way."""
_NOISE = Context(prec=12)


@dataclass(frozen=True)
class Variant:
    """Variant ``number`` of an exercise at this variant's inputs; number None: the exercise as written."""

    number: int | None
    exercise: Exercise

    @property
    def title(self) -> str:
        """``Вариант 7`` (or ``Variant 7``, in the exercise's first language); the exercise's title for None."""
        return self.exercise.title if self.number is None else self.titled(self.exercise.languages[:1])

    def titled(self, languages) -> str:
        """``Вариант 7`` in ``languages`` (``Вариант / Variant 7`` for both)."""
        return self.exercise.title if self.number is None else f"{say('variant', languages)} {self.number}"

    @property
    def folder(self) -> str:
        """Where a handout set keeps this variant's files: ``v07``, or the exercise's id."""
        return file_name(self.exercise.id) if self.number is None else f"v{self.number:02d}"

    @property
    def slug(self) -> str:
        """A file-name stem: ``variant-2-v07``."""
        return file_name(f"{self.exercise.id}-{self.folder}" if self.number is not None else self.exercise.id)


def draw(exercise: Exercise, count: int, seed: int | str) -> list[Variant]:
    """Variants 1 … ``count`` of ``exercise`` for ``seed``."""
    _check_number(exercise, count, "the number of variants")
    variants = []
    for first in range(1, count + 1, SET_SIZE):
        wanted = min(SET_SIZE, count - first + 1)
        fits = _fit_points(exercise, seed, (first - 1) // SET_SIZE, wanted)
        _check_repeats(exercise, len(fits), wanted)
        variants += [Variant(n, exercise.with_inputs(fits[(n - first) % len(fits)]))
                     for n in range(first, min(first + SET_SIZE, count + 1))]
    return variants


def distinct(exercise: Exercise, count: int, seed: int | str) -> list[Variant]:
    """Variants 1 … ``count`` as ``draw`` gives them, but only while each set still has inputs of its own:
    none repeats and none is an error (for a grader trying which variant a file's answers belong to)."""
    _check_number(exercise, count, "the number of variants")
    variants = []
    for first in range(1, count + 1, SET_SIZE):
        wanted = min(SET_SIZE, count - first + 1)
        fits = _fit_points(exercise, seed, (first - 1) // SET_SIZE, wanted)
        variants += [Variant(first + i, exercise.with_inputs(inputs)) for i, inputs in enumerate(fits)]
        if len(fits) < wanted:
            break
    return variants


def variant(exercise: Exercise, number: int, seed: int | str) -> Variant:
    """Variant ``number`` alone: the same as in any longer list for this seed, drawn without the others."""
    _check_number(exercise, number, "a variant's number")
    position = (number - 1) % SET_SIZE
    fits = _fit_points(exercise, seed, (number - 1) // SET_SIZE, position + 1)
    _check_repeats(exercise, len(fits), position + 1)
    return Variant(number, exercise.with_inputs(fits[position % len(fits)]))


def _check_repeats(exercise: Exercise, found: int, wanted: int) -> None:
    """With ``avoid = ["duplicates"]``, a set that would repeat inputs is an error, not a quiet repeat."""
    if found < wanted and exercise.variants.avoids("duplicates"):
        raise ExerciseError(exercise.path or exercise.id, None, "variants",
                            f"the ranges hold only {found} fit inputs in this set, so {wanted} variants would "
                            "repeat some; widen the ranges, allow fewer reasons to redraw, or ask for fewer")


def _check_number(exercise: Exercise, number: int, what: str) -> None:
    if not exercise.variants.ranges:
        raise ExerciseError(exercise.path or exercise.id, None, "variants",
                            "this exercise has no [variants] table, so there is nothing to vary; "
                            "add one with a range per input, like x0 = [-3, 3]")
    if not 1 <= number <= MAX_COUNT:
        raise ExerciseError(exercise.path or exercise.id, None, "variants",
                            f"{what} must be from 1 to {MAX_COUNT}, got {number}")


def _fit_points(exercise: Exercise, seed: int | str, number_set: int, wanted: int) -> list[dict[str, float]]:
    """The first ``wanted`` fit inputs of set ``number_set``'s walk (fewer when the grid has fewer)."""
    ranges = exercise.variants.ranges
    sizes = [span.count for span in ranges.values()]
    size = math.prod(sizes)
    rng = random.Random(f"{exercise.id}|{seed}|set {number_set}")
    visited: set[int] = set()
    fits: list[dict[str, float]] = []
    while len(fits) < wanted and len(visited) < min(size, ATTEMPTS):
        index = rng.randrange(size)
        if index in visited:
            continue
        visited.add(index)
        drawn = {}
        for (name, span), count in zip(ranges.items(), sizes):
            index, step = divmod(index, count)
            drawn[name] = span.value(step)
        inputs = {name: drawn.get(name, value) for name, value in exercise.inputs.items()}
        if not problems(exercise.with_inputs(inputs)):
            fits.append(inputs)
    if not fits:
        raise ExerciseError(exercise.path or exercise.id, None, "variants",
                            f"no inputs in these ranges give a well-defined exercise after {len(visited)} draws; "
                            "widen the ranges or move them away from the formula's edge cases")
    return fits


def problems(exercise: Exercise) -> list[str]:
    """Why ``exercise`` at its inputs is unfit for a variant; empty when it is fit.

    The reasons found under the exercise's own rounding are enough: the exact
    solve, which may add more, is spent only on inputs that pass them.
    """
    found: list[str] = []
    policies = [exercise.policy] if exercise.policy == EXACT else [exercise.policy, EXACT]
    for policy in policies:
        try:
            trace = exercise.solve(policy=policy)
        except (EvaluationError, ArithmeticError, ValueError) as err:
            return [str(err)]
        decimals = exercise.policy.decimals
        margin = 10.0 ** -(EXACT_MARGIN_DECIMALS if decimals is None else decimals)
        found += _edge_cases(trace, margin)
        grads = trace.grads(exercise.wrt)
        zeros = [name for name, g in grads.items() if policy.format(g) == policy.format(0.0)]
        if 2 * len(zeros) > len(grads):
            found.append(f"{', '.join(zeros)}: most asked gradients round to 0")
        if policy == exercise.policy:
            found += [text for check, text in _concerns(exercise, trace) if exercise.variants.avoids(check)]
        if found:
            return found
    return found


def concerns(exercise: Exercise) -> list[tuple[str, str]]:
    """(check, what) for every concern of ``file.VARIANT_CHECKS`` at the exercise's inputs, avoided or not."""
    try:
        return _concerns(exercise, exercise.solve())
    except (EvaluationError, ArithmeticError, ValueError) as err:
        return [("undefined", str(err))]


def _concerns(exercise: Exercise, trace: Trace) -> list[tuple[str, str]]:
    policy = exercise.policy
    found = []
    if policy.decimals is not None:
        found += [("ties", text) for text in _ties(trace, policy.decimals)]
        found += [("near_ties", text) for text in _ties(trace, policy.decimals, near=True)]
    from graphlab.exercise.grading import quantities  # lazy: grading reads the answers, which read the files

    zero = policy.format(0.0) if policy.decimals is not None else None
    for quantity in quantities(exercise, trace):
        if (policy.format(quantity.value) == zero) if zero else quantity.value == 0:
            found.append(("zero_answers", f"{quantity.label} = {policy.format(quantity.value)}"))
    for node in trace.nodes:
        if node.op in ROUTING:
            continue
        for index, local in enumerate(node.local):
            if local is not None and ((policy.format(local) == zero) if zero else local == 0):
                found.append(("saturated", f"#{node.id} {node.symbol}: ∂/∂{'ab'[index]} = {policy.format(local)}"))
    return found


def _edge_cases(trace: Trace, margin: float) -> list[str]:
    found = []
    for node in trace.nodes:
        numbers = [node.value, node.grad or 0.0, *(x for x in node.local if x is not None)]
        if any(abs(x) > LIMIT for x in numbers):
            found.append(f"{node.name}: a number beyond ±{LIMIT:g}")
        if node.kind != NodeKind.OP:
            continue
        op = lookup(node.op)
        args = [trace.nodes[i].value for i in node.inputs]
        for edge in op.edges:
            at = edge.at(*args, **node.params)
            if at is not None and (at < margin if edge.kind == EdgeKind.POSITIVE else abs(at) < margin):
                found.append(f"{node.name}: {edge.says.format(op=op.name)}")
                break
    return found


def _ties(trace: Trace, decimals: int, near: bool = False) -> list[str]:
    """Nodes where a number that the policy rounds lies exactly halfway between two roundings
    (``near``: within ``NEAR_TIE`` of halfway, but not on it)."""
    policy = trace.policy
    found = []
    for node in trace.nodes:
        candidates = []
        if node.kind == NodeKind.OP:
            op = lookup(node.op)
            args = [trace.nodes[i].value for i in node.inputs]
            if policy.rounds_forward:
                candidates.append(float(op.forward(scalar_math, *args, **node.params)))
            for i, rule in enumerate(op.rules):
                if node.local[i] is None:
                    continue
                if policy.rounds_local:
                    candidates.append(float(rule(scalar_math, node.value, *args, **node.params)))
                if policy.rounds_products:
                    candidates.append((node.grad or 0.0) * node.local[i])
        if node.id == trace.output or node.kind == NodeKind.INPUT:  # the reported answers
            candidates.append(node.value if node.kind == NodeKind.OP else node.grad or 0.0)
        close = [x for x in candidates if _tie_distance(x, decimals) == 0] if not near else \
            [x for x in candidates if 0 < _tie_distance(x, decimals) <= NEAR_TIE]
        if close:
            what = "close to a rounding tie" if near else "ending on a rounding tie"
            found.append(f"{node.name}: {_NOISE.create_decimal(repr(float(close[0]))):f} is {what}")
    return found


def _tie_distance(x: float, decimals: int) -> Decimal:
    """How far ``x`` is from halfway between two roundings, in units of the rounding digit (0 … 0.5)."""
    scaled = _NOISE.create_decimal(repr(float(x))).scaleb(decimals)
    return abs(abs(scaled - scaled.to_integral_value(rounding=ROUND_FLOOR)) - Decimal("0.5"))
