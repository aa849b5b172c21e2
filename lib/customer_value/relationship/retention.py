"""Retention by relationship level: Kaplan–Meier curves and the log-rank test, the Cox model
with its proportional-hazards test, a logit of switching intention, and what retention is
worth (CLV per level, the value of a retention gain, the sBG projection per level).

statsmodels fits the models (``SurvfuncRight``, ``survdiff``, ``PHReg``, ``Logit``); the
library adds the checks of a user's columns, tidy tables and plots. The Grambsch–Therneau test
of proportional hazards is computed here from statsmodels' Schoenfeld residuals, because
statsmodels has none (it is tested against an independent computation).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._util import check_number, source_of
from ..io import InputError
from ._common import (
    binary_column,
    fail,
    fit_quietly,
    frame,
    level_groups,
    numeric_column,
    period_numbers,
    raw_missing,
    require,
    z_value,
)
from .plots import plot_hazard_ratios, plot_odds_ratios, plot_retention, plot_survival


def _survival_inputs(
    data: pd.DataFrame, duration: str, event: str, func: str
) -> tuple[np.ndarray, np.ndarray]:
    require(data, [duration, event], func)
    t = numeric_column(data, duration, func)
    bad = ~(t > 0)
    if bad.any():
        fail(
            data,
            f"{func}: durations in {duration!r} must be > 0 (time from the start of observation "
            "to churn or censoring):",
            bad,
            duration,
        )
    e = binary_column(data, event, func, "event: 1 = churned, 0 = still a customer (censored)")
    return t, e


class SurvivalByLevel:
    """Kaplan–Meier survival per group with a log-rank test; made by :func:`survival_by_level`.

    ``fits_`` maps each group to its statsmodels ``SurvfuncRight``; ``order`` lists the groups,
    ``by`` is the group column and ``alpha`` the level of the pointwise bands.

    >>> data = pd.DataFrame({"t": [1, 2, 3, 4, 2, 5, 6, 6], "e": [1, 1, 1, 0, 0, 1, 0, 0],
    ...                      "level": ["none"] * 4 + ["structural"] * 4})
    >>> km = survival_by_level(data, duration="t", event="e")
    >>> km.order, round(float(km.logrank()["statistic"]), 2)
    (['none', 'structural'], 3.8)
    """

    def __init__(self, fits, time, event, groups, order, by, alpha):
        self.fits_ = fits
        self._time, self._event, self._groups = time, event, groups
        self.order = order
        self.by = by
        self.alpha = alpha

    @staticmethod
    def _at(sf, t: float) -> float:
        if t > sf.time.max():
            # beyond the last follow-up the curve is unknown, unless everyone has churned
            return 0.0 if len(sf.surv_prob) and sf.surv_prob[-1] == 0 else float("nan")
        k = np.searchsorted(sf.surv_times, t, side="right")
        return 1.0 if k == 0 else float(sf.surv_prob[k - 1])

    @staticmethod
    def _median(sf) -> float:
        # first time with S(t) <= 0.5, as R's survfit (statsmodels' quantile uses S(t) < 0.5)
        below = np.flatnonzero(sf.surv_prob <= 0.5)
        return float(sf.surv_times[below[0]]) if below.size else float("nan")

    def summary(self, at: Sequence[float] = (12, 24)) -> pd.DataFrame:
        """Per group: the group (column named ``by``), ``n``, ``events``, ``median`` (first time
        at which S(t) ≤ 0.5, NaN if not reached) and ``survival_<t>`` for each time in ``at``
        (NaN beyond the group's last observation, unless every customer of the group has
        churned: then 0)."""
        rows = []
        for g in self.order:
            sf = self.fits_[g]
            row = {
                self.by: g,
                "n": len(sf.time),
                "events": int(sf.status.sum()),
                "median": self._median(sf),
            }
            for t in at:
                row[f"survival_{t:g}"] = self._at(sf, float(t))
            rows.append(row)
        return pd.DataFrame(rows)

    def logrank(self) -> pd.Series:
        """Log-rank test that the groups' survival curves are equal (Mantel 1966; statsmodels
        ``survdiff``): ``statistic`` (chi-square), ``df`` (groups − 1), ``p_value``."""
        from scipy import stats
        from statsmodels.duration.survfunc import survdiff

        if len(self.order) < 2:
            return pd.Series({"statistic": float("nan"), "df": 0, "p_value": float("nan")})
        codes = np.array([self.order.index(g) for g in self._groups])
        stat, _ = survdiff(self._time, self._event, codes)
        df = len(self.order) - 1
        # survdiff's p is 1 − cdf, which rounds to 0 below about 1e-16; the survival function
        # keeps small p-values (e.g. 2e-31) instead of reporting an impossible p = 0.
        return pd.Series(
            {"statistic": float(stat), "df": df, "p_value": float(stats.chi2.sf(stat, df))},
            name="logrank",
        )

    def curves(self) -> pd.DataFrame:
        """Tidy step curves: the group, ``time`` (0, every event time and the last follow-up
        time when it comes after the last event), ``survival`` and the pointwise (1 − alpha)
        band ``ci_low``/``ci_high``: log–log transformed from statsmodels' Greenwood standard
        errors (Kalbfleisch & Prentice 1980), so that it stays inside [0, 1]."""
        z = z_value(self.alpha)
        parts = []
        for g in self.order:
            sf = self.fits_[g]
            s, se = sf.surv_prob, sf.surv_prob_se
            with np.errstate(divide="ignore", invalid="ignore"):
                w = z * se / (s * np.abs(np.log(s)))
                lo, hi = s ** np.exp(w), s ** np.exp(-w)
            lo = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, lo))
            hi = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, hi))
            time, s, lo, hi = (
                np.r_[0.0, sf.surv_times],
                np.r_[1.0, s],
                np.r_[1.0, lo],
                np.r_[1.0, hi],
            )
            last = float(sf.time.max())
            if last > time[-1]:  # censored after the last event
                time, s = np.r_[time, last], np.r_[s, s[-1]]
                lo, hi = np.r_[lo, lo[-1]], np.r_[hi, hi[-1]]
            parts.append(
                pd.DataFrame({self.by: g, "time": time, "survival": s, "ci_low": lo, "ci_high": hi})
            )
        return pd.concat(parts, ignore_index=True)

    def lifetime_value(
        self, margin: float, discount: float, *, at: float = 12, reference=None
    ) -> pd.DataFrame:
        """What a customer of each group is worth with the group's own retention: per group,
        ``n``, ``retention`` (S(at), the share still a customer after ``at`` periods: an
        annual retention rate when ``at`` is a year), ``clv`` = m·r/(1 + d − r) with margin
        ``margin`` at the end of each year and discount rate ``discount``
        (:func:`customer_value.clv.retention_clv`; Gupta, Lehmann & Stuart 2004, *JMR* 41(1))
        and ``clv_gain``, the difference to the ``reference`` group (default: the first,
        "none" for relationship levels): what moving a customer there is worth, before the
        cost of doing it. NaN where the curve does not reach ``at``."""
        from ..clv import retention_clv

        s = self.summary(at=(at,)).rename(columns={f"survival_{at:g}": "retention"})
        r = s["retention"].to_numpy(dtype=float)
        ok = np.isfinite(r)
        clv = np.full(len(r), np.nan)
        if ok.any():
            clv[ok] = np.asarray(retention_clv(margin, r[ok], discount), dtype=float)
        ref = self.order[0] if reference is None else reference
        if ref not in self.order:
            raise InputError(f"reference {ref!r} is not one of the groups {self.order}")
        out = s[[self.by, "n", "retention"]].assign(clv=clv)
        out["clv_gain"] = out["clv"] - clv[self.order.index(ref)]
        return out

    def plot(self, ax=None, **kwargs):
        """Step curves with bands (:func:`plot_survival`). Returns the Axes."""
        return plot_survival(self, ax=ax, **kwargs)


def survival_by_level(
    data: pd.DataFrame, *, duration: str, event: str, by: str = "level", alpha: float = 0.05
) -> SurvivalByLevel:
    """Kaplan–Meier survival curves per relationship level (or any group column ``by``) and a
    log-rank test (Kaplan & Meier 1958, *JASA* 53(282); Mantel 1966, *Cancer Chemotherapy
    Reports* 50(3)), with statsmodels ``SurvfuncRight`` and ``survdiff``.

    ``duration``: time observed (> 0), ``event``: 1 = churned, 0 = censored (still a customer
    at the end of observation). Bad durations or events raise
    :class:`~customer_value.io.InputError`.

    >>> data = pd.DataFrame({"months": [2, 3, 3, 5, 6, 8, 8, 9, 12, 14],
    ...                      "churned": [1, 1, 0, 1, 0, 1, 1, 0, 1, 0], "level": "social"})
    >>> km = survival_by_level(data, duration="months", event="churned")
    >>> km.summary(at=(6, 12)).round(4)               # 0.9 · 8/9 · 6/7, then · 3/5 · 1/2
        level   n  events  median  survival_6  survival_12
    0  social  10       6     8.0      0.6857       0.2057
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    func = "survival_by_level"
    data = frame(data, func)
    z_value(alpha)
    t, e = _survival_inputs(data, duration, event, func)
    require(data, [by], func)
    g = data[by]
    miss = raw_missing(g)
    if miss.any():
        fail(data, f"{func}: column {by!r} has missing values:", miss, by)
    order = level_groups(g)
    groups = g.to_numpy(dtype=object)
    fits = {lv: SurvfuncRight(t[groups == lv], e[groups == lv], title=str(lv)) for lv in order}
    return SurvivalByLevel(fits, t, e, groups, order, by, alpha)


