"""A bond survey as a consultant gets it: a file and a scales file, read, scored and checked in
one call (what ``customer-value bonds`` and the relationship report run)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from .._util import check_number
from ..io import InputError, read_table
from .scales import BondScores, FactorCheck, read_scales, score_bonds


@dataclass
class SurveyAnalysis:
    """A bond survey file read, scored and checked; made by :func:`analyze_survey`.

    ``path``: the survey file; ``bonds``: :class:`BondScores`; ``factors``: the
    :class:`FactorCheck`, or None when the survey is too small or an item does not vary, with
    the reason in ``factors_note``.

    >>> from customer_value import datasets
    >>> res = analyze_survey(datasets.path("bond_survey"), datasets.path("bond_scales"))
    >>> res.summary()["alpha"].round(2).tolist()
    [0.83, 0.82, 0.88]
    """

    path: str
    bonds: BondScores
    factors: FactorCheck | None
    factors_note: str | None = None

    def summary(self) -> pd.DataFrame:
        """The reliability table (:meth:`BondScores.reliability`)."""
        return self.bonds.reliability()

    def to_frame(self) -> pd.DataFrame:
        """The scores per respondent (:meth:`BondScores.to_frame`)."""
        return self.bonds.to_frame()

    def plot(self, ax=None, **kwargs):
        """Bar chart of the level distribution (:meth:`BondScores.plot`)."""
        return self.bonds.plot(ax=ax, **kwargs)


def analyze_survey(
    survey: str | os.PathLike,
    scales,
    *,
    respondent: str | None = None,
    min_items: int | None = None,
    threshold: float = 5.0,
    n_factors: int | None = None,
    seed=0,
    sheet: str | int | None = 0,
    encoding: str | None = None,
) -> SurveyAnalysis:
    """Read a bond survey file (CSV in any encoding, Excel, Parquet; :func:`customer_value.io.
    read_table`) and its scales file, score the bonds (:func:`score_bonds`) and run the factor
    check (:meth:`BondScores.factor_check`), which is skipped with a note, not an error, when
    the survey is too small for it. Every error names the file it is about.

    >>> from customer_value import datasets
    >>> res = analyze_survey(datasets.path("bond_survey"), datasets.path("bond_scales"),
    ...                      respondent="respondent_id")
    >>> res.factors.separates, res.bonds.level_distribution()["respondents"].tolist()
    (True, [274, 125, 98, 103])
    """
    scales = read_scales(scales)
    check_number("threshold", threshold, lo=scales.scale_min, hi=scales.scale_max, scalar=True)
    data = read_table(survey, sheet=sheet, encoding=encoding)
    try:
        bonds = score_bonds(
            data, scales, respondent=respondent, min_items=min_items, threshold=threshold
        )
    except InputError as err:
        raise err.with_source(survey) from None
    try:
        factors, note = bonds.factor_check(n_factors=n_factors, seed=seed), None
    except InputError as err:
        factors, note = None, err.detail
    return SurveyAnalysis(path=str(survey), bonds=bonds, factors=factors, factors_note=note)
