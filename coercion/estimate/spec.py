"""Estimation specs: a game tree, utility formulas, an error structure, the outcome.

A spec is a frozen value object, built in Python or read from a TOML file
(format in ``docs/estimation.md``)::

    game = "egame12"            # a bundled tree, or a .efg path relative to the file
    errors = "agent"            # or "private"
    link = "probit"             # or "logit"
    missing = "drop"            # or "raise" (the default)

    [outcome]
    path = ["esc", "war"]       # or column = "outcome", or [outcome.counts] LABEL = "col"

    [factors]
    regime1 = "autoc"           # baseline level of a factor

    [[utility]]
    player = "1"
    outcome = "1"
    formula = "s_wt_re1 + revis1"
    name = "u1(~esc)"           # prefix of the parameter names

    [scale]
    formula = "balanc - 1"      # log σ as a linear index (all players unless `players`)

Utilities not listed are fixed at 0; ``value = 1.5`` instead of ``formula``
fixes one at a constant.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coercion.errors import InvalidParameterError
from coercion.games.extensive_form import GameTree

__all__ = [
    "EstimationSpec",
    "OutcomeSpec",
    "Scale",
    "Utility",
    "bundled_specs",
    "load_spec",
]

ERRORS = ("agent", "private")
#: spec files larger than this are refused before reading
MAX_SPEC_BYTES = 2**20
LINKS = ("probit", "logit")
MISSING = ("raise", "drop")


def _need_str(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidParameterError(f"{what} must be a non-empty string; got {value!r}")
    return value


@dataclass(frozen=True)
class Utility:
    """One player's utility at one outcome: a formula over data columns or a constant."""

    player: str
    outcome: str
    formula: str | None = None
    value: float = 0.0
    name: str | None = None

    def __post_init__(self) -> None:
        _need_str(self.player, "utility.player")
        _need_str(self.outcome, "utility.outcome")
        if self.formula is not None:
            _need_str(self.formula, f"utility {self.player}:{self.outcome} formula")
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise InvalidParameterError(
                f"utility {self.player}:{self.outcome} value must be a number; got {self.value!r}"
            )
        if self.value != self.value or abs(self.value) == float("inf"):
            raise InvalidParameterError(
                f"utility {self.player}:{self.outcome} value must be finite; got {self.value!r}"
            )

    @property
    def prefix(self) -> str:
        """The parameter-name prefix (``name`` or ``u<player>(<outcome>)``)."""
        return self.name or f"u{self.player}({self.outcome})"


@dataclass(frozen=True)
class Scale:
    """``log σ = Z γ`` for the listed players (all players when ``players`` is None)."""

    formula: str
    players: tuple[str, ...] | None = None
    name: str = "log(sigma)"

    def __post_init__(self) -> None:
        _need_str(self.formula, "scale.formula")
        if self.players is not None:
            object.__setattr__(self, "players", tuple(self.players))


@dataclass(frozen=True)
class OutcomeSpec:
    """Where the observed outcome is: exactly one of ``column``, ``counts``, ``path``.

    ``column``
        one column of outcome labels (one play per row);
    ``counts``
        one count column per outcome label (units observed many times);
    ``path``
        per decision along the play path, the column holding the action taken
        there (its index or label), as R ``games`` codes ``esc + war``;
    ``offer`` (and optionally ``accept``)
        the ultimatum game: the offer made, and whether it was accepted (0/1).
    """

    column: str | None = None
    counts: Mapping[str, str] | None = None
    path: tuple[str, ...] | None = None
    offer: str | None = None
    accept: str | None = None

    def __post_init__(self) -> None:
        given = [x is not None for x in (self.column, self.counts, self.path, self.offer)]
        if sum(given) != 1:
            raise InvalidParameterError(
                "outcome: give exactly one of column, counts, path or offer; "
                f"got {sum(given)}"
            )
        if self.accept is not None and self.offer is None:
            raise InvalidParameterError("outcome: accept goes with offer (the ultimatum game)")
        if self.counts is not None:
            object.__setattr__(self, "counts", dict(self.counts))
        if self.path is not None:
            object.__setattr__(self, "path", tuple(self.path))


