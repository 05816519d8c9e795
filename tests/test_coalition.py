"""Coalitions: pledges that make a coerced member stop conceding, verified by re-solving."""

from __future__ import annotations

import json

import pytest

from coercion.analysis.coalition import Member, coalition, members_made_proof, parse_member
from coercion.cli import main
from coercion.errors import InvalidParameterError


def test_fraction_flips_and_just_short_does_not(capsys: pytest.CaptureFixture[str]) -> None:
    members = [Member("Australia", spare_capacity_share=0.3), Member("Canada", 0.2, 1.0)]
    r = coalition("china-japan-2025", members)
    assert r.outcome_before == "concession" and r.coercion_proof and r.verified
    assert r.fraction is not None and 0 < r.fraction <= 1
    # the recommended values, set on the command line, really change the outcome ...
    sets = [a for k, v in r.changes.items() for a in ("--set", f"{k}={v!r}")]
    assert main(["analyze", "china-japan-2025", "--json", *sets]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == r.outcome_after != "concession"
    # ... and just short of them they do not
    short = [a for k, v in r.short_of.items() for a in ("--set", f"{k}={v!r}")]
    assert main(["analyze", "china-japan-2025", "--json", *short]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "concession"
    # each partner delivers the same fraction of its pledge
    assert r.commitments["Canada"]["compensation_usd_bn"] == pytest.approx(r.fraction * 1.0)


def test_insufficient_pledges_are_reported() -> None:
    r = coalition("japan-china-2010", [Member("Small", spare_capacity_share=0.05)])
    assert not r.coercion_proof and r.fraction is None and not r.verified


def test_counter_share_without_counter_instrument_is_noted() -> None:
    r = coalition("china-japan-2025", [Member("X", counter_share=0.5)])
    assert r.notes and r.fraction is None


def test_members_made_proof() -> None:
    out = members_made_proof(
        ["china-japan-2025", "japan-china-2010"],
        {
            "china-japan-2025": Member("Japan 2025", spare_capacity_share=0.1),
            "japan-china-2010": Member("Japan 2010", spare_capacity_share=0.6),
        },
    )
    assert out["china-japan-2025"] == ("concession", "standoff")
    assert out["japan-china-2010"][0] == "concession"


@pytest.mark.parametrize(
    "spec", ["x:spare=2", "x:spare=nan", "x:bogus=1", ":spare=0.1", "x:spare=__import__('os')"]
)
def test_bad_member_specs(spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InvalidParameterError):
        parse_member(spec)
    code = main(["policy", "coalition", "china-japan-2025", "--member", spec])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