class CoxResult:
    """A fitted Cox proportional-hazards model; made by :func:`cox_model`.

    ``params_`` (log hazard ratios), ``se_``, ``cov_`` and ``loglik_`` are the estimates;
    ``result_`` is the statsmodels ``PHRegResults``; ``covariates``, ``n_obs_``, ``n_events_``
    and ``n_excluded_`` (rows dropped for a missing covariate) describe the fit.

    >>> data = pd.DataFrame({"t": [2, 3, 3, 5, 6, 8, 8, 9], "e": [1, 1, 0, 1, 0, 1, 1, 0],
    ...                      "x": [2, 1, 3, 6, 4, 5, 2, 5]})
    >>> cox = cox_model(data, duration="t", event="e", covariates=["x"])
    >>> cox.n_obs_, cox.n_events_, cox.params_.index.tolist()
    (8, 5, ['x'])
    """

    def __init__(self, result, covariates, duration, event, n_excluded):
        self.result_ = result
        self.covariates = list(covariates)
        self.params_ = pd.Series(np.asarray(result.params), index=self.covariates, name="coef")
        self.se_ = pd.Series(np.asarray(result.bse), index=self.covariates, name="se")
        self.cov_ = pd.DataFrame(
            np.asarray(result.cov_params()), index=self.covariates, columns=self.covariates
        )
        self.loglik_ = float(result.llf)
        self._time, self._event = duration, event
        self.n_obs_ = len(duration)
        self.n_events_ = int(event.sum())
        self.n_excluded_ = int(n_excluded)

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """Per covariate: ``covariate``, ``coef`` (log hazard ratio), ``se``, ``hazard_ratio``
        exp(coef), its Wald interval ``ci_low``/``ci_high`` exp(coef ± z·se), ``change_pct``
        100·(hazard_ratio − 1) and ``p_value``. A hazard ratio of 0.70 per point
        (``change_pct`` −30): each extra point of the score cuts the churn hazard by 30 % at
        every time."""
        z = z_value(alpha)
        b, se = self.params_.to_numpy(), self.se_.to_numpy()
        return pd.DataFrame(
            {
                "covariate": self.covariates,
                "coef": b,
                "se": se,
                "hazard_ratio": np.exp(b),
                "ci_low": np.exp(b - z * se),
                "ci_high": np.exp(b + z * se),
                "change_pct": 100 * np.expm1(b),
                "p_value": np.asarray(self.result_.pvalues),
            }
        )

    def ph_test(self, transform: str = "km", alpha: float = 0.05) -> pd.DataFrame:
        """Test of the proportional-hazards assumption per covariate and globally (Grambsch &
        Therneau 1994, *Biometrika* 81(3); the test of R's ``cox.zph`` before survival 3.0).

        With the unscaled Schoenfeld residuals s_k of the d events (statsmodels), the
        estimate's covariance V and g_k a transform of the event times (``"km"``: 1 − the
        Kaplan–Meier estimate just before t_k; ``"rank"``, ``"log"`` or ``"identity"``), the
        scaled residuals are r*_k = d·V·s_k and, for covariate j,

            T_j = (Σ_k (g_k − ḡ) r*_kj)² / (d · V_jj · Σ_k (g_k − ḡ)²)   ~ χ²(1)

        The global test is T = (Σ (g_k − ḡ) s_k)' V (Σ (g_k − ḡ) s_k) · d / Σ (g_k − ḡ)² ~ χ²(p).
        Columns: ``covariate`` (and ``GLOBAL``), ``rho`` (correlation of the scaled residuals
        with g(t): a trend means the effect changes over time), ``statistic``, ``df``,
        ``p_value``, ``ok`` (p ≥ alpha: no evidence against proportional hazards).
        """
        from scipy import stats
        from statsmodels.duration.survfunc import SurvfuncRight

        if transform not in ("km", "rank", "log", "identity"):
            raise InputError(
                f"transform must be 'km', 'rank', 'log' or 'identity', not {transform!r}"
            )
        alpha = check_number("alpha", alpha, lo=0, hi=1, scalar=True)
        sres = np.asarray(self.result_.schoenfeld_residuals)
        ev = ~np.isnan(sres).any(axis=1)
        s, times = sres[ev], self._time[ev]
        d = len(times)
        V = self.cov_.to_numpy()
        if transform == "km":
            km = SurvfuncRight(self._time, self._event)
            k = np.searchsorted(km.surv_times, times, side="left")  # S(t−): the step before t
            g = 1 - np.where(k == 0, 1.0, km.surv_prob[np.maximum(k - 1, 0)])
        elif transform == "rank":
            g = stats.rankdata(times)
        elif transform == "log":
            g = np.log(times)
        else:
            g = times.astype(float)
        xx = g - g.mean()
        r2 = s @ V * d
        test = xx @ r2
        sxx = float(xx @ xx)
        rows = []
        for j, cov in enumerate(self.covariates):
            stat = float(test[j] ** 2 / (V[j, j] * d * sxx))
            rho = float(np.corrcoef(xx, r2[:, j])[0, 1]) if r2[:, j].std() > 0 else float("nan")
            p = float(stats.chi2.sf(stat, 1))
            rows.append({"covariate": cov, "rho": rho, "statistic": stat, "df": 1, "p_value": p})
        if len(self.covariates) > 1:
            u = xx @ s
            stat = float(u @ V @ u * d / sxx)
            p = float(stats.chi2.sf(stat, len(self.covariates)))
            rows.append(
                {
                    "covariate": "GLOBAL",
                    "rho": float("nan"),
                    "statistic": stat,
                    "df": len(self.covariates),
                    "p_value": p,
                }
            )
        out = pd.DataFrame(rows)
        out["ok"] = out["p_value"] >= alpha
        return out

    def plot(self, ax=None, **kwargs):
        """Forest plot of the hazard ratios (:func:`plot_hazard_ratios`). Returns the Axes."""
        return plot_hazard_ratios(self, ax=ax, **kwargs)