@dataclass(frozen=True)
class EstimationSpec:
    """A structural model to estimate: tree, utilities, errors, outcome.

    Examples
    --------
    >>> spec = EstimationSpec(
    ...     game="egame12",
    ...     utilities=(Utility("1", "1", "x"), Utility("2", "4", "z")),
    ...     outcome=OutcomeSpec(column="y"))
    >>> spec.errors, spec.link
    ('agent', 'probit')
    """

    game: str | GameTree
    utilities: tuple[Utility, ...]
    outcome: OutcomeSpec
    errors: str = "agent"
    link: str = "probit"
    scales: tuple[Scale, ...] = ()
    factors: Mapping[str, str] = field(default_factory=dict)
    missing: str = "raise"
    id: str = ""
    title: str = ""
    source: str = ""
    first_stage: str | None = None
    min_offer: float = 0.0
    max_offer: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "utilities", tuple(self.utilities))
        object.__setattr__(self, "scales", tuple(self.scales))
        object.__setattr__(self, "factors", dict(self.factors))
        if not isinstance(self.game, str | GameTree):
            raise InvalidParameterError(
                f"game must be a bundled game name, a .efg path or a GameTree; got {self.game!r}"
            )
        for name, allowed in (("errors", ERRORS), ("link", LINKS), ("missing", MISSING)):
            value = getattr(self, name)
            if value not in allowed:
                raise InvalidParameterError(
                    f"{name} must be one of {', '.join(allowed)}; got {value!r}"
                )
        if not self.utilities:
            raise InvalidParameterError("utilities: a spec needs at least one utility")
        if self.game == "ultimatum":
            if self.max_offer is None:
                raise InvalidParameterError("max_offer: the ultimatum game needs the largest offer")
            if self.outcome.offer is None:
                raise InvalidParameterError(
                    "outcome: the ultimatum game needs offer (and accept) columns"
                )
        elif self.outcome.offer is not None:
            raise InvalidParameterError("outcome.offer is for game = 'ultimatum' only")
        for u in self.utilities:
            if not isinstance(u, Utility):
                raise InvalidParameterError(f"utilities must be Utility objects; got {u!r}")

    def replace(self, **changes: Any) -> EstimationSpec:
        """A copy with some fields changed (validated again)."""
        from dataclasses import replace

        return replace(self, **changes)


# ---------------------------------------------------------------------- TOML
_TOP = {
    "game", "errors", "link", "missing", "outcome", "factors", "utility", "scale",
    "title", "source", "first_stage", "id", "min_offer", "max_offer",
}


