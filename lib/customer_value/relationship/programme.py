"""The financial level in practice: the effect of a frequency-marketing (loyalty) programme by
difference-in-differences on a customer-period panel, with an event study, beside the naive
member vs non-member comparison that self-selection biases (Angrist & Pischke 2009; Bertrand,
Duflo & Mullainathan 2004; Liu 2007; Sharp & Sharp 1997)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import fmt, source_of
from ..io import InputError
from ._common import (
    MONTH_RE,
    binary_column,
    fail,
    frame,
    month_ordinal,
    numeric_column,
    period_numbers,
    raw_missing,
    require,
    z_value,
)
from .plots import plot_event_study


def _demean(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """The within transformation: each column minus its customer's mean."""
    counts = np.bincount(codes, minlength=n_groups).astype(float)
    cols = values[:, None] if values.ndim == 1 else values
    out = np.empty(cols.shape, dtype=float)
    for j in range(cols.shape[1]):
        means = np.bincount(codes, weights=cols[:, j], minlength=n_groups) / counts
        out[:, j] = cols[:, j] - means[codes]
    return out[:, 0] if values.ndim == 1 else out


def _clustered_ols(y: np.ndarray, X: np.ndarray, groups: np.ndarray):
    """statsmodels OLS with standard errors clustered by ``groups`` (its default small-sample
    factor G/(G − 1)·(N − 1)/(N − K), K the columns of X; normal p-values)."""
    import statsmodels.api as sm

    n, k = X.shape
    n_groups = len(np.unique(groups))
    if n_groups < 2 or n <= k:
        raise InputError(
            "programme_did: too few customers or rows for clustered standard errors "
            f"({n_groups} customer(s), {n} row(s), {k} regressor(s))"
        )
    if not np.linalg.cond(X.T @ X) < 1e12:  # also catches an infinite condition number
        raise InputError(
            "programme_did: the regressors are (nearly) collinear; check that members and "
            "non-members are both observed before and after the launch"
        )
    return sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": groups})


