"""A firm's own figures for the profit models: the input of the ``profit_model_report``.

The figures are a YAML file (or a mapping) with up to five sections, each feeding the
computable form of the profit model it can test (:data:`FIRM_SECTIONS`). The file's layout is a
pydantic schema (:class:`~customer_value.profit_models.firm_schema.FirmFile`);
:func:`read_firm_figures` reads the file with :func:`customer_value.io.read_yaml`, validates it
and turns every problem (an unknown section or field, a missing field, a value that is not a
number or out of range, an inconsistency between fields, an unreadable unit-cost file) into
**one** :class:`~customer_value.io.InputError` that names the file, the section, the entry and
the field, and says the rule. A file may have any subset of the sections: :class:`FirmFigures`
runs the models of the sections present.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from .._util import Problems, fmt
from ..io import InputError, example_rows, read_table, read_yaml
from .customer import after_sale, installed_base, lifetime_margin, multi_component
from .experience import fit_experience_curve
from .firm_schema import FIRM_SECTIONS, FirmFile, UnitCosts, describe
from .scale import relative_market_share
from .time import cyclical

__all__ = ["FIRM_SECTIONS", "FirmFigures", "read_firm_figures"]

_IB_DEFAULTS = {"retention": 1.0, "capture_rate": 1.0, "discount_rate": 0.10}
_DEFAULT_PROGRESS_RATIO = 0.8  # Wright (1936)


# ============================================================================================
# the validated figures
# ============================================================================================


@dataclass
class FirmFigures:
    """A firm's figures for the profit models, validated (see :func:`read_firm_figures`).

    ``segments`` (columns segment, revenue, cost and, if given, assets), ``unit_costs``
    (period, cumulative, unit_cost) and ``capacity_history`` (period, utilisation and, if given,
    price) are DataFrames; ``market_share``, ``capacity`` and ``installed_base`` are dicts of
    the section's fields; ``notes`` is the file's free text. A section that the file does not
    have is ``None``. :meth:`models` runs the matching computable models; :meth:`assumptions`
    says what each run assumed or derived.

    >>> figs = read_firm_figures({"capacity": {"capacity": 10, "variable_cost": 60,
    ...                                        "fixed_cost": 200, "price": 100}})
    >>> figs.sections, figs.models()["cyclical"].break_even_utilisation    # 200 / (40·10)
    (['capacity'], 0.5)
    >>> figs.assumptions()["cyclical"]
    ['price as a function of utilisation: constant at the given price (100)']
    """

    firm: str
    currency: str = ""
    period: str = ""
    notes: str = ""
    source: str | None = None
    segments: pd.DataFrame | None = None
    unit_costs: pd.DataFrame | None = None
    unit_costs_basis: str = "including"
    unit_costs_unit: str = ""
    unit_costs_source: str = ""
    market_share: dict | None = None
    capacity: dict | None = None
    capacity_history: pd.DataFrame | None = None
    installed_base: dict | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def sections(self) -> list[str]:
        """The sections present, in report order."""
        return [s for s in FIRM_SECTIONS if getattr(self, s) is not None]

    @property
    def missing_sections(self) -> list[str]:
        """The sections the file does not have."""
        return [s for s in FIRM_SECTIONS if getattr(self, s) is None]

    def models(self) -> dict[str, Any]:
        """Run the computable model(s) of every section present.

        Keys: ``multi_component``, ``fit_experience_curve`` (an
        :class:`~customer_value.profit_models.ExperienceCurveFit`),
        ``relative_market_share`` (firms "own firm" and "largest rival"), ``cyclical``,
        ``installed_base``, ``after_sale`` (only with service figures) and ``lifetime_margin``
        (hardware + consumables + service of one unit; with an installed base). The relative
        cost of ``relative_market_share`` uses, in this order, the section's
        ``progress_ratio``, the fitted one from ``unit_costs`` (when it is in (0, 1)) or 0.8
        (Wright 1936); the price line of ``cyclical`` is the section's
        ``price_intercept``/``price_slope``, or the OLS line of price on utilisation in the
        history, or the constant ``price``. :meth:`assumptions` records which.
        """
        if "models" not in self._cache:
            self._cache["models"], self._cache["assumptions"] = self._run()
        return dict(self._cache["models"])

    def assumptions(self) -> dict[str, list[str]]:
        """Per model, the assumptions and derived inputs of :meth:`models`, as sentences."""
        self.models()
        return {k: list(v) for k, v in self._cache["assumptions"].items()}

    def _run(self):
        results: dict[str, Any] = {}
        notes: dict[str, list[str]] = {}
        if self.segments is not None:
            has_assets = "assets" in self.segments
            results["multi_component"] = multi_component(
                self.segments, component="segment", assets="assets" if has_assets else None
            )
            notes["multi_component"] = (
                [] if has_assets else ["no assets were given, so return on assets is not shown"]
            )
        if self.unit_costs is not None:
            including = self.unit_costs_basis == "including"
            results["fit_experience_curve"] = fit_experience_curve(
                self.unit_costs,
                cost="unit_cost",
                cumulative="cumulative",
                includes_current=including,
            )
            notes["fit_experience_curve"] = [
                f"cumulative volume {'includes' if including else 'excludes'} each period's own "
                f"output (basis: {self.unit_costs_basis})"
            ]
        if self.market_share is not None:
            ms = self.market_share
            fit = results.get("fit_experience_curve")
            if "progress_ratio" in ms:
                pr, how = ms["progress_ratio"], "the progress ratio given in the figures"
            elif fit is not None and 0 < fit.progress_ratio_ < 1:
                pr, how = fit.progress_ratio_, "the progress ratio fitted on the unit-cost history"
            else:
                pr, how = _DEFAULT_PROGRESS_RATIO, "Wright's 80% progress ratio (an assumption)"
            data = pd.DataFrame(
                {"firm": ["own firm", "largest rival"], "share": [ms["own"], ms["largest_rival"]]}
            )
            results["relative_market_share"] = relative_market_share(data, progress_ratio=pr)
            notes["relative_market_share"] = [
                f"relative cost = RMS^b uses {how}, {pr:.3f}; it assumes cumulative experience "
                "proportional to market share"
            ]
        if self.capacity is not None:
            cap = self.capacity
            a, b, how = self.price_line()
            kwargs = {
                "capacity": cap["capacity"],
                "price_intercept": a,
                "price_slope": b,
                "variable_cost": cap["variable_cost"],
                "fixed_cost": cap["fixed_cost"],
            }
            hist = self.capacity_history
            if hist is not None:
                res = cyclical("utilisation", data=hist[["period", "utilisation"]], **kwargs)
            elif "utilisation" in cap:
                res = cyclical([cap["utilisation"]], **kwargs)
            else:
                res = cyclical(**kwargs)
            results["cyclical"] = res
            notes["cyclical"] = [f"price as a function of utilisation: {how}"]
        if self.installed_base is not None:
            results |= self._installed_base(notes)
        return results, notes

    def _installed_base(self, notes: dict) -> dict:
        ib = self.installed_base
        given = [k for k in _IB_DEFAULTS if k not in ib]
        vals = {**_IB_DEFAULTS, **ib}
        out = {
            "installed_base": installed_base(
                hardware_price=vals["hardware_price"],
                hardware_cost=vals["hardware_cost"],
                consumable_price=vals["consumable_price"],
                consumable_cost=vals["consumable_cost"],
                consumables_per_period=vals["consumables_per_year"],
                periods=vals["years"],
                retention=vals["retention"],
                capture_rate=vals["capture_rate"],
                discount_rate=vals["discount_rate"],
            )
        }
        notes["installed_base"] = [f"{k} not given: assumed {_IB_DEFAULTS[k]:g}" for k in given]
        if "service_revenue" in ib:
            renewal = ib.get("renewal_rate", vals["retention"])
            out["after_sale"] = after_sale(
                equipment_price=vals["hardware_price"],
                equipment_cost=vals["hardware_cost"],
                service_revenue=ib["service_revenue"],
                service_margin=ib["service_margin"],
                attach_rate=ib["attach_rate"],
                renewal_rate=renewal,
                years=vals["years"],
                discount_rate=vals["discount_rate"],
            )
            if "renewal_rate" not in ib:
                notes["installed_base"].append(
                    f"renewal_rate not given: the retention of the base ({renewal:g})"
                )
        life = lifetime_margin(out["installed_base"], out.get("after_sale"))
        out["lifetime_margin"] = life
        if "after_sale" in out:
            notes["after_sale"] = [
                "the after-sale model counts the hardware margin again; one unit's whole "
                f"lifetime margin is hardware {life.hardware_margin:,.4g} + consumables "
                f"{life.consumables_pv:,.4g} + service {life.service_pv:,.4g} = "
                f"{life.lifetime_margin:,.4g}"
            ]
        return out

    def price_line(self) -> tuple[float, float, str]:
        """The capacity section's price line p(u) = a + b·u and how it was obtained: as given,
        the OLS line of price on utilisation over the history (statsmodels), or constant."""
        if self.capacity is None:
            raise ValueError("these figures have no capacity section")
        cap, hist = self.capacity, self.capacity_history
        if "price_intercept" in cap:
            b = cap.get("price_slope", 0.0)
            a = cap["price_intercept"]
            return a, b, f"p(u) = {a:g} + {b:g}·u, as given in the figures"
        if hist is not None and "price" in hist:
            u, p = hist["utilisation"].to_numpy(float), hist["price"].to_numpy(float)
            if len(u) >= 3 and np.ptp(u) > 0:
                import statsmodels.api as sm

                a, b = (float(x) for x in sm.OLS(p, sm.add_constant(u)).fit().params)
                if b >= 0:
                    return (
                        a,
                        b,
                        f"p(u) = {a:,.4g} + {b:,.4g}·u, the least-squares line of price on "
                        f"utilisation over the {len(u)} periods of the history",
                    )
                return (
                    float(p.mean()),
                    0.0,
                    f"constant at the mean price of the history ({p.mean():,.4g}): the fitted "
                    "slope was negative, which the model does not allow",
                )
            return (
                float(p.mean()),
                0.0,
                f"constant at the mean price of the history ({p.mean():,.4g})",
            )
        return cap["price"], 0.0, f"constant at the given price ({cap['price']:g})"


# ============================================================================================
# reading
# ============================================================================================


def _unit_cost_table(uc: UnitCosts, base: Path, where: str, problems: Problems):
    """The unit-cost history as a DataFrame (period, cumulative, unit_cost) and its origin."""
    if uc.history is not None:
        df = pd.DataFrame(
            {
                "period": [r.period or str(i + 1) for i, r in enumerate(uc.history)],
                "cumulative": [r.cumulative for r in uc.history],
                "unit_cost": [r.unit_cost for r in uc.history],
            }
        )
        return df, "the history in the figures file"
    file = Path(uc.file).expanduser()
    file = file if file.is_absolute() else base / file
    sheet = uc.sheet if uc.sheet is None or not uc.sheet.isdigit() else int(uc.sheet)
    try:
        table = read_table(file, sheet=0 if sheet is None else sheet)
    except InputError as err:
        problems.add(where, f"cannot read file {uc.file!r}: {err}")
        return None, ""
    cum_col, cost_col, per_col = uc.cumulative_column, uc.cost_column, uc.period_column
    absent = [c for c in (per_col, cum_col, cost_col) if c and c not in table.columns]
    if absent:
        problems.add(
            where,
            f"file {file.name!r} has no column(s) {absent}; it has {list(table.columns)[:12]} "
            "(set cumulative_column / cost_column / period_column)",
        )
        return None, ""

    def numbers(col):
        text = table[col].astype(str).str.replace(",", "", regex=False)
        return pd.to_numeric(text, errors="coerce").to_numpy(float)

    df = pd.DataFrame(
        {
            "period": (
                table[per_col].astype(str).to_numpy()
                if per_col
                else np.arange(1, len(table) + 1).astype(str)
            ),
            "cumulative": numbers(cum_col),
            "unit_cost": numbers(cost_col),
        },
        index=table.index,
    )
    bad = ~((df["cumulative"] > 0) & (df["unit_cost"] > 0))
    if bad.any():
        problems.add(
            where,
            f"file {file.name!r}: columns {cum_col!r} and {cost_col!r} must be numbers > 0; "
            f"{int(bad.sum())} row(s) are not:\n"
            + example_rows(table, bad.to_numpy(), [cum_col, cost_col]),
        )
        return None, ""
    return df.reset_index(drop=True), f"file {file.name}"


def _check_history(df: pd.DataFrame, where: str, problems: Problems) -> None:
    cum = df["cumulative"].to_numpy()
    if len(cum) < 3:
        problems.add(where, f"needs at least 3 periods to fit an experience curve; got {len(cum)}")
    down = np.flatnonzero(np.diff(cum) <= 0)
    if down.size:
        shown = ", ".join(
            f"{df['period'].iloc[i]} → {df['period'].iloc[i + 1]} "
            f"({fmt(cum[i])} → {fmt(cum[i + 1])})"
            for i in down[:5]
        )
        problems.add(
            where,
            f"cumulative volume must increase from period to period; it does not at {shown}",
        )


def read_firm_figures(source, *, base_dir=None) -> FirmFigures:
    """Read and validate a firm's figures for the profit models (a YAML file or a mapping).

    Every section is optional, but at least one is needed (see :data:`FIRM_SECTIONS`)::

        firm: Example Co.                 # name shown in the report (default: the file name)
        currency: CNY million             # unit of the money figures
        period: "2024"                    # what the figures describe
        notes: figures from the 2024 management accounts   # free text, shown in the report
        segments:                         # segment P&L  -> multi_component
          - {name: systems, revenue: 589, cost: 632, assets: 420}   # assets optional
        unit_costs:                       # experience curve -> fit_experience_curve
          basis: including                # cumulative counts the period's own output, or "before"
          history:
            - {period: "2015", cumulative: 12000, unit_cost: 14.2}
          # or: file: unit_costs.csv (CSV/Excel, relative to this file), cumulative_column,
          #     cost_column, period_column, sheet
        market_share: {own: 0.18, largest_rival: 0.27}            # -> relative_market_share
        capacity:                         # -> cyclical
          capacity: 16000                 # units per period
          variable_cost: 5.0              # per unit
          fixed_cost: 60000               # per period
          history:                        # utilisation (and price) per period; or give
            - {period: 2024Q1, utilisation: 0.82, price: 11.9}      # price: constant
        installed_base:                   # -> installed_base (and after_sale with service_*)
          hardware_price: 0.95
          hardware_cost: 1.02
          consumable_price: 0.012
          consumable_cost: 0.005
          consumables_per_year: 14
          years: 12
          retention: 0.92                 # optional (1), capture_rate (1), discount_rate (0.10)

    Numbers may be written as numbers, numeric strings or percentages ("24%"). The layout is the
    pydantic schema :class:`FirmFile`; every problem (an unknown section or field, a missing
    field, a non-numeric, non-positive or out-of-range value, shares that sum to more than 1, a
    cumulative volume that decreases, fewer than 3 unit-cost rows, an unreadable unit-cost file)
    is collected into one :class:`~customer_value.io.InputError` that names the file, the
    section, the entry and the field. The file is read with
    :func:`customer_value.io.read_yaml` (UTF-8 or GB18030/GBK, plain data only: a YAML syntax
    error or a ``!!python/...`` tag is a clear error).

    ``source`` is a path or an already-parsed mapping; relative ``file:`` paths are taken from
    the YAML file's folder (``base_dir`` for a mapping, default the working directory).

    Source of the models: Slywotzky & Morrison (1997), *The Profit Zone*; the input layout is
    this library's.

    >>> figs = read_firm_figures({"market_share": {"own": "30%", "largest_rival": 0.2}})
    >>> round(figs.models()["relative_market_share"].leader_rms, 2)
    1.5
    """
    src = None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        src = str(path)
        raw = read_yaml(path, what="the firm-figures file")
        base, default_name = path.parent, path.stem
    elif isinstance(source, dict):
        raw, base, default_name = source, Path(base_dir or "."), "the firm"
    else:
        raise TypeError(f"source must be a path or a mapping; got {type(source).__name__}")
    items: list[tuple[str, str]] = []
    try:
        spec = FirmFile.model_validate(raw)
    except ValidationError as exc:
        spec = None
        items = [describe(e, raw) for e in exc.errors()]
    problems = Problems("")
    for where, what in items:
        problems.add(where, what)
    figs = FirmFigures(
        firm=str(raw.get("firm") or default_name).strip(),
        currency=str(raw.get("currency") or "").strip(),
        period=str(raw.get("period") or "").strip(),
        notes=str(raw.get("notes") or "").strip(),
        source=src,
    )
    uc = spec.unit_costs if spec is not None else None
    if spec is None and raw.get("unit_costs") is not None:
        if not any(w.startswith("section 'unit_costs'") for w, _ in items):
            uc = UnitCosts.model_validate(raw["unit_costs"])
    if uc is not None:
        where = "section 'unit_costs'"
        table, origin = _unit_cost_table(uc, base, where, problems)
        if table is not None:
            _check_history(table, where, problems)
            figs.unit_costs, figs.unit_costs_source = table, origin
        figs.unit_costs_basis, figs.unit_costs_unit = uc.basis, uc.unit or ""
    if problems:
        n = len(problems.items)
        problems.what = f"the firm figures have {n} problem{'s' if n != 1 else ''}:"
        problems.raise_if_any(src)
    if spec.segments is not None:
        rows = spec.segments
        figs.segments = pd.DataFrame(
            {
                "segment": [r.name for r in rows],
                "revenue": [r.revenue for r in rows],
                "cost": [r.cost for r in rows],
            }
        )
        if rows[0].assets is not None:
            figs.segments["assets"] = [r.assets for r in rows]
    if spec.market_share is not None:
        figs.market_share = spec.market_share.model_dump(exclude_none=True)
    if spec.capacity is not None:
        figs.capacity = spec.capacity.model_dump(exclude_none=True, exclude={"history"})
        hist = spec.capacity.history
        if hist is not None:
            figs.capacity_history = pd.DataFrame(
                {
                    "period": [r.period or str(i + 1) for i, r in enumerate(hist)],
                    "utilisation": [r.utilisation for r in hist],
                }
            )
            if hist[0].price is not None:
                figs.capacity_history["price"] = [r.price for r in hist]
    if spec.installed_base is not None:
        figs.installed_base = spec.installed_base.model_dump(exclude_none=True)
    return figs
