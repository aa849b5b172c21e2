"""Each customer's lifetime value from her customer-table row: the one function the command
line, the lessons and the reports call (:func:`lifetime_value`)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._util import axes
from ..btyd import BetaGeoNBD, GammaGamma
from ..customers import UNITS, CustomerTable
from ..io import InputError
from .formulas import discounted_expected_purchases
from .holdout import fit_quietly

__all__ = ["MODELS", "CustomerValue", "lifetime_value"]

#: The models of :func:`lifetime_value`.
MODELS = ("bgnbd", "simple")
#: Fewest customers, and customers with a paid repeat purchase, the BG/NBD and Gamma-Gamma
#: models are fitted on.
MIN_CUSTOMERS, MIN_REPEATERS = 30, 10

_NEEDED = (
    "customer_id",
    "purchase_days",
    "gross_sales",
    "revenue",
    "gross_margin",
    "cost_to_serve",
    "btyd_frequency",
    "btyd_recency",
    "btyd_T",
    "btyd_paid_frequency",
    "btyd_monetary",
)


@dataclass
class CustomerValue:
    """Per-customer lifetime value (:func:`lifetime_value`).

    Attributes
    ----------
    data : one row per customer (see :func:`lifetime_value` for the columns).
    model : ``"bgnbd"`` or ``"simple"``.
    bgnbd, gamma_gamma : the fitted models (None for the simple formula).
    horizon, period, discount_rate : the horizon in periods of ``period`` and the discount rate
        per period.
    unit : time unit of frequency, recency and T.
    margin : how the margin rate was set, in words.
    cost_to_serve : whether the cost to serve per purchase was subtracted.
    as_of : the end of the observation period of the customer table.
    notes : problems of the fit in words (empty when the models converged).
    """

    data: pd.DataFrame
    model: str
    bgnbd: BetaGeoNBD | None
    gamma_gamma: GammaGamma | None
    horizon: int
    period: str
    discount_rate: float
    unit: str
    margin: str
    cost_to_serve: bool
    as_of: _dt.date | None = None
    notes: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The per-customer table (a copy), ``customer_id`` first."""
        return self.data.copy()

    @property
    def horizon_text(self) -> str:
        return f"{self.horizon} {self.period}{'s' if self.horizon != 1 else ''}"

    def summary(self) -> pd.DataFrame:
        """The value of the customer base in one tidy table (statistic, value)."""
        v = self.data["clv"]
        q = v.quantile([0.1, 0.25, 0.5, 0.75, 0.9])
        rows = [
            ("customers", float(len(v))),
            ("total CLV", float(v.sum())),
            ("total discounted revenue", float(self.data["revenue_value"].sum())),
            ("mean CLV", float(v.mean())),
            *[(f"CLV percentile {int(p * 100)}", float(x)) for p, x in q.items()],
            ("largest CLV", float(v.max())),
            ("customers with negative CLV", float((v < 0).sum())),
            ("share with negative CLV", float((v < 0).mean())),
            (
                f"expected purchases in {self.horizon_text}",
                float(self.data["expected_purchases"].sum()),
            ),
        ]
        if "p_alive" in self.data:
            rows += [
                ("mean P(alive)", float(self.data["p_alive"].mean())),
                ("share with P(alive) < 0.2", float((self.data["p_alive"] < 0.2).mean())),
                ("share with P(alive) >= 0.8", float((self.data["p_alive"] >= 0.8).mean())),
            ]
        return pd.DataFrame(rows, columns=["statistic", "value"])

    def spend_frequency_correlation(self) -> float:
        """Spearman rank correlation of the paid repeat purchases and their mean spend among the
        customers the Gamma-Gamma model was fitted on: the model assumes spend independent of
        frequency (Fader, Hardie & Lee 2005b), so it should be near 0. NaN for the simple
        formula or fewer than three customers."""
        if "paid_frequency" not in self.data:
            return float("nan")
        d = self.data[self.data["paid_frequency"] > 0]
        if len(d) < 3 or d["paid_frequency"].nunique() < 2 or d["monetary_value"].nunique() < 2:
            return float("nan")
        from scipy import stats

        return float(stats.spearmanr(d["paid_frequency"], d["monetary_value"]).statistic)

    def compare_tiers(self, shares=(0.2, 0.3, 0.3, 0.2)):
        """The customer pyramid on CLV against the pyramid on past profit
        (:func:`customer_value.clv.compare_tiers`)."""
        from .tiers import compare_tiers

        return compare_tiers(self, shares)

    def parameters(self) -> pd.DataFrame:
        """The fitted parameters of both models (model, parameter, estimate, std_err, ci_low,
        ci_high); empty for the simple formula."""
        frames = []
        for m in (self.bgnbd, self.gamma_gamma):
            if m is not None:
                s = m.summary()
                s.insert(0, "model", type(m).__name__)
                frames.append(s)
        if not frames:
            return pd.DataFrame(
                columns=["model", "parameter", "estimate", "std_err", "ci_low", "ci_high"]
            )
        return pd.concat(frames, ignore_index=True)

    def deciles(self) -> pd.DataFrame:
        """Share of the total CLV held by each tenth of the customers ranked by CLV (top tenth
        first; ties broken by position, i.e. customer id)."""
        v = self.data["clv"].to_numpy()
        rank = pd.Series(v).rank(ascending=False, method="first").to_numpy()
        decile = ((rank - 1) * 10 // len(v)).astype(int) + 1
        total = v.sum()
        share = pd.Series(v).groupby(decile).sum() / total if total else np.nan
        return pd.DataFrame(
            {"decile": range(1, 11), "share": np.asarray(share.reindex(range(1, 11)), dtype=float)}
        )

    def plot(self, kind: str = "deciles", ax=None):
        """``kind="deciles"``: bars of the share of total CLV by decile of customers;
        ``"p_alive"``: histogram of P(alive) (BG/NBD only). Returns the Axes."""
        from matplotlib.ticker import PercentFormatter

        if kind == "deciles":
            ax = axes(ax, (7, 4.2))
            d = self.deciles()
            ax.bar(d["decile"], d["share"], color=np.where(d["share"] >= 0, "#264653", "#c0392b"))
            for k, s in zip(d["decile"], d["share"]):
                ax.text(k, s, f"{s:.0%}", ha="center", va="bottom" if s >= 0 else "top", fontsize=8)
            ax.axhline(0, color="#777777", lw=0.8)
            ax.set_ylim(min(0.0, d["share"].min()) * 1.3 - 0.02, d["share"].max() * 1.15)
            ax.set_xticks(
                range(1, 11), [f"{10 * (k - 1)}–{10 * k}%" for k in range(1, 11)], rotation=45
            )
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set(
                xlabel="customers ranked by CLV (top 10% first)",
                ylabel="share of total CLV",
                title=f"Where the predicted profit of the next {self.horizon_text} is",
            )
            return ax
        if kind == "p_alive":
            if "p_alive" not in self.data:
                raise InputError(
                    "P(alive) comes from the BG/NBD model; this value used the simple formula"
                )
            ax = axes(ax, (7, 3.8))
            ax.hist(
                self.data["p_alive"], bins=np.linspace(0, 1, 21), color="#2a9d8f", edgecolor="white"
            )
            ax.set(
                xlabel="P(alive): probability that the customer is still active",
                ylabel="customers",
                title="How many customers are still active?",
            )
            return ax
        raise InputError(f"kind must be 'deciles' or 'p_alive', not {kind!r}")


def _frame(table) -> tuple[pd.DataFrame, str | None, float | None, _dt.date | None]:
    if isinstance(table, CustomerTable):
        return table.to_pandas(), table.unit, table.settings.get("margin_rate"), table.as_of
    if isinstance(table, pd.DataFrame):
        return table, None, None, None
    raise TypeError(
        f"lifetime_value takes a CustomerTable or its pandas frame, not {type(table).__name__}"
    )


def _margin_rates(df: pd.DataFrame, margin, table_rate) -> tuple[np.ndarray, str]:
    sales = df["gross_sales"].to_numpy(dtype=float)
    gm = df["gross_margin"].to_numpy(dtype=float)
    total = float(sales.sum())
    pooled = float(gm.sum()) / total if total > 0 else np.nan
    if isinstance(margin, (int, float)) and not isinstance(margin, bool):
        if not np.isfinite(margin):
            raise InputError(f"margin must be a finite number, not {margin!r}")
        return np.full(len(df), float(margin)), f"margin rate {float(margin):g} for every customer"
    if table_rate is not None and margin in ("customer", "pooled"):
        return np.full(len(df), table_rate), f"margin rate {table_rate:g} (no cost data)"
    if margin == "pooled":
        if not np.isfinite(pooled):
            raise InputError("the customers have no sales: no margin rate can be computed")
        return np.full(len(df), pooled), f"one margin rate for all: {pooled:.4g} of gross sales"
    if margin == "customer":
        with np.errstate(divide="ignore", invalid="ignore"):
            own = np.where(sales > 0, gm / np.where(sales > 0, sales, 1.0), pooled)
        return own, "each customer's own gross margin rate (gross margin / gross sales)"
    raise InputError(f"margin must be 'customer', 'pooled' or a number, not {margin!r}")


def lifetime_value(
    table,
    *,
    model: str = "bgnbd",
    horizon: int = 12,
    period: str = "month",
    discount_rate: float = 0.0,
    margin="customer",
    cost_to_serve: bool = True,
    unit: str | None = None,
) -> CustomerValue:
    """Each customer's lifetime value over the next ``horizon`` periods, net of her cost to
    serve: the one definition of CLV in the library.

    ``table`` is a :class:`~customer_value.customers.CustomerTable` (or its ``to_pandas()``
    frame, with ``unit=`` the unit of its BTYD columns). ``period`` is the length of one horizon
    period (``"day"``, ``"week"``, ``"month"``, ``"year"``) and ``discount_rate`` the discount
    rate per period; each period's value is discounted from its end.

    ``model="bgnbd"`` (default) fits BG/NBD on every customer's (btyd_frequency, btyd_recency,
    btyd_T) and Gamma-Gamma on the customers with a paid repeat purchase (btyd_paid_frequency,
    btyd_monetary), and values each customer as::

        CLV = DEP × (E(M) × m − c)

    with DEP the discounted expected purchase occasions over the horizon
    (:func:`discounted_expected_purchases`; Fader, Hardie & Lee 2005a, eq. 10), E(M) her
    Gamma-Gamma expected spend per occasion (Fader, Hardie & Lee 2005b), m her margin rate and c
    her cost to serve per purchase occasion (cost_to_serve / purchase_days; activity-based
    costing, Cooper & Kaplan 1991). ``model="simple"`` is the practitioner formula of the
    course's source (average value per purchase × purchases per period × periods), with the
    same margin and cost to serve (our addition) and no discounting.

    ``margin``: ``"customer"`` (default; her gross_margin / gross_sales), ``"pooled"`` (one
    rate for all: Σ gross margin / Σ gross sales) or a number; a table built without cost data
    uses its margin rate. ``cost_to_serve=False`` leaves the cost to serve out (c = 0).

    Columns of ``.data`` (bgnbd): customer_id, frequency, recency, T, paid_frequency,
    monetary_value, p_alive, expected_purchases (undiscounted, over the horizon),
    discounted_purchases, expected_spend, margin_rate, cost_per_purchase, revenue_value
    (discounted revenue = DEP × E(M)), clv. (simple): customer_id, purchase_days, T,
    purchases_per_period, avg_transaction_value, margin_rate, cost_per_purchase,
    expected_purchases, revenue_value, clv. Both end with past_profit (the profit of the
    observed period) and recency_days (days since the last purchase), for comparisons.

    >>> from customer_value import customers, datasets
    >>> t = customers.customer_table(datasets.load("retail_transactions"), cost="cost",
    ...                              unit="week", order_cost=5.0)
    >>> v = lifetime_value(t, horizon=12, period="month", discount_rate=0.008)
    >>> v.bgnbd.params_.round(2).tolist()
    [1.01, 6.35, 0.99, 10.03]
    >>> bool(v.data["clv"].notna().all()), len(v.data)
    (True, 20000)
    """
    if model not in MODELS:
        raise InputError(f"model must be one of {list(MODELS)}, not {model!r}")
    df, table_unit, table_rate, as_of = _frame(table)
    unit = unit or table_unit
    if unit not in UNITS:
        raise InputError(
            f"unit must be one of {list(UNITS)} (the unit of the table's BTYD columns), not {unit!r}"
        )
    if period not in UNITS:
        raise InputError(f"period must be one of {list(UNITS)}, not {period!r}")
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise InputError(f"horizon must be a whole number of periods >= 1, not {horizon!r}")
    missing = [c for c in _NEEDED if c not in df.columns]
    if missing:
        raise InputError(f"lifetime_value needs the columns of a customer table; missing {missing}")
    if len(df) == 0:
        raise InputError("the customer table has no customers")
    if model == "simple" and discount_rate:
        raise InputError(
            "the simple formula is not discounted: leave discount_rate at 0 or use model='bgnbd'"
        )
    rates, margin_text = _margin_rates(df, margin, table_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        cpp = (df["cost_to_serve"] / df["purchase_days"]).to_numpy(dtype=float)
    cpp = cpp if cost_to_serve else np.zeros(len(df))
    length = UNITS[period] / UNITS[unit]
    common = dict(
        model=model,
        horizon=int(horizon),
        period=period,
        discount_rate=float(discount_rate),
        unit=unit,
        margin=margin_text,
        cost_to_serve=bool(cost_to_serve),
        as_of=as_of,
    )
    ids = df["customer_id"].to_numpy()
    past = {
        "past_profit": df["profit"].to_numpy(dtype=float)
        if "profit" in df
        else (df["gross_margin"] - df["cost_to_serve"]).to_numpy(dtype=float),
        "recency_days": df["recency_days"].to_numpy() if "recency_days" in df else np.nan,
    }
    if model == "simple":
        t_periods = df["btyd_T"].to_numpy(dtype=float) / length
        rate = df["purchase_days"].to_numpy(dtype=float) / np.maximum(t_periods, 1.0)
        avg = np.clip(
            df["revenue"].to_numpy(dtype=float) / df["purchase_days"].to_numpy(dtype=float),
            0.0,
            None,
        )
        expected = rate * int(horizon)
        out = pd.DataFrame(
            {
                "customer_id": ids,
                "purchase_days": df["purchase_days"].to_numpy(),
                "T": df["btyd_T"].to_numpy(),
                "purchases_per_period": rate,
                "avg_transaction_value": avg,
                "margin_rate": rates,
                "cost_per_purchase": cpp,
                "expected_purchases": expected,
                "revenue_value": expected * avg,
                "clv": expected * (avg * rates - cpp),
                **past,
            }
        )
        return CustomerValue(data=out, bgnbd=None, gamma_gamma=None, **common)

    rft = {"frequency": "btyd_frequency", "recency": "btyd_recency", "T": "btyd_T"}
    paid = df["btyd_paid_frequency"] > 0
    if len(df) < MIN_CUSTOMERS or int(paid.sum()) < MIN_REPEATERS:
        raise InputError(
            f"too few customers to fit the models: {len(df)} customers, {int(paid.sum())} with a "
            f"paid repeat purchase (at least {MIN_CUSTOMERS} and {MIN_REPEATERS} are needed; a "
            "few hundred give stable estimates); use model='simple'"
        )
    bg, gg = BetaGeoNBD(), GammaGamma()
    notes = fit_quietly(bg, df, **rft)
    notes += fit_quietly(gg, df[paid], frequency="btyd_paid_frequency", monetary="btyd_monetary")
    with np.errstate(all="ignore"):
        dep = np.asarray(
            discounted_expected_purchases(
                bg,
                horizon=int(horizon),
                discount_rate=discount_rate,
                period_length=length,
                data=df,
                **rft,
            ),
            dtype=float,
        )
        spend = np.asarray(
            gg.conditional_expected_average_spend("btyd_paid_frequency", "btyd_monetary", data=df),
            dtype=float,
        )
        p_alive = np.asarray(bg.probability_alive(data=df, **rft), dtype=float)
        expected = np.asarray(
            bg.conditional_expected_purchases(int(horizon) * length, data=df, **rft), dtype=float
        )
    clv = dep * (spend * rates - cpp)
    out = pd.DataFrame(
        {
            "customer_id": ids,
            "frequency": df["btyd_frequency"].to_numpy(),
            "recency": df["btyd_recency"].to_numpy(),
            "T": df["btyd_T"].to_numpy(),
            "paid_frequency": df["btyd_paid_frequency"].to_numpy(),
            "monetary_value": df["btyd_monetary"].to_numpy(),
            "p_alive": p_alive,
            "expected_purchases": expected,
            "discounted_purchases": dep,
            "expected_spend": spend,
            "margin_rate": rates,
            "cost_per_purchase": cpp,
            "revenue_value": dep * spend,
            "clv": clv,
            **past,
        }
    )
    lost = int((~np.isfinite(clv)).sum())
    if lost:
        failed = [type(m).__name__ for m in (bg, gg) if not m.converged_]
        raise InputError(
            f"the models give no finite CLV for {lost:,} of {len(df):,} customers"
            + (f" ({' and '.join(failed)} did not converge)" if failed else "")
            + ": the log has too few customers or repeat purchases to estimate them; use "
            "model='simple', or a longer log"
        )
    return CustomerValue(data=out, bgnbd=bg, gamma_gamma=gg, notes=notes, **common)
