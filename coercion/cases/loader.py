"""Case files: one TOML file per episode, validated strictly, with provenance.

The format is documented in ``docs/case-format.md``.  Every number carries a
source; issue stakes and audience costs are judgements on ordinal scales,
mapped to US$ bn by the one global calibration
(:mod:`coercion.model.calibration`).  Unknown keys, missing keys, wrong
types, values out of range, broken TOML, empty or binary files raise
:class:`CaseFileError` naming the file and the field.
"""

from __future__ import annotations

import math
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coercion.cases._schema import CLARITY, ECONOMY_FIELDS, INSTRUMENT_FIELDS, TOP_LEVEL, Field
from coercion.errors import InvalidParameterError
from coercion.model.calibration import DEFAULT_CALIBRATION, LEVELS, Calibration
from coercion.model.game import OUTCOMES
from coercion.model.primitives import (
    INSTRUMENT_KINDS,
    STAKE_FIELDS,
    Actor,
    Instrument,
    Scenario,
    Stakes,
)

__all__ = ["Case", "CaseFileError", "ParameterValue", "index", "load", "parse_value"]


class CaseFileError(InvalidParameterError):
    """A case file is missing or malformed; the message names the file and the field."""

    def __init__(self, path: str, message: str, field: str | None = None) -> None:
        where = f"{path}: {field}" if field else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.field = field


@dataclass(frozen=True)
class ParameterValue:
    """A parameter's value and where it comes from.

    ``provenance`` is ``"sourced"`` (a number taken from its source),
    ``"judgement"`` (an ordinal level mapped by the global calibration, or a
    number whose note says it is an estimate derived from the source),
    ``"default"`` (the model's documented default) or ``"set"`` (overridden by
    the user).
    """

    value: Any
    provenance: str
    source: str | None = None
    unit: str = ""
    level: str | None = None


def _data_dir() -> Path:
    return Path(str(files("coercion") / "data" / "cases"))


def _type_name(v: Any) -> str:
    return {
        bool: "boolean",
        int: "integer",
        float: "float",
        str: "string",
        dict: "table",
        list: "array",
    }.get(type(v), type(v).__name__)


def _number(
    path: str, name: str, raw: Any, spec: Field, sources: Mapping[str, str]
) -> ParameterValue:
    if not isinstance(raw, dict):
        raise CaseFileError(
            path,
            f'must be a table {{ value = <number>, source = "<key>" }}; '
            f"got a {_type_name(raw)} ({raw!r})",
            name,
        )
    extra = set(raw) - {"value", "source", "note"}
    if extra:
        raise CaseFileError(
            path, f"unknown key(s) {sorted(extra)}; allowed: value, source, note", name
        )
    if "value" not in raw:
        raise CaseFileError(path, "missing key 'value'", name)
    if "source" not in raw:
        raise CaseFileError(path, "missing key 'source' (every number needs a source)", name)
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseFileError(
            path, f"value must be a number; got a {_type_name(value)} ({value!r})", name
        )
    _check_range(path, name, _as_float(path, name, value), spec)
    source = raw["source"]
    if not isinstance(source, str) or not source:
        raise CaseFileError(path, f"source must be a non-empty string; got {source!r}", name)
    if source not in sources:
        raise CaseFileError(path, f"source {source!r} is not a key of [sources]", name)
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise CaseFileError(path, f"note must be a string; got {note!r}", name)
    # a number the case author estimated from the cited facts is a judgement, not a datum
    provenance = "judgement" if note.lstrip().lower().startswith("estimate") else "sourced"
    return ParameterValue(float(value), provenance, source, spec.unit)


def _as_float(path: str, name: str, value: int | float) -> float:
    """*value* as a float; an integer beyond the float range is refused with one line."""
    try:
        return float(value)
    except OverflowError:
        digits = len(str(abs(int(value))))
        raise CaseFileError(
            path, f"must be finite; got an integer of {digits} digits (beyond float64)", name
        ) from None


def _check_range(path: str, name: str, x: float, spec: Field) -> None:
    if not math.isfinite(x):
        raise CaseFileError(path, f"must be finite; got {x!r}", name)
    below = x <= spec.low if spec.low_open else x < spec.low
    if below or x > spec.high:
        lo = "(" if spec.low_open else "["
        hi = "inf)" if math.isinf(spec.high) else f"{spec.high:g}]"
        raise CaseFileError(
            path, f"must lie in {lo}{spec.low:g}, {hi} ({spec.unit}); got {x!r}", name
        )