def cox_model(
    data: pd.DataFrame,
    *,
    duration: str,
    event: str,
    covariates: Sequence[str],
    ties: str = "breslow",
) -> CoxResult:
    """Cox proportional-hazards model of churn (Cox 1972, *JRSS B* 34(2)) with statsmodels
    ``PHReg``; ties by Breslow's (1974) method (or ``ties="efron"``).

    ``covariates`` are numeric columns (e.g. the bond scores, age, products held); rows with a
    missing covariate are excluded and counted in ``n_excluded_``. Durations must be > 0 and
    events 0/1 (:class:`~customer_value.io.InputError` otherwise).

    >>> data = pd.DataFrame({"months": [2, 3, 3, 5, 6, 8, 8, 9, 12, 14],
    ...                      "churned": [1, 1, 0, 1, 0, 1, 1, 0, 1, 0],
    ...                      "structural": [2, 1, 3, 6, 4, 5, 2, 5, 3, 4]})
    >>> cox = cox_model(data, duration="months", event="churned", covariates=["structural"])
    >>> cox.summary()[["covariate", "hazard_ratio"]].round(2)
        covariate  hazard_ratio
    0  structural          0.69
    """
    from statsmodels.duration.hazard_regression import PHReg

    func = "cox_model"
    data = frame(data, func)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    if not covariates:
        raise InputError(f"{func}: name at least one covariate")
    if ties not in ("breslow", "efron"):
        raise InputError(f"{func}: ties must be 'breslow' or 'efron', not {ties!r}")
    require(data, covariates, func, "covariate")
    t, e = _survival_inputs(data, duration, event, func)
    X = np.column_stack([numeric_column(data, c, func, allow_missing=True) for c in covariates])
    keep = ~np.isnan(X).any(axis=1)
    if keep.sum() <= len(covariates) or e[keep].sum() == 0:
        raise InputError(
            f"{func}: too few complete rows ({int(keep.sum())}) or no events to fit the model",
            source=source_of(data),
        )
    const = [c for j, c in enumerate(covariates) if np.nanstd(X[keep, j]) == 0]
    if const:
        raise InputError(f"{func}: covariate(s) {const} are constant", source=source_of(data))
    model = PHReg(t[keep], X[keep], status=e[keep], ties=ties)
    res = fit_quietly(lambda: model.fit(), func)
    return CoxResult(res, covariates, t[keep], e[keep], int((~keep).sum()))


