"""Checking a purchase forecast on data the model has not seen: the calibration/holdout split of
a transaction log, the conditional-expectation check and the tracking plot (Fader, Hardie & Lee
2005a, *Marketing Science* 24(2), Figs. 3–4).

The split is computed by the customers module, the library's one path from a log to purchase
occasions: the calibration summary is the customer table as of the calibration end, the
holdout purchases are the purchase occasions added by the end of the observation period.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._util import axes
from ..btyd import BetaGeoNBD
from ..btyd._base import _Arg, _nonneg, _positive_scalar
from ..customers import UNITS, TransactionLog, clean_transactions, customer_table, to_date
from ..io import InputError

__all__ = [
    "HoldoutCheck",
    "calibration_holdout",
    "holdout_check",
    "holdout_comparison",
    "plot_calibration_holdout",
    "plot_repeat_purchase_tracking",
    "repeat_purchase_tracking",
]

#: Columns of :func:`calibration_holdout`.
SUMMARY_COLUMNS = (
    "frequency",
    "recency",
    "T",
    "paid_frequency",
    "monetary_value",
    "frequency_holdout",
    "duration_holdout",
)


def _tables(data, calibration_end: _dt.date, observation_end, options: dict):
    """The customer tables as of the calibration end and of the observation end."""
    if isinstance(data, TransactionLog):
        if options:
            raise TypeError(
                f"the options {sorted(options)} belong to read_log when data is a TransactionLog"
            )
        cal = data.table(calibration_end)
        full = data.table(observation_end)
        given = observation_end is not None or data.as_of is not None
        return cal, full, data.unit, full.as_of if given else full.as_of - _dt.timedelta(days=1)
    unit = options.pop("unit", "week")
    if isinstance(data, pd.DataFrame):
        data, _ = clean_transactions(
            data,
            customer_id=options.get("customer_id", "customer_id"),
            date=options.get("date", "date"),
            amount=options.get("amount", "amount"),
            events=[],
        )
    cal = customer_table(data, as_of=calibration_end, unit=unit, **options)
    full = customer_table(data, as_of=observation_end, unit=unit, **options)
    last = full.as_of if observation_end is not None else full.as_of - _dt.timedelta(days=1)
    return cal, full, unit, last


def calibration_holdout(data, calibration_end, *, observation_end=None, **options) -> pd.DataFrame:
    """The BG/NBD and Gamma-Gamma inputs of each customer in a calibration period, and her
    purchase occasions in the holdout period after it.

    ``data`` is a transaction log as :func:`customer_value.customers.customer_table` takes it
    (a pandas DataFrame, a file path, …) or a :class:`~customer_value.customers.TransactionLog`;
    ``options`` are customer_table's (``customer_id``, ``date``, ``amount``, ``unit`` — default
    ``"week"`` — ``zero_amount``, …). A purchase occasion is a customer-day with an order, as
    everywhere in the library (see :mod:`customer_value.customers`).

    The calibration period runs to ``calibration_end`` (inclusive); customers whose first
    purchase is later are left out. ``observation_end`` ends the holdout (default: the last day
    of the log). Columns, indexed by customer id: ``frequency`` (repeat occasions), ``recency``,
    ``T`` (to the calibration end), ``paid_frequency`` and ``monetary_value`` (the Gamma-Gamma
    inputs: repeat occasions with a positive value and their mean value), ``frequency_holdout``
    (occasions after the calibration end, up to the observation end) and ``duration_holdout``,
    times in the unit of the tables. Definitions: Fader, Hardie & Lee (2005a).

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "amount": [10.0] * 4,
    ...                     "date": ["2024-01-01", "2024-01-08", "2024-01-20", "2024-01-03"]})
    >>> s = calibration_holdout(log, "2024-01-15", unit="week")
    >>> s.index.tolist(), s["frequency"].tolist(), s["T"].round(3).tolist()
    (['a', 'b'], [1, 0], [2.0, 1.714])
    >>> s["frequency_holdout"].tolist(), s["duration_holdout"].round(3).tolist()  # to 20 Jan
    ([1, 0], [0.714, 0.714])
    """
    cal_end = to_date(calibration_end, "calibration_end")
    obs_end = None if observation_end is None else to_date(observation_end, "observation_end")
    if obs_end is not None and obs_end <= cal_end:
        raise InputError(
            f"the observation end ({obs_end}) must be after the calibration end ({cal_end}): "
            "the holdout period runs from one to the other"
        )
    cal, full, unit, last_day = _tables(data, cal_end, obs_end, dict(options))
    c, f = cal.to_pandas(), full.to_pandas()
    if len(c) == 0:
        raise InputError(f"no customer has a purchase on or before the calibration end {cal_end}")
    if last_day <= cal_end:
        raise InputError(
            f"no holdout period: the last line is dated {last_day}, not after the calibration "
            f"end {cal_end}"
        )
    later = f.set_index("customer_id")["purchase_days"].reindex(c["customer_id"]).to_numpy()
    out = pd.DataFrame(
        {
            "frequency": c["btyd_frequency"].to_numpy(),
            "recency": c["btyd_recency"].to_numpy(),
            "T": c["btyd_T"].to_numpy(),
            "paid_frequency": c["btyd_paid_frequency"].to_numpy(),
            "monetary_value": c["btyd_monetary"].to_numpy(),
            "frequency_holdout": (later - c["purchase_days"].to_numpy()).astype("int64"),
            "duration_holdout": (last_day - cal_end).days / UNITS[unit],
        },
        index=pd.Index(c["customer_id"], name="customer_id"),
    )
    out.attrs.update(calibration_end=cal_end, observation_end=last_day, unit=unit)
    return out


def holdout_comparison(
    model: BetaGeoNBD,
    summary: pd.DataFrame,
    max_frequency: int = 7,
    *,
    frequency="frequency",
    recency="recency",
    T="T",
    frequency_holdout="frequency_holdout",
    duration_holdout="duration_holdout",
) -> pd.DataFrame:
    """Mean actual vs mean predicted holdout purchases per calibration frequency 0, 1, …,
    ``max_frequency``+ (the conditional-expectation check of Fader, Hardie & Lee 2005a, Fig. 3).

    ``summary`` is the output of :func:`calibration_holdout` (or any table with those columns);
    predictions are ``model.conditional_expected_purchases(duration_holdout, …)``. Returns one
    row per group: ``group`` (text: "0", …, "7+"), ``customers``, ``actual``, ``predicted``.
    """
    if not isinstance(model, BetaGeoNBD):
        raise TypeError("holdout_comparison needs a fitted BetaGeoNBD model")
    if (
        isinstance(max_frequency, bool)
        or not isinstance(max_frequency, numbers.Integral)
        or max_frequency < 1
    ):
        raise InputError(f"max_frequency must be a whole number >= 1, not {max_frequency!r}")
    dur = _Arg("duration_holdout", duration_holdout, data=summary)
    _nonneg(dur)
    actual = _Arg("frequency_holdout", frequency_holdout, data=summary)
    _nonneg(actual)
    pred = np.asarray(
        model.conditional_expected_purchases(dur.values, frequency, recency, T, data=summary),
        dtype=float,
    )
    x = _Arg("frequency", frequency, data=summary).values
    grp = np.minimum(x, max_frequency).astype(int)
    labels = [str(k) for k in range(max_frequency)] + [f"{max_frequency}+"]
    df = pd.DataFrame({"g": grp, "actual": actual.values, "predicted": pred})
    agg = (
        df.groupby("g")
        .agg(
            customers=("actual", "size"),
            actual=("actual", "mean"),
            predicted=("predicted", "mean"),
        )
        .reindex(range(max_frequency + 1))
    )
    agg["customers"] = agg["customers"].fillna(0).astype("int64")
    agg.insert(0, "group", labels)
    return agg.reset_index(drop=True)


def plot_calibration_holdout(
    model: BetaGeoNBD, summary: pd.DataFrame, ax=None, max_frequency: int = 7, **columns
):
    """Plot mean actual and mean predicted holdout repeat purchases by calibration frequency
    (0 … ``max_frequency``+), see :func:`holdout_comparison`. Returns the Axes."""
    table = holdout_comparison(model, summary, max_frequency, **columns)
    ax = axes(ax)
    pos = np.arange(len(table))
    ax.plot(pos, table["actual"], "o-", color="C0", label="actual")
    ax.plot(pos, table["predicted"], "s--", color="C1", label="predicted (BG/NBD)")
    ax.set_xticks(pos, table["group"])
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.legend()
    return ax


def repeat_purchase_tracking(
    model: BetaGeoNBD,
    data: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    calibration_end=None,
    unit: str = "week",
    step=None,
    zero_amount: str = "order",
) -> pd.DataFrame:
    """Cumulative repeat purchases over calendar time, actual against expected: the tracking
    plot with which Fader, Hardie & Lee (2005a, *Marketing Science* 24(2)) validate the BG/NBD
    model across its calibration and holdout periods.

    ``data`` is the transaction log (parsed with :func:`~customer_value.customers.clean_transactions`,
    the library's one parser); purchase occasions are customer-days with an order line (amount
    ≥ 0, or > 0 with ``zero_amount="ignore"``), as in :func:`calibration_holdout`. The customers
    are those whose first purchase is on or before ``calibration_end`` (all customers without
    it). At each grid date s, from the first purchase day every ``step`` days (default one
    ``unit``) to the last day in the log::

        actual(s)   = repeat occasions (days after a customer's first) on or before s
        expected(s) = Σ_i E[X(s − t0_i)]        (0 before her first purchase day t0_i)

    with E[X(t)] = :meth:`BetaGeoNBD.expected_purchases`, t in the model's ``unit``. Customers
    who share a first purchase day share a term, so the work grows with the number of distinct
    first days, not of customers.

    Returns a DataFrame with ``date``, ``actual``, ``expected`` and ``period`` ("calibration"
    or "holdout"); ``attrs["calibration_end"]`` holds the split (or None).

    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, 5.0, 5.0],
    ...                     "date": ["2024-01-01", "2024-01-10", "2024-01-03"]})
    >>> m = BetaGeoNBD.from_params(r=1.0, alpha=2.0, a=1.0, b=3.0)
    >>> repeat_purchase_tracking(m, log, unit="week")["actual"].tolist()   # 8 Jan, 10 Jan
    [0, 1]
    """
    if not isinstance(model, BetaGeoNBD):
        raise TypeError("repeat_purchase_tracking needs a BetaGeoNBD model")
    model._check_fitted()
    if unit not in UNITS:
        raise InputError(f"unit must be one of {list(UNITS)}, not {unit!r}")
    days = UNITS[unit]
    step_days = days if step is None else _positive_scalar("step", step)
    tx, _ = clean_transactions(data, customer_id=customer_id, date=date, amount=amount, events=[])
    a = tx[amount].to_numpy()
    is_order = (a >= 0) if zero_amount == "order" else (a > 0)
    occ = pd.DataFrame(
        {
            "c": tx[customer_id].to_numpy()[is_order],
            "d": tx[date].dt.normalize().to_numpy()[is_order],
        }
    ).drop_duplicates()
    if occ.empty:
        raise InputError("the log has no order line")
    first = occ.groupby("c", sort=False)["d"].transform("min")
    cal_end = None
    if calibration_end is not None:
        cal_end = pd.Timestamp(to_date(calibration_end, "calibration_end"))
        occ, first = occ[first <= cal_end], first[first <= cal_end]
        if occ.empty:
            raise InputError(
                f"no customer has a first purchase on or before the calibration end "
                f"({cal_end.date()})"
            )
    start, end = occ["d"].min(), occ["d"].max()
    one_day = pd.Timedelta(days=1)
    span = float((end - start) / one_day)
    offsets = np.arange(step_days, span + step_days, step_days)
    offsets = np.unique(np.minimum(offsets, span)) if span > 0 else np.array([0.0])
    repeat_days = np.sort(((occ["d"][occ["d"] != first] - start) / one_day).to_numpy(float))
    actual = np.searchsorted(repeat_days, offsets, side="right").astype("int64")
    first_days = ((first[occ["d"] == first] - start) / one_day).to_numpy(float)
    f, n_f = np.unique(first_days, return_counts=True)
    t = np.maximum(offsets[None, :] - f[:, None], 0.0) / days
    ex = np.asarray(model.expected_purchases(t.ravel()), dtype=float).reshape(t.shape)
    expected = (n_f[:, None] * ex).sum(axis=0)
    dates = start + pd.to_timedelta(offsets, unit="D")
    in_cal = np.ones(len(dates), dtype=bool) if cal_end is None else dates <= cal_end
    out = pd.DataFrame(
        {
            "date": dates,
            "actual": actual,
            "expected": expected,
            "period": np.where(in_cal, "calibration", "holdout"),
        }
    )
    out.attrs["calibration_end"] = cal_end
    return out


def plot_repeat_purchase_tracking(tracking: pd.DataFrame, ax=None):
    """Plot :func:`repeat_purchase_tracking`: actual (solid) and expected (dashed) cumulative
    repeat purchases against the date, with the end of the calibration period marked.
    Returns the Axes."""
    need = {"date", "actual", "expected"}
    if not isinstance(tracking, pd.DataFrame) or not need <= set(tracking.columns):
        raise TypeError(
            "plot_repeat_purchase_tracking expects the DataFrame returned by "
            "repeat_purchase_tracking"
        )
    ax = axes(ax)
    ax.plot(tracking["date"], tracking["actual"], "-", color="C0", label="actual")
    ax.plot(tracking["date"], tracking["expected"], "--", color="C1", label="expected (BG/NBD)")
    cal_end = tracking.attrs.get("calibration_end")
    if cal_end is not None:
        ax.axvline(cal_end, color="grey", ls=":", lw=1)
        ax.text(
            cal_end,
            0.02,
            " end of calibration",
            transform=ax.get_xaxis_transform(),
            fontsize=8,
            color="#555555",
            ha="left",
            va="bottom",
        )
    ax.set_xlabel("date")
    ax.set_ylabel("cumulative repeat purchases")
    ax.legend(loc="upper left")
    return ax


# --------------------------------------------------------------------------------------------
# the whole check as one result
# --------------------------------------------------------------------------------------------


@dataclass
class HoldoutCheck:
    """A BG/NBD model fitted on a calibration period and its forecast of the holdout purchases
    (:func:`holdout_check`).

    Attributes
    ----------
    model : the BetaGeoNBD fitted on the calibration summary.
    data : :func:`calibration_holdout` with a ``predicted_holdout`` column.
    calibration_end, observation_end : the split and the end of the holdout.
    notes : what went wrong in the fit, in words (empty when it converged).
    """

    model: BetaGeoNBD
    data: pd.DataFrame
    calibration_end: _dt.date
    observation_end: _dt.date
    unit: str
    notes: list[str] = field(default_factory=list)

    @property
    def actual(self) -> int:
        return int(self.data["frequency_holdout"].sum())

    @property
    def predicted(self) -> float:
        return float(self.data["predicted_holdout"].sum())

    @property
    def error(self) -> float:
        """Predicted / actual − 1 of the total holdout purchases (NaN without any)."""
        return self.predicted / self.actual - 1 if self.actual else float("nan")

    @property
    def chance(self) -> float:
        """Two Poisson standard deviations of the actual total, relative to it: an error below
        this says little either way."""
        return 2 / np.sqrt(self.actual) if self.actual else float("nan")

    def summary(self) -> pd.DataFrame:
        """One row per statistic of the check (a tidy table)."""
        d = self.data
        rows = [
            ("customers", len(d)),
            ("holdout length", float(d["duration_holdout"].iloc[0])),
            ("actual purchases", self.actual),
            ("predicted purchases", self.predicted),
            ("error of the total", self.error),
            (
                "mean absolute error per customer",
                float((d["predicted_holdout"] - d["frequency_holdout"]).abs().mean()),
            ),
            ("mean actual per customer", float(d["frequency_holdout"].mean())),
        ]
        return pd.DataFrame(rows, columns=["statistic", "value"])

    def comparison(self, max_frequency: int = 7) -> pd.DataFrame:
        """Mean actual and predicted holdout purchases by calibration frequency."""
        return holdout_comparison(self.model, self.data, max_frequency)

    def plot(self, ax=None, max_frequency: int = 7):
        """:func:`plot_calibration_holdout` of the check. Returns the Axes."""
        return plot_calibration_holdout(self.model, self.data, ax=ax, max_frequency=max_frequency)


def fit_quietly(model, *args, **kwargs) -> list[str]:
    """Fit ``model`` and return what went wrong as sentences, instead of letting numeric
    warnings reach the user: nothing when the fit converged, one sentence when it did not."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="ignore"):
            model.fit(*args, **kwargs)
    for w in caught:
        if not issubclass(w.category, RuntimeWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if model.converged_:
        return []
    return [
        f"the {type(model).__name__} fit did not converge: its estimates may be unreliable "
        "(too few customers or repeat purchases for the model)"
    ]


def holdout_check(data, calibration_end, *, observation_end=None, **options) -> HoldoutCheck:
    """Fit BG/NBD on the calibration period of a log and predict each customer's purchase
    occasions in the holdout period (see :func:`calibration_holdout` for ``data`` and the
    options). Raises an InputError when the calibration period has fewer than 30 customers or
    10 repeat buyers (a few hundred give stable estimates)."""
    summary = calibration_holdout(data, calibration_end, observation_end=observation_end, **options)
    repeaters = int((summary["frequency"] > 0).sum())
    if len(summary) < 30 or repeaters < 10:
        raise InputError(
            f"the calibration period up to {summary.attrs['calibration_end']} has too few "
            f"customers to fit the model: {len(summary)} customers, {repeaters} with a repeat "
            "purchase (at least 30 and 10 are needed); choose a later calibration end"
        )
    model = BetaGeoNBD()
    notes = fit_quietly(model, summary)
    summary = summary.assign(
        predicted_holdout=np.asarray(
            model.conditional_expected_purchases(
                summary["duration_holdout"].to_numpy(), "frequency", "recency", "T", data=summary
            ),
            dtype=float,
        )
    )
    return HoldoutCheck(
        model=model,
        data=summary,
        calibration_end=summary.attrs["calibration_end"],
        observation_end=summary.attrs["observation_end"],
        unit=summary.attrs["unit"],
        notes=notes,
    )