def _stake(path: str, name: str, raw: Any, sources: Mapping[str, str]) -> ParameterValue:
    if isinstance(raw, str):
        if raw not in LEVELS:
            raise CaseFileError(path, f"must be one of {list(LEVELS)}; got {raw!r}", name)
        return ParameterValue(raw, "judgement", None, "level", level=raw)
    if isinstance(raw, dict) and "level" in raw:
        extra = set(raw) - {"level", "note"}
        if extra:
            raise CaseFileError(path, f"unknown key(s) {sorted(extra)}; allowed: level, note", name)
        return _stake(path, name, raw["level"], sources)
    spec = Field(name, "US$ bn", 0, math.inf)
    if isinstance(raw, dict):
        return _number(path, name, raw, spec, sources)
    raise CaseFileError(
        path,
        f"must be a level {list(LEVELS)} or a table "
        f'{{ value = <US$ bn>, source = "<key>" }}; got {raw!r}',
        name,
    )


@dataclass(frozen=True, eq=False)
class Case:
    """A coercion episode from a case file.

    Attributes
    ----------
    id, title, year, coercer, target, demand, clarity, summary, notes : str / int
    observed : str or None
        The observed outcome label (``None`` for an open episode).
    path : Path
        The case file.
    sources : mapping
        Source key -> citation or URL.
    instrument_kind, counter_kind : str, str or None
    goods : (str, str or None)
    values : mapping
        Dotted path -> :class:`ParameterValue`, for every model parameter
        (defaults included).
    """

    id: str
    title: str
    year: int
    coercer: str
    target: str
    demand: str
    observed: str | None
    clarity: str
    summary: str
    notes: str
    path: Path
    sources: Mapping[str, str]
    instrument_kind: str
    counter_kind: str | None
    goods: tuple[str, str | None]
    values: Mapping[str, ParameterValue] = field(repr=False)
    demand_divisible: bool = False

    def with_values(self, overrides: Mapping[str, Any]) -> Case:
        """A copy with parameters replaced (``--set``); values are numbers or levels.

        Numbers may be numpy arrays or sympy expressions (for sweeps and
        symbolic analysis); stakes fields also take an ordinal level.
        """
        values = dict(self.values)
        for key, value in overrides.items():
            if key not in values:
                raise CaseFileError(
                    str(self.path), f"no such parameter; parameters are {sorted(values)}", key
                )
            old = values[key]
            if key.startswith("stakes.") and isinstance(value, str):
                if value not in LEVELS:
                    raise CaseFileError(
                        str(self.path),
                        f"must be one of {list(LEVELS)} or a number (US$ bn); got {_clip(value)}",
                        key,
                    )
                values[key] = ParameterValue(value, "set", None, "level", level=value)
                continue
            if isinstance(value, (bool, str)):
                raise CaseFileError(
                    str(self.path), f"must be a number; got {_clip(str(value))}", key
                )
            if isinstance(value, int):  # as the case file's numbers: a float, or refused
                value = _as_float(str(self.path), key, value)
            unit = "US$ bn" if old.unit == "level" else old.unit
            values[key] = ParameterValue(value, "set", None, unit)
        new = Case(**{**self.__dict__, "values": MappingProxyType(values)})
        new.scenario()  # validate now
        return new

    def numeric_value(self, key: str, calibration: Calibration = DEFAULT_CALIBRATION) -> Any:
        """The value of a parameter in model units (levels turned into US$ bn)."""
        pv = self.values[key]
        if pv.level is None:
            return pv.value
        name = key.split(".", 1)[1]
        base = STAKE_FIELDS[name]
        gdp = self.numeric_value(f"{base}_economy.gdp_usd_bn", calibration)
        return calibration.stake_value(name, pv.level, gdp)

    def scenario(self, calibration: Calibration = DEFAULT_CALIBRATION) -> Scenario:
        """The economic primitives of the case, in model units."""
        num = {k: self.numeric_value(k, calibration) for k in self.values}

        def instrument(prefix: str, kind: str, good: str | None) -> Instrument:
            kw = {n: num[f"{prefix}.{n}"] for n in INSTRUMENT_FIELDS if f"{prefix}.{n}" in num}
            return Instrument(kind, good or "", **kw)

        try:
            return Scenario(
                coercer=Actor(self.coercer, num["coercer_economy.gdp_usd_bn"]),
                target=Actor(self.target, num["target_economy.gdp_usd_bn"]),
                instrument=instrument("instrument", self.instrument_kind, self.goods[0]),
                counter=(
                    instrument("counter", self.counter_kind, self.goods[1])
                    if self.counter_kind is not None
                    else None
                ),
                stakes=Stakes(**{n: num[f"stakes.{n}"] for n in STAKE_FIELDS}),
                title=self.title,
                demand_divisible=self.demand_divisible,
            )
        except InvalidParameterError as exc:
            raise CaseFileError(str(self.path), str(exc)) from None


