"""Fitting an experience curve (经验曲线, Wright's law) to a cost series: statsmodels OLS on the
logarithms, with standard errors, confidence and prediction intervals.

:func:`fit_experience_curve` returns an :class:`ExperienceCurveFit`: fitted parameters as
attributes with a trailing underscore (``params_``, ``se_``, ``progress_ratio_`` …),
``summary()`` (one row per parameter), ``forecast()`` (cost at new cumulative volumes with
confidence and prediction intervals), ``to_frame()`` (the data with fitted values),
``to_text()`` (the printed report of the command line) and ``plot()``.

Sources: Wright (1936), "Factors affecting the cost of airplanes", *Journal of the Aeronautical
Sciences* 3(4); Henderson (1968), *Perspectives on Experience*, BCG; Nagy, Farmer, Bui & Trancik
(2013), "Statistical basis for predicting technological progress", *PLOS ONE* 8(2):e52669;
Newey & West (1987), *Econometrica* 55(3) (autocorrelation-robust standard errors).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import axes, check_number, fmt, source_of
from ..io import InputError, example_rows
from ._base import _columns, _numeric_column

__all__ = ["ExperienceCurveFit", "fit_experience_curve"]

_SUMMARY_COLUMNS = ["parameter", "estimate", "std_err", "ci_low", "ci_high"]


class ExperienceCurveFit:
    """Wright's law log c = a + b·log N fitted by OLS on logs (see :func:`fit_experience_curve`).

    Fitted values: ``params_`` (a Series: ``a``, the log cost at N = 1, and ``b``, the slope),
    ``se_`` (their standard errors), ``cov_``; ``progress_ratio_`` = 2^b, ``learning_rate_`` =
    1 − 2^b and ``first_unit_cost_`` = e^a, with (1 − alpha) confidence intervals
    ``b_ci_``, ``progress_ratio_ci_``, ``learning_rate_ci_`` (the endpoints of the t-interval of
    b, transformed); ``r_squared_``, ``n_obs_``, ``durbin_watson_`` (of the log residuals: about
    2 for independent errors, towards 0 for positive autocorrelation) and ``results_`` (the
    statsmodels OLS results). ``cumulative_basis`` says whether N counts the current period's
    production (``"including"``) or not (``"before"``); ``cumulative_used`` says how N was
    formed; ``cov_type`` is ``"nonrobust"`` or ``"HAC"`` (Newey–West, ``maxlags`` lags).

    >>> N = np.array([1, 2, 4, 8.0])
    >>> fit = fit_experience_curve(pd.DataFrame({"cost": 50 * N ** math.log2(0.9),
    ...                                          "cumulative": N}), includes_current=True)
    >>> round(fit.progress_ratio_, 6), round(fit.first_unit_cost_, 6), fit.cumulative_basis
    (0.9, 50.0, 'including')
    """

    def __init__(self, results, data, *, cost, alpha, basis, used, cov_type, maxlags):
        from statsmodels.stats.stattools import durbin_watson

        self.results_ = results
        self.alpha, self.cost, self.cov_type, self.maxlags = alpha, cost, cov_type, maxlags
        self.cumulative_basis, self.cumulative_used = basis, used
        self._data = data
        params = np.asarray(results.params, dtype=float)
        se = np.asarray(results.bse, dtype=float)
        self.params_ = pd.Series(params, index=["a", "b"], name="estimate")
        self.se_ = pd.Series(se, index=["a", "b"], name="std_err")
        self.cov_ = pd.DataFrame(
            np.asarray(results.cov_params()), index=["a", "b"], columns=["a", "b"]
        )
        ci = np.asarray(results.conf_int(alpha), dtype=float)
        self._ci = {
            "a": (float(ci[0, 0]), float(ci[0, 1])),
            "b": (float(ci[1, 0]), float(ci[1, 1])),
        }
        b, (lo, hi) = float(params[1]), self._ci["b"]
        self.b_ci_ = (lo, hi)
        self.progress_ratio_ = 2**b
        self.progress_ratio_ci_ = (2**lo, 2**hi)
        self.learning_rate_ = 1 - 2**b
        self.learning_rate_ci_ = (1 - 2**hi, 1 - 2**lo)
        self.first_unit_cost_ = math.exp(params[0])
        self.r_squared_ = float(results.rsquared)
        self.n_obs_ = int(results.nobs)
        self.durbin_watson_ = float(durbin_watson(results.resid))

    @property
    def doublings_spanned(self) -> float:
        """How many doublings of cumulative volume the data span: log₂(N_last / N_first)."""
        n = self._data["cumulative_used"]
        return float(np.log2(n.max() / n.min()))

    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors and (1 − alpha) confidence intervals, one row per
        parameter: ``b``, ``a``, ``progress_ratio``, ``learning_rate``, ``first_unit_cost``
        (the last three transform the interval of b or a, so they have no standard error).
        R², n, the level and the cumulative count are in ``attrs``.

        >>> N = np.array([1, 2, 4, 8.0])
        >>> fit = fit_experience_curve(pd.DataFrame({"cost": 100 * N ** -0.5, "cumulative": N}))
        >>> fit.summary()["parameter"].tolist()
        ['b', 'a', 'progress_ratio', 'learning_rate', 'first_unit_cost']
        """
        a_lo, a_hi = self._ci["a"]
        rows = [
            ("b", self.params_["b"], self.se_["b"], *self.b_ci_),
            ("a", self.params_["a"], self.se_["a"], a_lo, a_hi),
            ("progress_ratio", self.progress_ratio_, np.nan, *self.progress_ratio_ci_),
            ("learning_rate", self.learning_rate_, np.nan, *self.learning_rate_ci_),
            ("first_unit_cost", self.first_unit_cost_, np.nan, math.exp(a_lo), math.exp(a_hi)),
        ]
        out = pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)
        out.attrs.update(
            confidence=1 - self.alpha,
            r_squared=self.r_squared_,
            n_obs=self.n_obs_,
            cumulative_basis=self.cumulative_basis,
            cumulative_used=self.cumulative_used,
            cov_type=self.cov_type,
        )
        return out

    def to_frame(self) -> pd.DataFrame:
        """The data used, with the cumulative volume used (``cumulative_used``), the fitted cost
        (back-transformed, the fitted median) and the log residuals."""
        out = self._data.copy()
        out["fitted_cost"] = np.exp(np.asarray(self.results_.fittedvalues))
        out["log_residual"] = np.asarray(self.results_.resid)
        return out

    def forecast(
        self,
        cumulative: Sequence[float] | float | None = None,
        *,
        doublings: int | None = None,
        alpha: float | None = None,
    ) -> pd.DataFrame:
        """Predicted cost at new cumulative volumes, with confidence and prediction intervals.

        Give the volumes (``cumulative``) or a number of ``doublings`` beyond the largest
        cumulative volume of the data (then N = N_last·2, N_last·4, …). Uses statsmodels
        ``get_prediction`` on the log scale and back-transforms with exp, so ``cost`` is the
        fitted *median* cost; ``ci_low``/``ci_high`` bound the fitted line and
        ``pi_low``/``pi_high`` a new observation (level 1 − alpha, default the fit's);
        ``doublings_ahead`` is log₂(N / N_last).

        >>> N = np.array([1, 2, 4, 8.0])
        >>> fit = fit_experience_curve(pd.DataFrame({"cost": 100 * N ** math.log2(0.8),
        ...                                          "cumulative": N}))
        >>> fit.forecast(doublings=1)["cost"].round(4).tolist()     # 100·0.8⁴
        [40.96]
        """
        last = float(self._data["cumulative_used"].max())
        if (cumulative is None) == (doublings is None):
            raise InputError("give the cumulative volumes to forecast or doublings=, not both")
        if doublings is not None:
            k = check_number("doublings", doublings, lo=1, integer=True, scalar=True)
            N = last * 2.0 ** np.arange(1, k + 1)
        else:
            N = np.atleast_1d(check_number("cumulative", cumulative, lo=0, lo_open=True))
        alpha = (
            self.alpha
            if alpha is None
            else check_number("alpha", alpha, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
        )
        exog = np.column_stack([np.ones_like(N), np.log(N)])
        sf = self.results_.get_prediction(exog).summary_frame(alpha=alpha)
        out = pd.DataFrame(
            {
                "cumulative": N,
                "doublings_ahead": np.log2(N / last),
                "cost": np.exp(sf["mean"].to_numpy()),
                "ci_low": np.exp(sf["mean_ci_lower"].to_numpy()),
                "ci_high": np.exp(sf["mean_ci_upper"].to_numpy()),
                "pi_low": np.exp(sf["obs_ci_lower"].to_numpy()),
                "pi_high": np.exp(sf["obs_ci_upper"].to_numpy()),
            }
        )
        out.attrs["confidence"] = 1 - alpha
        return out

    def estimates_table(self, forecast: Sequence[float] | None = None) -> pd.DataFrame:
        """:meth:`summary` and, for each volume in ``forecast``, the predicted cost with its
        intervals, as one table for export: columns parameter, estimate, std_err, ci_low,
        ci_high, pi_low, pi_high, confidence, cumulative_basis, cumulative_used, cost_column.

        >>> N = np.array([1, 2, 4, 8.0])
        >>> fit = fit_experience_curve(pd.DataFrame({"cost": 10 / N, "cumulative": N}))
        >>> fit.estimates_table(forecast=[16])["parameter"].iloc[-1]
        'cost at cumulative 16'
        """
        out = self.summary().assign(pi_low=np.nan, pi_high=np.nan)
        if forecast:
            fc = self.forecast(forecast)
            rows = pd.DataFrame(
                {
                    "parameter": [f"cost at cumulative {fmt(float(n))}" for n in fc["cumulative"]],
                    "estimate": fc["cost"],
                    "std_err": np.nan,
                    "ci_low": fc["ci_low"],
                    "ci_high": fc["ci_high"],
                    "pi_low": fc["pi_low"],
                    "pi_high": fc["pi_high"],
                }
            )
            out = pd.concat([out, rows], ignore_index=True)
        return out.assign(
            confidence=1 - self.alpha,
            cumulative_basis=self.cumulative_basis,
            cumulative_used=self.cumulative_used,
            cost_column=self.cost,
        )

    def _level(self) -> str:
        return f"{100 * (1 - self.alpha):g}%"

    def __str__(self) -> str:
        lr_lo, lr_hi = self.learning_rate_ci_
        pr_lo, pr_hi = self.progress_ratio_ci_
        se = "OLS" if self.cov_type == "nonrobust" else f"Newey–West (HAC, {self.maxlags} lags)"
        return "\n".join(
            [
                f"Experience curve (Wright's law), OLS on logs, n = {self.n_obs_}, "
                f"R² = {self.r_squared_:.4f}",
                f"cumulative volume: {self.cumulative_used}",
                f"b = {self.params_['b']:.4f} ({self._level()} CI {self.b_ci_[0]:.4f} to "
                f"{self.b_ci_[1]:.4f}), se(b) = {self.se_['b']:.4f} ({se})",
                f"progress ratio = {self.progress_ratio_:.4f} ({pr_lo:.4f} to {pr_hi:.4f})",
                f"learning rate = {self.learning_rate_:.2%} ({lr_lo:.2%} to {lr_hi:.2%})",
                f"first-unit cost exp(a) = {self.first_unit_cost_:.4g}, "
                f"Durbin–Watson = {self.durbin_watson_:.2f}",
            ]
        )

    def to_text(self, forecast: Sequence[float] | None = None) -> str:
        """The fit as the command line prints it: the headline figures, the table of
        estimates with their confidence intervals and, for each volume in ``forecast``, the
        predicted cost with its confidence and prediction intervals.

        >>> N = np.array([1, 2, 4, 8.0])
        >>> fit = fit_experience_curve(pd.DataFrame({"cost": 10 / N, "cumulative": N}))
        >>> print(fit.to_text().splitlines()[3])
        progress ratio = 0.5000 (0.5000 to 0.5000)
        """
        s = self.summary()
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            parts = [
                str(self),
                "",
                f"{self._level()} confidence intervals:",
                s.to_string(index=False, float_format=lambda v: f"{v:.4f}", na_rep=""),
            ]
            if forecast:
                fc = self.forecast(forecast)
                shown = fc.assign(
                    cumulative=[np.format_float_positional(v, trim="-") for v in fc["cumulative"]]
                )
                parts += [
                    "",
                    "forecast (cost = fitted median; ci: the line, pi: a new observation, "
                    f"{self._level()}):",
                    shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"),
                ]
        return "\n".join(parts)

    def plot(self, ax=None, extend_to: float | None = None):
        """Log–log plot of the data, the fitted line and its prediction band (extended to
        cumulative volume ``extend_to``); returns the Axes."""
        ax = axes(ax)
        N = self._data["cumulative_used"].to_numpy()
        hi = N.max() if extend_to is None else max(N.max(), float(extend_to))
        grid = np.geomspace(N.min(), hi, 100)
        fc = self.forecast(grid)
        ax.fill_between(
            grid,
            fc["pi_low"],
            fc["pi_high"],
            color="#2a9d8f",
            alpha=0.2,
            label=f"{self._level()} prediction band",
        )
        ax.plot(
            grid,
            fc["cost"],
            color="#264653",
            label=f"fit: PR = {self.progress_ratio_:.3f} (b = {self.params_['b']:.3f})",
        )
        ax.scatter(N, self._data[self.cost], color="#e76f51", s=18, zorder=3, label="data")
        ax.set(
            xscale="log",
            yscale="log",
            xlabel=f"cumulative volume ({self.cumulative_basis} current period)",
            ylabel=self.cost,
            title="Experience curve (log–log)",
        )
        ax.legend()
        return ax

    def __repr__(self) -> str:
        return (
            f"ExperienceCurveFit(b={self.params_['b']:.4g}, progress_ratio="
            f"{self.progress_ratio_:.4g}, n_obs={self.n_obs_})"
        )


def fit_experience_curve(
    data: pd.DataFrame,
    cost: str = "cost",
    cumulative: str = "cumulative",
    includes_current: bool = False,
    production: str | None = None,
    alpha: float = 0.05,
    cov_type: str = "nonrobust",
    maxlags: int | None = None,
) -> ExperienceCurveFit:
    """Fit Wright's law log c = a + b·log N by OLS on logs (statsmodels), with intervals for b,
    the progress ratio 2^b and the learning rate 1 − 2^b.

    ``cumulative`` names the column of cumulative volume. ``includes_current=False`` (default)
    means it counts production *before* the period (its first value may be small); ``True``
    means it includes the period's own production. Giving ``production`` (a column of the
    period's production) with ``includes_current=False`` forms cumulative-including =
    before + production and fits on that. The result's ``cumulative_basis`` and
    ``cumulative_used`` say which count was used: the learning rate differs between them.
    ``cov_type="HAC"`` uses Newey–West standard errors, robust to the autocorrelation of a cost
    series, with ``maxlags`` lags (default ⌊4·(n/100)^(2/9)⌋, Newey & West 1994). Non-positive or
    missing costs or volumes raise an InputError naming the column and rows.

    Sources: Wright (1936); Henderson (BCG, 1968); for fitting on real series and the choice of
    cumulative count, Nagy, Farmer, Bui & Trancik (2013), *PLOS ONE* 8(2):e52669; Newey & West
    (1987), *Econometrica* 55(3).

    >>> N = np.array([1, 2, 4, 8, 16.0])
    >>> fit = fit_experience_curve(pd.DataFrame({"cost": 100 * N ** math.log2(0.8),
    ...                                          "cumulative": N}))
    >>> round(fit.progress_ratio_, 9)
    0.8
    """
    import statsmodels.api as sm

    f = "fit_experience_curve"
    _columns(data, f, {"cost": cost, "cumulative": cumulative, "production": production})
    alpha = check_number("alpha", alpha, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
    if cov_type not in ("nonrobust", "HAC"):
        raise InputError(f"cov_type must be 'nonrobust' or 'HAC'; got {cov_type!r}")
    if production is not None and includes_current:
        raise InputError(
            f"{f}: give production= or includes_current=True, not both: production="
            f"{production!r} adds the current period to a cumulative-before column, and with "
            f"includes_current=True column {cumulative!r} already counts it"
        )
    c = _numeric_column(data, cost, f, what="> 0 for a log fit")
    N = _numeric_column(
        data,
        cumulative,
        f,
        lo=0,
        lo_open=production is None,
        what=None if production is not None else "> 0 for a log fit",
    )
    if production is not None:
        N = N + _numeric_column(data, production, f, lo=0, lo_open=False)
        bad = N <= 0
        if bad.any():
            raise InputError(
                f"{f}: {cumulative!r} + {production!r} must be > 0 for a log fit; "
                "offending rows:\n" + example_rows(data, bad, [cumulative, production]),
                source=source_of(data),
                columns=[cumulative, production],
            )
        basis = "including"
        used = f"including the current period ({cumulative!r} + {production!r})"
    elif includes_current:
        basis, used = "including", f"including the current period ({cumulative!r} as given)"
    else:
        basis, used = "before", f"before the current period ({cumulative!r} as given)"
    if len(c) < 3:
        raise InputError(
            f"{f}: need at least 3 rows to fit and give intervals; got {len(c)}",
            source=source_of(data),
        )
    if np.ptp(np.log(N)) == 0:
        raise InputError(
            f"{f}: column {cumulative!r} has a single value; cannot fit a slope",
            source=source_of(data),
        )
    X = sm.add_constant(np.log(N), has_constant="add")
    model = sm.OLS(np.log(c), X)
    if cov_type == "HAC":
        lags = (
            math.floor(4 * (len(c) / 100) ** (2 / 9))
            if maxlags is None
            else check_number("maxlags", maxlags, lo=1, integer=True, scalar=True)
        )
        res = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    else:
        lags = None
        res = model.fit()
    used_frame = data.reset_index(drop=True).copy()
    used_frame["cumulative_used"] = N
    return ExperienceCurveFit(
        res,
        used_frame,
        cost=cost,
        alpha=alpha,
        basis=basis,
        used=used,
        cov_type=cov_type,
        maxlags=lags,
    )
