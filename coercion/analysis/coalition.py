"""Coalitions: what partners must commit so that a coerced member stops conceding.

A coalition of trade-dependent states (the essay's CPTPP argument) can help a
member that a coercer targets in three ways, each a change of the case's
primitives, so the answer comes from the same game:

* **pooled spare capacity**: partners supply part of the cut flow at once,
  raising the target's immediately replaceable share (``instrument.replaceable_share``);
* **compensation**: aid or redirected purchases while the target holds out,
  raising what it can bear (``stakes.third_party_support``, US$ bn);
* **collective counter-leverage**: partners control part of what the coercer
  depends on, raising the coercer's exposure to the target's counter-measure
  (``counter.dependency_share``; only where the case has a counter-instrument).

:func:`coalition` finds the smallest common fraction ``t`` of the partners'
pledges (every partner delivers ``t`` times its pledge) at which the target's
predicted outcome leaves the outcomes to avoid, and verifies it by re-solving
the game at ``t`` and just short of it.  :func:`members_made_proof` asks, for
several member cases facing the same coercer, which of them the others'
full pledges make coercion-proof.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coercion.analysis.analyze import analyze
from coercion.analysis.evaluate import evaluate
from coercion.cases.loader import Case, load
from coercion.errors import InvalidParameterError
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.game import OUTCOMES

__all__ = ["CoalitionResult", "Member", "coalition", "members_made_proof", "parse_member"]


@dataclass(frozen=True)
class Member:
    """A coalition partner's pledge.

    Parameters
    ----------
    name : str
    spare_capacity_share : share
        Share of the cut flow the partner can supply at once.
    compensation_usd_bn : US$ bn, >= 0
        Aid or purchases pledged to the coerced member while it holds out.
    counter_share : share
        Share of what the coercer depends on (the counter-instrument's good) that the
        partner controls and would withhold with the target.
    """

    name: str
    spare_capacity_share: float = 0.0
    compensation_usd_bn: float = 0.0
    counter_share: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InvalidParameterError(
                f"Member.name must be a non-empty string; got {self.name!r}"
            )
        for f, hi in (
            ("spare_capacity_share", 1.0),
            ("compensation_usd_bn", math.inf),
            ("counter_share", 1.0),
        ):
            v = getattr(self, f)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise InvalidParameterError(f"Member.{f} must be a finite number; got {v!r}")
            if not 0 <= v <= hi:
                bound = "inf)" if math.isinf(hi) else f"{hi:g}]"
                raise InvalidParameterError(f"Member.{f} must lie in [0, {bound}; got {v!r}")


def parse_member(text: str) -> Member:
    """Parse ``NAME:spare=0.2,aid=5,counter=0.1`` (numbers only; never evaluated).

    Examples
    --------
    >>> parse_member("Australia:spare=0.3,aid=2")
    Member(name='Australia', spare_capacity_share=0.3, compensation_usd_bn=2.0, counter_share=0.0)
    """
    name, sep, rest = text.partition(":")
    keys = {
        "spare": "spare_capacity_share",
        "aid": "compensation_usd_bn",
        "counter": "counter_share",
    }
    values: dict[str, float] = {}
    for item in rest.split(",") if sep and rest else ():
        key, eq, number = item.partition("=")
        if not eq or key.strip() not in keys:
            raise InvalidParameterError(
                f"--member: expected NAME:spare=S,aid=A,counter=C; got {text!r}"
            )
        try:
            values[keys[key.strip()]] = float(number)
        except ValueError:
            raise InvalidParameterError(
                f"--member: {key.strip()} must be a number; got {number!r}"
            ) from None
    return Member(name.strip(), **values)


@dataclass(frozen=True)
class CoalitionResult:
    """What the coalition must deliver for one coerced member.

    ``fraction`` is the smallest common share of the pledges that works (``None`` if even
    full pledges do not); ``commitments`` what each partner then delivers; ``changes`` the
    parameter values in the paths ``coercion analyze --set`` takes; ``verified`` that the
    outcome leaves the avoided set at ``changes`` and not just short of them.
    """

    case: str
    members: tuple[Member, ...]
    avoid: tuple[str, ...]
    outcome_before: str
    outcome_full: str
    fraction: float | None
    commitments: dict[str, dict[str, float]]
    changes: dict[str, float]
    outcome_after: str
    short_of: dict[str, float] = field(default_factory=dict)
    outcome_short_of: str | None = None
    verified: bool = False
    notes: tuple[str, ...] = ()

    @property
    def coercion_proof(self) -> bool:
        """Whether the full pledges take the outcome out of the avoided set."""
        return self.outcome_full not in self.avoid

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "case": self.case,
            "members": [m.__dict__ for m in self.members],
            "avoid": list(self.avoid),
            "outcome_before": self.outcome_before,
            "outcome_full": self.outcome_full,
            "coercion_proof": self.coercion_proof,
            "fraction": self.fraction,
            "commitments": self.commitments,
            "changes": self.changes,
            "outcome_after": self.outcome_after,
            "short_of": self.short_of,
            "outcome_short_of": self.outcome_short_of,
            "verified": self.verified,
            "notes": list(self.notes),
        }

    def report(self) -> str:
        """A readable account."""
        lines = [
            f"coalition for {self.case}: avoid {', '.join(self.avoid)}",
            f"  outcome now: {self.outcome_before}; with full pledges: {self.outcome_full}",
        ]
        if self.fraction is None:
            lines.append("  even full pledges do not make the member coercion-proof")
        else:
            lines.append(f"  needed: {self.fraction:.4g} of every pledge -> {self.outcome_after}")
            for name, c in self.commitments.items():
                parts = ", ".join(f"{k}={v:.4g}" for k, v in c.items() if v)
                lines.append(f"    {name}: {parts or 'nothing'}")
            for k, v in self.changes.items():
                lines.append(f"    --set {k}={v!r}")
            lines.append(
                f"  verified: {'yes' if self.verified else 'NO'} "
                f"(just short: {self.outcome_short_of or '-'})"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def _changes(
    case: Case, members: Sequence[Member], t: Any, calibration: Calibration
) -> dict[str, Any]:
    """Parameter values when every partner delivers the fraction *t* of its pledge."""
    spare = sum(m.spare_capacity_share for m in members)
    aid = sum(m.compensation_usd_bn for m in members)
    counter = sum(m.counter_share for m in members)
    out: dict[str, Any] = {}
    if spare:
        r0 = float(case.numeric_value("instrument.replaceable_share", calibration))
        out["instrument.replaceable_share"] = np.minimum(1.0, r0 + t * spare)
    if aid:
        z = float(case.numeric_value("stakes.third_party_support", calibration))
        out["stakes.third_party_support"] = z + t * aid
    if counter and "counter.dependency_share" in case.values:
        d = float(case.numeric_value("counter.dependency_share", calibration))
        out["counter.dependency_share"] = np.minimum(1.0, d + t * counter)
    return out


def coalition(
    case: Case | str,
    members: Sequence[Member],
    *,
    avoid: Sequence[str] = ("concession",),
    calibration: Calibration = DEFAULT_CALIBRATION,
    grid_points: int = 401,
) -> CoalitionResult:
    """The smallest common fraction of the partners' pledges that stops the coercion.

    Examples
    --------
    >>> r = coalition("china-japan-2025", [Member("Australia", spare_capacity_share=0.5)])
    >>> r.outcome_before, r.coercion_proof, r.verified
    ('concession', True, True)
    >>> round(r.fraction, 3), r.outcome_after
    (0.8, 'partial_concession')
    """
    base = load(case) if isinstance(case, str) else case
    avoid = tuple(avoid)
    for label in avoid:
        if label not in OUTCOMES:
            raise InvalidParameterError(
                f"coalition: avoid must list outcomes {list(OUTCOMES)}; got {label!r}"
            )
    if not members:
        raise InvalidParameterError("coalition: give at least one member")
    notes = []
    if sum(m.counter_share for m in members) and "counter.dependency_share" not in base.values:
        notes.append("the case has no counter-instrument: counter shares are not used")

    def outcome(t: float) -> str:
        changes = {k: float(v) for k, v in _changes(base, members, t, calibration).items()}
        return analyze(base, changes, calibration=calibration, with_thresholds=False).outcome

    before, full = outcome(0.0), outcome(1.0)
    empty: dict[str, dict[str, float]] = {m.name: {} for m in members}
    if not _changes(base, members, 1.0, calibration) or full in avoid:
        return CoalitionResult(
            base.id, tuple(members), avoid, before, full, None, empty, {}, full, notes=tuple(notes)
        )
    if before not in avoid:
        return CoalitionResult(
            base.id,
            tuple(members),
            avoid,
            before,
            full,
            0.0,
            empty,
            {},
            before,
            verified=True,
            notes=(*notes, "the outcome already avoids " + "/".join(avoid)),
        )
    # scan t on a grid (one vectorised batch), then bisect the first change of class
    ts = np.linspace(0.0, 1.0, grid_points)
    batch = evaluate(base, _changes(base, members, ts, calibration), calibration=calibration)
    ok = np.array([OUTCOMES[int(k)] not in avoid for k in batch.outcome])
    first = int(np.argmax(ok))
    lo, hi = float(ts[first - 1]), float(ts[first])
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if outcome(mid) in avoid:
            lo = mid
        else:
            hi = mid
    t_star = hi
    changes = {k: float(v) for k, v in _changes(base, members, t_star, calibration).items()}
    short = {k: float(v) for k, v in _changes(base, members, lo, calibration).items()}
    after, short_outcome = outcome(t_star), outcome(lo)
    commitments = {
        m.name: {
            "spare_capacity_share": t_star * m.spare_capacity_share,
            "compensation_usd_bn": t_star * m.compensation_usd_bn,
            "counter_share": t_star * m.counter_share,
        }
        for m in members
    }
    return CoalitionResult(
        case=base.id,
        members=tuple(members),
        avoid=avoid,
        outcome_before=before,
        outcome_full=full,
        fraction=t_star,
        commitments=commitments,
        changes=changes,
        outcome_after=after,
        short_of=short,
        outcome_short_of=short_outcome,
        verified=after not in avoid and short_outcome in avoid,
        notes=tuple(notes),
    )


def members_made_proof(
    cases: Sequence[Case | str],
    pledges: Mapping[str, Member],
    *,
    avoid: Sequence[str] = ("concession",),
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> dict[str, tuple[str, str]]:
    """For each member case, its outcome alone and with the other members' full pledges.

    *pledges* maps a case id to the pledge that member makes to the others.

    Examples
    --------
    >>> out = members_made_proof(
    ...     ["china-japan-2025", "japan-china-2010"],
    ...     {"china-japan-2025": Member("Japan 2025", spare_capacity_share=0.1),
    ...      "japan-china-2010": Member("Japan 2010", spare_capacity_share=0.6)})
    >>> out["china-japan-2025"]
    ('concession', 'standoff')
    """
    loaded = [load(c) if isinstance(c, str) else c for c in cases]
    out = {}
    for case in loaded:
        others = [m for cid, m in pledges.items() if cid != case.id]
        alone = analyze(case, calibration=calibration, with_thresholds=False).outcome
        if not others:
            out[case.id] = (alone, alone)
            continue
        changes = {k: float(v) for k, v in _changes(case, others, 1.0, calibration).items()}
        joined = analyze(case, changes, calibration=calibration, with_thresholds=False).outcome
        out[case.id] = (alone, joined)
    return out