def _check_keys(path: str, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = set(table) - allowed
    if extra:
        name = sorted(extra)[0]
        raise CaseFileError(
            path,
            f"unknown key; allowed keys are {sorted(allowed)}",
            f"{where}{name}" if where else name,
        )


def _parse_instrument(
    path: str,
    prefix: str,
    table: Any,
    sources: Mapping[str, str],
    values: dict[str, ParameterValue],
) -> tuple[str, str]:
    if not isinstance(table, dict):
        raise CaseFileError(path, f"must be a table; got {table!r}", prefix)
    kind = table.get("kind")
    if kind is None:
        raise CaseFileError(path, "missing key", f"{prefix}.kind")
    if kind not in INSTRUMENT_KINDS:
        raise CaseFileError(
            path, f"must be one of {list(INSTRUMENT_KINDS)}; got {kind!r}", f"{prefix}.kind"
        )
    good = table.get("good")
    if not isinstance(good, str) or not good:
        raise CaseFileError(path, f"must be a non-empty string; got {good!r}", f"{prefix}.good")
    applicable = {n for n, f in INSTRUMENT_FIELDS.items() if not f.kinds or kind in f.kinds}
    _check_keys(path, table, applicable | {"kind", "good"}, f"{prefix}.")
    for name in INSTRUMENT_FIELDS:
        spec = INSTRUMENT_FIELDS[name]
        key = f"{prefix}.{name}"
        if name in table:
            values[key] = _number(path, key, table[name], spec, sources)
        elif name not in applicable:
            continue
        elif spec.default is None:
            raise CaseFileError(path, f"missing key (required for kind {kind!r})", key)
        else:
            values[key] = ParameterValue(spec.default, "default", None, spec.unit)
    return kind, good


def parse_case(text: str, path: str) -> Case:
    """Parse and validate the text of a case file (*path* is used in messages)."""
    if not text.strip():
        raise CaseFileError(path, "the file is empty")
    try:
        data = _toml_loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(path, f"not valid TOML: {exc}") from None
    except _TomlLimit as exc:
        raise CaseFileError(path, f"not valid TOML here: {exc}") from None
    _check_keys(path, data, set(TOP_LEVEL), "")
    for key, (kind, required) in TOP_LEVEL.items():
        if key not in data:
            if required:
                raise CaseFileError(path, "missing key", key)
            continue
        if _type_name(data[key]) != kind:
            raise CaseFileError(
                path, f"must be a {kind}; got a {_type_name(data[key])} ({data[key]!r})", key
            )
    stem = Path(path).stem
    if data["id"] != stem:
        raise CaseFileError(path, f"must equal the file name {stem!r}; got {data['id']!r}", "id")
    if data["clarity"] not in CLARITY:
        raise CaseFileError(
            path, f"must be one of {list(CLARITY)}; got {data['clarity']!r}", "clarity"
        )
    observed = data.get("observed")
    if observed is not None and observed not in OUTCOMES:
        raise CaseFileError(path, f"must be one of {list(OUTCOMES)}; got {observed!r}", "observed")
    sources = data["sources"]
    for key, cite in sources.items():
        if not isinstance(cite, str) or not cite.strip():
            raise CaseFileError(
                path, f"must be a citation or URL string; got {cite!r}", f"sources.{key}"
            )
    values: dict[str, ParameterValue] = {}
    for side in ("coercer_economy", "target_economy"):
        table = data[side]
        _check_keys(path, table, set(ECONOMY_FIELDS), f"{side}.")
        for name, spec in ECONOMY_FIELDS.items():
            if name not in table:
                raise CaseFileError(path, "missing key", f"{side}.{name}")
            values[f"{side}.{name}"] = _number(path, f"{side}.{name}", table[name], spec, sources)
    kind, good = _parse_instrument(path, "instrument", data["instrument"], sources, values)
    counter_kind: str | None = None
    counter_good: str | None = None
    if "counter" in data:
        counter_kind, counter_good = _parse_instrument(
            path, "counter", data["counter"], sources, values
        )
    stakes = data["stakes"]
    _check_keys(path, stakes, set(STAKE_FIELDS), "stakes.")
    for name in STAKE_FIELDS:
        key = f"stakes.{name}"
        if name in stakes:
            values[key] = _stake(path, key, stakes[name], sources)
        elif name in ("coercer_issue", "target_issue"):
            raise CaseFileError(path, "missing key", key)
        else:
            values[key] = ParameterValue("none", "default", None, "level", level="none")
    case = Case(
        id=data["id"],
        title=data["title"],
        year=data["year"],
        coercer=data["coercer"],
        target=data["target"],
        demand=data["demand"],
        observed=observed,
        clarity=data["clarity"],
        summary=data["summary"],
        notes=data.get("notes", ""),
        path=Path(path),
        sources=MappingProxyType(dict(sources)),
        instrument_kind=kind,
        counter_kind=counter_kind,
        goods=(good, counter_good),
        values=MappingProxyType(values),
        demand_divisible=bool(data.get("demand_divisible", False)),
    )
    case.scenario()  # cross-field checks (e.g. V_T + R_T > 0)
    return case


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(str(path), "no such file") from None
    except IsADirectoryError:
        raise CaseFileError(str(path), "is a directory, not a case file") from None
    except OSError as exc:
        raise CaseFileError(str(path), f"cannot read: {exc.strerror}") from None
    if b"\x00" in raw:
        raise CaseFileError(str(path), "is a binary file, not a TOML case file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseFileError(str(path), f"is not UTF-8 text (byte {exc.start})") from None


def load(id_or_path: str | Path) -> Case:
    """Load a bundled case by id, or a case file by path.

    Examples
    --------
    >>> case = load("japan-china-2010")
    >>> case.coercer, case.target, case.observed
    ('China', 'Japan', 'concession')
    """
    text_id = str(id_or_path)
    bundled = _data_dir() / f"{text_id}.toml"
    if "/" not in text_id and not text_id.endswith(".toml") and bundled.exists():
        path = bundled
    else:
        path = Path(id_or_path)
        if not path.exists() and "/" not in text_id and not text_id.endswith(".toml"):
            known = ", ".join(c.id for c in _iter_bundled())
            raise CaseFileError(
                text_id, f"no bundled case with this id and no such file; bundled cases: {known}"
            )
    return parse_case(_read(path), str(path))


def _iter_bundled() -> Iterator[Case]:
    for p in sorted(_data_dir().glob("*.toml")):
        yield parse_case(_read(p), str(p))


def index() -> list[Case]:
    """Every bundled case, sorted by year then id."""
    return sorted(_iter_bundled(), key=lambda c: (c.year, c.id))


class _TomlLimit(Exception):
    """TOML that tomllib cannot take in: an integer too long to convert, nesting too deep."""


def _clip(text: str, limit: int = 60) -> str:
    """``repr`` of *text*, shortened to about *limit* characters for a one-line message."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text):,} characters)"


def _toml_loads(text: str) -> dict[str, Any]:
    """:func:`tomllib.loads`, with its non-TOML failures turned into :class:`_TomlLimit`."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise _TomlLimit(
            "arrays or inline tables nested too deeply (more than Python's recursion limit "
            "allows, about 400 levels)"
        ) from None
    except tomllib.TOMLDecodeError:
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise _TomlLimit(
            f"an integer has more than {sys.get_int_max_str_digits()} digits (Python's limit "
            "for reading an integer); no parameter takes a number that large"
        ) from None


def parse_value(text: str) -> Any:
    """Parse the VALUE of ``--set PATH=VALUE`` as a TOML value (never evaluated as code).

    Examples
    --------
    >>> parse_value("0.52"), parse_value('"high"'), parse_value("high")
    (0.52, 'high', 'high')
    """
    try:
        return _toml_loads(f"v = {text}")["v"]
    except _TomlLimit as exc:
        raise InvalidParameterError(
            f"--set: cannot parse {_clip(text)} as a value: {exc}"
        ) from None
    except tomllib.TOMLDecodeError:
        bare = text.strip()
        if bare in LEVELS:
            return bare
        raise InvalidParameterError(
            f"--set: cannot parse {_clip(text)} as a TOML value"
        ) from None