class LogitResult:
    """A fitted logit of switching intention; made by :func:`switching_logit`.

    ``params_`` (log odds, ``const`` first), ``se_`` and ``loglik_`` are the estimates;
    ``result_`` is the statsmodels ``LogitResults``; ``predictors``, ``n_obs_`` and
    ``n_excluded_`` describe the fit.

    >>> data = pd.DataFrame({"x": [1, 2, 2, 3, 3, 4, 4, 5, 5, 6], "y": [1, 1, 0, 1, 1, 0, 1, 0, 0, 0]})
    >>> lg = switching_logit(data, outcome="y", predictors=["x"])
    >>> lg.params_.index.tolist(), bool(lg.marginal_effects()["ame"].iloc[0] < 0)
    (['const', 'x'], True)
    """

    def __init__(self, result, predictors, n_excluded):
        self.result_ = result
        self.predictors = list(predictors)
        names = ["const"] + self.predictors
        self.params_ = pd.Series(np.asarray(result.params), index=names, name="coef")
        self.se_ = pd.Series(np.asarray(result.bse), index=names, name="se")
        self.loglik_ = float(result.llf)
        self.n_obs_ = int(result.nobs)
        self.n_excluded_ = int(n_excluded)

    def summary(self, alpha: float = 0.05, intercept: bool = False) -> pd.DataFrame:
        """Per predictor: ``predictor``, ``coef`` (log odds per unit), ``se``, ``odds_ratio``
        exp(coef) with its Wald interval ``ci_low``/``ci_high`` and ``p_value``; the intercept
        (``const``) only with ``intercept=True``."""
        z = z_value(alpha)
        b, se = self.params_.to_numpy(), self.se_.to_numpy()
        out = pd.DataFrame(
            {
                "predictor": self.params_.index,
                "coef": b,
                "se": se,
                "odds_ratio": np.exp(b),
                "ci_low": np.exp(b - z * se),
                "ci_high": np.exp(b + z * se),
                "p_value": np.asarray(self.result_.pvalues),
            }
        )
        return out if intercept else out.iloc[1:].reset_index(drop=True)

    def marginal_effects(self, alpha: float = 0.05) -> pd.DataFrame:
        """Average marginal effects (statsmodels ``get_margeff(at="overall")``): the change in
        the probability of intending to switch per unit of each predictor, averaged over the
        respondents, with delta-method ``se``, ``ci_low``/``ci_high`` and ``p_value``."""
        alpha = check_number("alpha", alpha, lo=0, hi=1, lo_open=True, hi_open=True, scalar=True)
        m = self.result_.get_margeff(at="overall")
        ci = np.asarray(m.conf_int(alpha=alpha))
        return pd.DataFrame(
            {
                "predictor": self.predictors,
                "ame": np.asarray(m.margeff),
                "se": np.asarray(m.margeff_se),
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "p_value": np.asarray(m.pvalues),
            }
        )

    def plot(self, ax=None, **kwargs):
        """Forest plot of the odds ratios (:func:`plot_odds_ratios`). Returns the Axes."""
        return plot_odds_ratios(self, ax=ax, **kwargs)