class DidResult:
    """Programme evaluation by difference-in-differences; made by :func:`programme_did`.

    ``did_`` and ``naive_`` are the two estimates, ``se_`` their customer-clustered standard
    errors (indexed ``did``, ``naive``); ``result_`` and ``naive_result_`` are the statsmodels
    regressions; ``n_customers_``, ``n_obs_``, ``launch`` and ``outcome`` describe the data used.

    >>> panel = pd.DataFrame({"customer_id": list("AAABBBCCCDDD"), "month": [1, 2, 3] * 4,
    ...                       "member": [1] * 6 + [0] * 6,
    ...                       "spend": [10, 11, 16, 11, 12, 19, 5, 6, 6, 7, 7, 8]})
    >>> did = programme_did(panel, launch=3)
    >>> did.event_study()[["relative_period", "estimate"]].round(2).values.tolist()
    [[-2.0, -0.5], [-1.0, 0.0], [0.0, 5.5]]
    """

    def __init__(self, *, y, member, period, codes, periods, launch, naive, result, outcome):
        self._y, self._member, self._period = y, member, period
        self._codes, self._periods = codes, periods
        self._n_groups = int(codes.max()) + 1
        self.launch = launch
        self.outcome = outcome
        self.naive_result_ = naive
        self.result_ = result
        self.naive_ = float(naive.params[1])
        self.did_ = float(result.params[-1])
        self.se_ = pd.Series({"did": float(result.bse[-1]), "naive": float(naive.bse[1])})
        self.n_customers_ = self._n_groups
        self.n_obs_ = len(y)
        self._events: dict = {}

    def summary(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per estimator: ``estimator``, ``estimate``, ``se`` (clustered by customer),
        ``ci_low``, ``ci_high``, ``p_value``, ``n_customers``, ``n_obs``. The naive row compares
        members with non-members after launch and mixes the programme's effect with who joins;
        the difference-in-differences row compares their changes."""
        z = z_value(alpha)
        post = self._period >= self.launch
        rows = []
        for name, res, j, n_obs, n_c in (
            (
                "naive member vs non-member, after launch",
                self.naive_result_,
                1,
                int(post.sum()),
                len(np.unique(self._codes[post])),
            ),
            ("difference-in-differences", self.result_, -1, self.n_obs_, self.n_customers_),
        ):
            b, se = float(res.params[j]), float(res.bse[j])
            rows.append(
                {
                    "estimator": name,
                    "estimate": b,
                    "se": se,
                    "ci_low": b - z * se,
                    "ci_high": b + z * se,
                    "p_value": float(res.pvalues[j]),
                    "n_customers": n_c,
                    "n_obs": n_obs,
                }
            )
        return pd.DataFrame(rows)

    def _event_fit(self, window):
        key = None if window is None else tuple(window)
        if key in self._events:
            return self._events[key]
        rel = self._period - self.launch
        if window is None:
            lo, hi = int(rel.min()), int(rel.max())
        else:
            lo, hi = (int(v) for v in window)
            if not (lo <= -2 and hi >= 0):
                raise InputError(
                    f"window must run from below -1 to 0 or later, e.g. (-6, 6); got {window!r}"
                )
        rel_b = np.clip(rel, lo, hi)
        treated = self._member == 1
        ks = [k for k in range(lo, hi + 1) if k != -1 and ((rel_b == k) & treated).any()]
        period_codes = np.searchsorted(self._periods, self._period)
        T = np.column_stack(
            [(period_codes == j).astype(float) for j in range(1, len(self._periods))]
        )
        D = np.column_stack([((rel_b == k) & treated).astype(float) for k in ks])
        X = _demean(np.column_stack([T, D]), self._codes, self._n_groups)
        res = _clustered_ols(_demean(self._y, self._codes, self._n_groups), X, self._codes)
        self._events[key] = (res, ks, T.shape[1])
        return self._events[key]

    def event_study(
        self, window: tuple[int, int] | None = None, alpha: float = 0.05
    ) -> pd.DataFrame:
        """Event-study estimates: the member − non-member difference in each period relative
        to launch (0 = launch period), against the period before launch (−1, the reference, 0
        by construction), from the two-way fixed-effects regression with member ×
        relative-period dummies and customer-clustered errors. ``window=(lo, hi)`` bins the
        periods before ``lo`` into ``lo`` and after ``hi`` into ``hi`` (endpoint binning).
        Before launch the estimates should hover around 0 (parallel pre-trends); afterwards
        they show the effect period by period. Columns ``relative_period``, ``estimate``,
        ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``reference``."""
        z = z_value(alpha)
        res, ks, n_t = self._event_fit(window)
        b, se = np.asarray(res.params)[n_t:], np.asarray(res.bse)[n_t:]
        out = pd.DataFrame(
            {
                "relative_period": ks,
                "estimate": b,
                "se": se,
                "ci_low": b - z * se,
                "ci_high": b + z * se,
                "p_value": np.asarray(res.pvalues)[n_t:],
                "reference": False,
            }
        )
        ref = pd.DataFrame({"relative_period": [-1], "estimate": [0.0], "reference": [True]})
        return (
            pd.concat([out, ref], ignore_index=True)
            .sort_values("relative_period")
            .reset_index(drop=True)
        )

    def pretrend_test(
        self, window: tuple[int, int] | None = None, alpha: float = 0.05
    ) -> pd.Series:
        """Joint Wald test (statsmodels ``wald_test`` with the clustered covariance) that every
        pre-launch event-study coefficient is 0: ``statistic`` (chi-square), ``df``,
        ``p_value``, and ``n_significant``: how many of the ``df`` pre-launch periods have a
        (1 − alpha) interval that excludes 0 (about alpha·df by chance alone). A small p-value
        means the groups were already drifting apart before launch and the DiD's
        parallel-trends assumption fails."""
        res, ks, n_t = self._event_fit(window)
        pre = [n_t + i for i, k in enumerate(ks) if k < -1]
        if not pre:
            return pd.Series(
                {"statistic": np.nan, "df": 0, "p_value": np.nan, "n_significant": 0},
                name="pretrend",
            )
        R = np.zeros((len(pre), len(res.params)))
        R[np.arange(len(pre)), pre] = 1.0
        wald = res.wald_test(R, use_f=False, scalar=True)
        es = self.event_study(window, alpha)
        before = es[es["relative_period"] < -1]
        n_sig = int(((before["ci_low"] > 0) | (before["ci_high"] < 0)).sum())
        return pd.Series(
            {
                "statistic": float(wald.statistic),
                "df": len(pre),
                "p_value": float(wald.pvalue),
                "n_significant": n_sig,
            },
            name="pretrend",
        )

    def plot(self, ax=None, *, window: tuple[int, int] | None = None, **kwargs):
        """Event-study plot (:func:`plot_event_study`) with the DiD estimate. Returns the Axes."""
        kwargs.setdefault("did", self.did_)
        return plot_event_study(self.event_study(window), ax=ax, **kwargs)


def _launch_value(launch, monthly: bool, func: str) -> float:
    try:
        if monthly:
            ym = pd.Series([str(launch).strip()]).str.extract(MONTH_RE).iloc[0]
            return float(month_ordinal(np.array([int(ym[0])]), np.array([int(ym[1])]))[0])
        return float(launch)
    except (TypeError, ValueError):
        kind = "month like '2024-07'" if monthly else "number"
        raise InputError(f"{func}: launch must be a period {kind}, not {launch!r}") from None


def programme_did(
    data: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    period: str = "month",
    outcome: str = "spend",
    member: str = "member",
    launch,
    active: str | None = "active",
) -> DidResult:
    """Effect of a frequency-marketing (loyalty) programme by difference-in-differences, beside
    the naive member vs non-member comparison.

    ``data`` is a panel with one row per customer and period (whole numbers 1, 2, ... or
    months as text, "2024-07", "2024/7", "2024年7月"; ``launch`` is then a month too).
    ``member`` marks the customers who joined the programme at its launch (1 in *every* period
    of a member, also before launch: it is the group, not "is a member now"); ``launch`` is the
    first period of the programme. Only active customer-periods are used (rows with
    ``active == 0`` are dropped when the column exists: a churned customer spends nothing
    because she left, not because of the programme).

    * Naive: mean outcome of members minus non-members after launch (OLS on a member dummy,
      customer-clustered se). Heavy buyers join loyalty programmes anyway (Sharp & Sharp 1997,
      *IJRM* 14(5); Liu 2007, *J. Marketing* 71(4)), so this gap mixes the effect with who joins.
    * Difference-in-differences (Angrist & Pischke 2009, ch. 5): two-way fixed effects

          y_it = a_i + τ_t + δ · member_i · post_t + ε_it

      δ is the effect on members if, without the programme, members' and non-members' outcomes
      would have moved in parallel. The customer effects a_i are absorbed by the within
      transformation (every column minus its customer's mean) instead of one dummy per
      customer, which gives the same δ; the period effects are dummies. statsmodels ``OLS``
      fits the demeaned data with ``cov_type="cluster"`` by customer (Bertrand, Duflo &
      Mullainathan 2004, *QJE* 119(1)); its small-sample factor G/(G − 1)·(N − 1)/(N − K) then
      counts in K only the regressors that are not absorbed (period dummies and δ), not the
      customer effects: the fixed effects are nested in the clusters, and this is the
      correction of Stata's ``xtreg, fe vce(cluster)`` (Cameron & Miller 2015, *J. Human
      Resources* 50(2)). A fit with G customer dummies counts them in K and gives standard
      errors larger by √((N − K)/(N − K − G)); p-values are normal.

    >>> panel = pd.DataFrame({"customer_id": list("AAAABBBBCCCCDDDD"), "month": [1, 2, 3, 4] * 4,
    ...                       "member": [1] * 8 + [0] * 8,
    ...                       "spend": [10, 12, 20, 22, 14, 14, 23, 25, 5, 6, 8, 9, 7, 7, 9, 12]})
    >>> did = programme_did(panel, launch=3)       # members 12.5 → 22.5, non-members 6.25 → 9.5
    >>> round(did.did_, 2), round(did.naive_, 2)
    (6.75, 13.0)
    """
    func = "programme_did"
    data = frame(data, func)
    require(data, [customer_id, period, outcome, member], func)
    rows = data
    if active is not None and active in data.columns:
        act = binary_column(data, active, func, "1 = still a customer in that period")
        rows = data.loc[act == 1]
        if len(rows) == 0:
            raise InputError(
                f"{func}: no active rows ({active!r} is 0 everywhere)", source=source_of(data)
            )
    miss = raw_missing(rows[customer_id])
    if miss.any():
        fail(rows, f"{func}: column {customer_id!r} has missing IDs:", miss, customer_id)
    per, monthly = period_numbers(rows, period, func)
    y = numeric_column(rows, outcome, func)
    mem = binary_column(rows, member, func, "1 = joined the programme")
    dup = rows.duplicated([customer_id, period], keep=False).to_numpy()
    if dup.any():
        fail(
            rows,
            f"{func}: several rows for the same {customer_id!r} and {period!r}:",
            dup,
            period,
            customer_id,
        )
    codes, uniq = pd.factorize(rows[customer_id].astype("str"), sort=False)
    varies = np.bincount(codes, weights=mem) / np.bincount(codes)
    mixed = (varies > 0) & (varies < 1)
    if mixed.any():
        fail(
            rows,
            f"{func}: {member!r} must be the same in every period of a customer (1 for "
            "everyone who joined at launch, also in the periods before launch); it changes "
            f"for {int(mixed.sum())} customer(s):",
            mixed[codes],
            member,
            customer_id,
        )
    launch_label = launch
    launch = _launch_value(launch, monthly, func)
    periods = np.unique(per)
    if not (periods.min() < launch <= periods.max()):
        if monthly:
            first, last = (f"{1970 + int(v) // 12}-{int(v) % 12 + 1:02d}" for v in periods[[0, -1]])
        else:
            first, last = fmt(periods.min()), fmt(periods.max())
        raise InputError(
            f"{func}: launch={launch_label!r} must lie after the first period ({first}) and "
            f"not after the last ({last}), so that there are periods before and after it",
            source=source_of(data),
        )
    post = per >= launch
    for grp, label in ((1, "members"), (0, "non-members")):
        for when, wlabel in ((~post, "before"), (post, "after")):
            if not ((mem == grp) & when).any():
                raise InputError(
                    f"{func}: no active {label} {wlabel} launch: a "
                    "difference-in-differences needs both groups in both phases",
                    source=source_of(data),
                )
    naive = _clustered_ols(
        y[post], np.column_stack([np.ones(int(post.sum())), mem[post].astype(float)]), codes[post]
    )
    period_codes = np.searchsorted(periods, per)
    T = np.column_stack([(period_codes == j).astype(float) for j in range(1, len(periods))])
    X = _demean(np.column_stack([T, (mem * post).astype(float)]), codes, len(uniq))
    res = _clustered_ols(_demean(y, codes, len(uniq)), X, codes)
    return DidResult(
        y=y,
        member=mem,
        period=per,
        codes=codes,
        periods=periods,
        launch=launch,
        naive=naive,
        result=res,
        outcome=outcome,
    )
