"""Bundled data sets for estimation: ``coercion.datasets.load(id) -> DataFrame``.

Origins, citations and terms are in ``coercion/data/datasets/README.md`` and
:func:`info`.

Examples
--------
>>> from coercion import datasets
>>> sorted(datasets.DATASETS)
['case-covariates', 'sanctions-signaling', 'sanctions-signaling-first-stage', 'war1800']
>>> frame = datasets.load("sanctions-signaling")
>>> len(frame), int(frame[["sq", "cd", "sf", "bd"]].to_numpy().sum())
(418, 49704)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coercion.errors import InvalidParameterError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATASETS", "Dataset", "info", "load", "path"]


@dataclass(frozen=True)
class Dataset:
    """A bundled data set: its file, what it is and whom to cite."""

    id: str
    file: str
    description: str
    citation: str
    terms: str


DATASETS: dict[str, Dataset] = {
    "sanctions-signaling": Dataset(
        "sanctions-signaling",
        "sanctions-signaling.csv",
        "418 directed dyad-decades, 1970s-1990s: monthly counts of no challenge (sq), "
        "concession (cd), sanctions imposed (sf), challenger backs down (bd), and covariates",
        "Crisman-Cox & Gibilisco (2021), Estimating Signaling Games in International "
        "Relations: Problems and Solutions, PSRM; TIES (Morgan, Bapat & Kobayashi 2014)",
        "no licence stated in the replication archive; facts compiled from public data sets",
    ),
    "sanctions-signaling-first-stage": Dataset(
        "sanctions-signaling-first-stage",
        "sanctions-signaling-first-stage.csv",
        "the random-forest first stage (p_resist, p_firm per gameID) behind the paper's "
        "pseudo-likelihood estimates",
        "Crisman-Cox & Gibilisco (2021), PSRM",
        "as sanctions-signaling",
    ),
    "case-covariates": Dataset(
        "case-covariates",
        "case-covariates.csv",
        "the bundled coercion episodes coded on the sanctions-signaling covariates "
        "(sources and judgements per value in case-covariates.md); outside that data's "
        "1970s-1990s sample",
        "coercion case library; World Bank, Polity5, COW NMC v6.0, COW contiguity, ATOP",
        "compiled facts and the coders' judgements; see case-covariates.md",
    ),
    "war1800": Dataset(
        "war1800",
        "war1800.csv",
        "313 directed dyads in militarized disputes in the 1800s: escalation (esc), war "
        "(war) and covariates",
        "Kenkel & Signorino (2014), Estimating Extensive Form Games in R, JSS 56(8); "
        "Correlates of War MID data",
        "distributed with the R package games (GPL-2); Correlates of War facts",
    ),
}


def _folder() -> Path:
    from importlib.resources import files

    return Path(str(files("coercion") / "data" / "datasets"))


def _get(id: str) -> Dataset:
    try:
        return DATASETS[id]
    except KeyError:
        raise InvalidParameterError(
            f"dataset: unknown id {id!r}; bundled: {', '.join(sorted(DATASETS))}"
        ) from None


def path(id: str) -> Path:
    """The bundled file of data set *id*."""
    return _folder() / _get(id).file


def info(id: str) -> Dataset:
    """Origin, citation and terms of data set *id*."""
    return _get(id)


def load(id: str) -> pd.DataFrame:
    """Data set *id* as a pandas DataFrame.

    Raises
    ------
    InvalidParameterError
        For an unknown id (the message lists the bundled ones).
    MissingDependencyError
        When pandas is not installed.
    """
    target = path(id)
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is a dependency
        raise MissingDependencyError("coercion.datasets needs pandas: pip install pandas") from exc
    dtype = {"gameID": str, "dyadID": str} if id.startswith("sanctions") else None
    return pd.read_csv(target, dtype=dtype)