def _table(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidParameterError(f"{what} must be a table; got {value!r}")
    return value


def _unknown(table: Mapping[str, Any], allowed: set[str], what: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise InvalidParameterError(
            f"{what}: unknown key {extra[0]!r}; allowed: {', '.join(sorted(allowed))}"
        )


def spec_from_dict(
    raw: Mapping[str, Any], base: Path | None = None, id: str = ""
) -> EstimationSpec:
    """Build a spec from a parsed TOML table (paths relative to *base*)."""
    _unknown(raw, _TOP, "spec")
    for key in ("game", "outcome", "utility"):
        if key not in raw:
            raise InvalidParameterError(f"spec: missing key {key!r}")
    game = raw["game"]
    if isinstance(game, str) and game.endswith(".efg") and base is not None:
        game = str((base / game).resolve())
    out = _table(raw["outcome"], "outcome")
    _unknown(out, {"column", "counts", "path", "offer", "accept"}, "outcome")
    counts = out.get("counts")
    if counts is not None:
        counts = {str(k): _need_str(v, f"outcome.counts.{k}") for k, v in
                  _table(counts, "outcome.counts").items()}
    path = out.get("path")
    if path is not None and (
        not isinstance(path, list) or not all(isinstance(p, str) for p in path)
    ):
        raise InvalidParameterError(f"outcome.path must be a list of column names; got {path!r}")
    outcome = OutcomeSpec(column=out.get("column"), counts=counts,
                          path=tuple(path) if path is not None else None,
                          offer=out.get("offer"), accept=out.get("accept"))
    offers: dict[str, float] = {}
    for key in ("min_offer", "max_offer"):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidParameterError(f"{key} must be a number; got {value!r}")
            offers[key] = float(value)
    utilities: list[Utility] = []
    items = raw["utility"]
    if not isinstance(items, list):
        raise InvalidParameterError("utility must be an array of tables ([[utility]])")
    for i, item in enumerate(items):
        item = _table(item, f"utility #{i + 1}")
        _unknown(item, {"player", "outcome", "formula", "value", "name"}, f"utility #{i + 1}")
        for key in ("player", "outcome"):
            if key not in item:
                raise InvalidParameterError(f"utility #{i + 1}: missing key {key!r}")
        if "formula" in item and "value" in item:
            raise InvalidParameterError(f"utility #{i + 1}: give formula or value, not both")
        utilities.append(Utility(
            player=str(item["player"]), outcome=str(item["outcome"]),
            formula=item.get("formula"), value=item.get("value", 0.0), name=item.get("name"),
        ))
    scales: list[Scale] = []
    if "scale" in raw:
        entries = raw["scale"] if isinstance(raw["scale"], list) else [raw["scale"]]
        for entry in entries:
            entry = _table(entry, "scale")
            _unknown(entry, {"formula", "players", "name"}, "scale")
            if "formula" not in entry:
                raise InvalidParameterError("scale: missing key 'formula'")
            players = entry.get("players")
            scales.append(Scale(
                formula=entry["formula"],
                players=tuple(str(p) for p in players) if players is not None else None,
                name=entry.get("name", "log(sigma)"),
            ))
    factors = {str(k): _need_str(v, f"factors.{k}")
               for k, v in _table(raw.get("factors", {}), "factors").items()}
    first_stage = raw.get("first_stage")
    return EstimationSpec(
        game=game, utilities=tuple(utilities), outcome=outcome,
        errors=raw.get("errors", "agent"), link=raw.get("link", "probit"),
        scales=tuple(scales), factors=factors, missing=raw.get("missing", "raise"),
        id=str(raw.get("id", id)), title=str(raw.get("title", "")),
        source=str(raw.get("source", "")),
        first_stage=str(first_stage) if first_stage is not None else None,
        **offers,
    )


def _spec_folder() -> Path:
    from importlib.resources import files

    return Path(str(files("coercion") / "data" / "specs"))


def bundled_specs() -> dict[str, Path]:
    """Bundled spec ids and their files.

    Examples
    --------
    >>> sorted(bundled_specs())  # doctest: +NORMALIZE_WHITESPACE
    ['egame12-war1800', 'egame12-war1800-logit', 'egame12-war1800-private',
     'egame12-war1800-scale', 'signaling-sanctions']
    """
    return {p.stem: p for p in sorted(_spec_folder().glob("*.toml"))}


def load_spec(spec: str | Path | EstimationSpec) -> EstimationSpec:
    """A spec from a bundled id, a TOML file, or a spec (returned as is).

    Raises
    ------
    InvalidParameterError
        For an unknown id, an unreadable file or a malformed spec (the message
        names the file and the key).
    """
    if isinstance(spec, EstimationSpec):
        return spec
    text = str(spec)
    bundled = bundled_specs()
    if text in bundled:
        path, sid = bundled[text], text
    else:
        path, sid = Path(text), Path(text).stem
        if not path.is_file():  # also refuses FIFOs, devices and folders
            raise InvalidParameterError(
                f"spec: no bundled spec or file {text!r} (a regular file); bundled: "
                f"{', '.join(bundled)}"
            )
    if path.stat().st_size > MAX_SPEC_BYTES:
        raise InvalidParameterError(
            f"spec: {path} has {path.stat().st_size} bytes, above the limit of {MAX_SPEC_BYTES}"
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidParameterError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidParameterError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InvalidParameterError(f"{path}: nested too deeply") from None
    try:
        return spec_from_dict(raw, base=path.parent, id=sid)
    except InvalidParameterError as exc:
        raise InvalidParameterError(f"{path}: {exc}") from None