def switching_logit(data: pd.DataFrame, *, outcome: str, predictors: Sequence[str]) -> LogitResult:
    """Logistic regression of switching intention (0/1) on bond scores and covariates
    (statsmodels ``Logit``, maximum likelihood, with an intercept), as in the switching
    models of Chiu et al. (2005, *J. Business Research* 58(12)).

    The outcome must be 0/1 (:class:`~customer_value.io.InputError` otherwise); rows with a
    missing predictor are excluded (``n_excluded_``). Odds ratios in :meth:`LogitResult.summary`,
    average marginal effects in :meth:`LogitResult.marginal_effects`.

    >>> data = pd.DataFrame({"structural": [1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7],
    ...                      "switch": [1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0]})
    >>> lg = switching_logit(data, outcome="switch", predictors=["structural"])
    >>> lg.summary()[["predictor", "odds_ratio"]].round(2)
        predictor  odds_ratio
    0  structural        0.54
    """
    import statsmodels.api as sm

    func = "switching_logit"
    data = frame(data, func)
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    if not predictors:
        raise InputError(f"{func}: name at least one predictor")
    require(data, [outcome] + predictors, func)
    X = np.column_stack([numeric_column(data, c, func, allow_missing=True) for c in predictors])
    keep = ~np.isnan(X).any(axis=1)
    y = binary_column(data.loc[keep], outcome, func, "1 = intends to switch, 0 = does not")
    if len(np.unique(y)) < 2:
        raise InputError(
            f"{func}: outcome {outcome!r} has only one value ({int(y[0])}); a "
            "logit needs both 0 and 1",
            source=source_of(data),
        )
    model = sm.Logit(y, sm.add_constant(X[keep], has_constant="add"))
    res = fit_quietly(lambda: model.fit(disp=0, maxiter=200), func)
    return LogitResult(res, predictors, int((~keep).sum()))


def retention_value(
    margin,
    retention,
    discount,
    delta: float = 0.01,
    horizon: int | None = None,
    *,
    relative: bool = False,
    margin_timing: str = "end",
) -> pd.DataFrame:
    """What a change in retention is worth: CLV at retention r and at r + delta (or r·(1 +
    delta) with ``relative=True``), with :func:`customer_value.clv.retention_clv`
    (CLV = m·r/(1 + d − r) for an infinite horizon; Gupta, Lehmann & Stuart 2004, *JMR* 41(1)).

    Columns: ``margin``, ``discount``, ``retention``, ``retention_new``, ``clv``, ``clv_new``,
    ``change`` and ``change_pct`` (percent). Arguments may be arrays (one row each). With
    r = 0.8, d = 0.1 one retention point (0.80 → 0.81) raises CLV from 2.667 to 2.793 margins,
    +4.7 % (the elasticity (1 + d)/(1 + d − r) = 3.7 at that point).

    >>> retention_value(100, 0.8, 0.1)[["clv", "clv_new", "change_pct"]].round(2).values.tolist()
    [[266.67, 279.31, 4.74]]
    """
    from ..clv import retention_clv

    delta = check_number("delta", delta, scalar=True)
    m, r, d = np.broadcast_arrays(
        np.asarray(margin, dtype=float),
        np.asarray(retention, dtype=float),
        np.asarray(discount, dtype=float),
    )
    m, r, d = np.atleast_1d(m), np.atleast_1d(r), np.atleast_1d(d)
    r_new = r * (1 + delta) if relative else r + delta
    if np.any(r_new > 1) or np.any(r_new < 0):
        raise InputError(f"retention + delta must stay within 0..1; got {r_new.tolist()[:5]}")
    clv0 = np.atleast_1d(np.asarray(retention_clv(m, r, d, horizon, margin_timing), dtype=float))
    clv1 = np.atleast_1d(
        np.asarray(retention_clv(m, r_new, d, horizon, margin_timing), dtype=float)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100 * (clv1 - clv0) / clv0
    return pd.DataFrame(
        {
            "margin": m,
            "discount": d,
            "retention": r,
            "retention_new": r_new,
            "clv": clv0,
            "clv_new": clv1,
            "change": clv1 - clv0,
            "change_pct": pct,
        }
    )


class RetentionByLevel:
    """sBG retention models per relationship level; made by :func:`retention_by_level`.

    ``models_`` maps each level to its fitted :class:`customer_value.btyd.ShiftedBetaGeometric`;
    ``counts_`` is the tidy table of customers still active (the level column ``by``,
    ``period``, ``active``).

    >>> data = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2, 2], "month": [1, 2, 3] * 2,
    ...                      "active": [1, 1, 0, 1, 1, 1], "level": "social"})
    >>> retention_by_level(data).counts_["active"].tolist()
    [2, 2, 1]
    """

    def __init__(self, models: dict, counts: pd.DataFrame, by: str):
        self.models_ = models
        self.counts_ = counts
        self.by = by

    def summary(self, horizon: int = 60, discount: float | None = None) -> pd.DataFrame:
        """Per level: the level, ``n``, ``alpha``, ``beta`` (the sBG parameters),
        ``retention_1`` and ``retention_12`` (r_t = (β + t − 1)/(α + β + t − 1) in periods 1 and
        12), ``survival_observed`` and ``survival_fitted`` at the last observed period,
        ``survival_<horizon>`` (the projection) and ``expected_lifetime`` (periods, infinite
        when α ≤ 1; discounted when ``discount`` is given, Fader & Hardie 2010) and
        ``converged``. When a level's customers churn at nearly the same constant rate, the
        maximum-likelihood search runs off towards α, β → ∞ (the geometric limit, no
        heterogeneity): ``converged`` is then False and the fitted curve is still close to
        the data, but α and β themselves mean little."""
        rows = []
        for lv, m in self.models_.items():
            c = m.cohorts_[0]
            rows.append(
                {
                    self.by: lv,
                    "n": int(c[0]),
                    "alpha": float(m.params_["alpha"]),
                    "beta": float(m.params_["beta"]),
                    "retention_1": float(m.retention_rate(1)),
                    "retention_12": float(m.retention_rate(12)),
                    "survival_observed": float(c[-1] / c[0]),
                    "survival_fitted": float(m.survival(len(c) - 1)),
                    f"survival_{horizon}": float(m.survival(horizon)),
                    "expected_lifetime": float(m.expected_lifetime(discount or 0.0)),
                    "converged": bool(m.converged_),
                }
            )
        return pd.DataFrame(rows)

    def project(self, periods: int) -> pd.DataFrame:
        """Tidy projection per level: the level plus the columns of
        ``ShiftedBetaGeometric.project`` (period, survival, expected_active, ..., observed)."""
        cols = [self.by, "period", "survival", "expected_active", "retention_rate", "observed"]
        return pd.concat(
            [m.project(periods).assign(**{self.by: lv}) for lv, m in self.models_.items()],
            ignore_index=True,
        )[cols]

    def plot(self, ax=None, *, periods: int | None = None):
        """Observed share still active (points) and the sBG curve (line) per level
        (:func:`plot_retention`). Returns the Axes."""
        return plot_retention(self, ax=ax, periods=periods)


def retention_by_level(
    data: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    period: str = "month",
    active: str = "active",
    by: str = "level",
) -> RetentionByLevel:
    """Per relationship level (column ``by``), the cohort counts of customers still active
    each period and the shifted-beta-geometric retention model fitted to them (Fader & Hardie
    2007, *J. Interactive Marketing* 21(1); :class:`customer_value.btyd.ShiftedBetaGeometric`).

    ``data`` has one row per customer and period; every customer must be active in the first
    period (one cohort) and churn is absorbing (once inactive, never active again). Period 0 of
    a level's counts is its number of customers; period t the number still active in the
    (t+1)-th period.

    >>> life = {"none": [1, 2, 2, 3, 5, 6, 6, 6], "structural": [3, 6, 6, 6, 6, 6, 6, 6]}
    >>> data = pd.DataFrame([{"customer_id": f"{lv}{i}", "month": m, "level": lv,
    ...                       "active": int(m <= t)} for lv, ts in life.items()
    ...                      for i, t in enumerate(ts) for m in range(1, 7)])
    >>> rbl = retention_by_level(data)
    >>> rbl.counts_.groupby("level")["active"].apply(list).to_dict()
    {'none': [8, 7, 5, 4, 4, 3], 'structural': [8, 8, 8, 7, 7, 7]}
    """
    from ..btyd import ShiftedBetaGeometric

    func = "retention_by_level"
    data = frame(data, func)
    require(data, [customer_id, period, active, by], func)
    per, _ = period_numbers(data, period, func)
    act = binary_column(data, active, func, "1 = still a customer in that period")
    cust = data[customer_id].astype("str").to_numpy()
    wide = pd.DataFrame({"c": cust, "p": per, "a": act}).pivot_table(
        index="c", columns="p", values="a", aggfunc="max"
    )
    if wide.isna().any().any():
        raise InputError(
            f"{func}: every customer needs a row in every period (a balanced "
            "panel with active = 0 after churn)",
            source=source_of(data),
        )
    a = wide.to_numpy()
    not_first = a[:, 0] != 1
    if not_first.any():
        raise InputError(
            f"{func}: {int(not_first.sum())} customer(s) are not active in the first "
            f"period (e.g. {wide.index[not_first][:5].tolist()}): the counts must "
            "follow one cohort",
            source=source_of(data),
        )
    comeback = (np.diff(a, axis=1) > 0).any(axis=1)
    if comeback.any():
        raise InputError(
            f"{func}: churn must be absorbing, but {int(comeback.sum())} customer(s) "
            f"become active again (e.g. {wide.index[comeback][:5].tolist()})",
            source=source_of(data),
        )
    lv = data.groupby(cust, sort=False)[by].first().reindex(wide.index)
    models, parts = {}, []
    for g in level_groups(lv):
        counts = a[(lv == g).to_numpy()].sum(axis=0).astype(int)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = ShiftedBetaGeometric().fit(counts)
        lost = [w for w in caught if "did not converge" in str(w.message)]
        for w in caught:
            if w not in lost:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        # reported per level in summary()["converged"] instead of one warning per level
        model.converged_ = bool(model.converged_) and not lost
        models[g] = model
        parts.append(pd.DataFrame({by: g, "period": np.arange(len(counts)), "active": counts}))
    return RetentionByLevel(models, pd.concat(parts, ignore_index=True), by)
