"""Sample data for the course: seeded generators and the committed files they write.

Every file in ``datasets/`` that has a generator here is its exact output: ``customer-value
datasets build`` rewrites them and ``customer-value datasets check`` (and a test) proves that
regeneration is byte-identical. :func:`load` reads a dataset from any working directory.

Generators return their ground truth alongside the data, so lessons and tests can check that an
analysis recovers what was put in.
"""

from __future__ import annotations

import functools
import io as _io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import repo_root
from .kano import KANO_FEATURES, kano_survey, kano_survey_labelled
from .retail import (
    RETAIL_COST_RATES,
    cohort_survival,
    messy_transactions,
    retail_transactions,
    write_large_parquet,
)

__all__ = [
    "DATASETS",
    "KANO_FEATURES",
    "RETAIL_COST_RATES",
    "build",
    "check",
    "cohort_survival",
    "kano_survey",
    "kano_survey_labelled",
    "load",
    "messy_transactions",
    "names",
    "path",
    "retail_transactions",
    "write_large_parquet",
]

# --------------------------------------------------------------------------------------------
# registry of committed files
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """A committed file in ``datasets/`` and how to make it."""

    name: str
    filename: str
    make: Callable[[], bytes]
    description: str
    read: Callable[[Path], pd.DataFrame] | None = None


def _csv_bytes(df: pd.DataFrame, encoding: str = "utf-8", lineterminator: str = "\n") -> bytes:
    buf = _io.StringIO()
    df.to_csv(buf, index=False, lineterminator=lineterminator)
    return buf.getvalue().encode(encoding)


@functools.lru_cache(maxsize=1)
def _survey_cached():
    return kano_survey()


def _survey_default():
    return tuple(df.copy() for df in _survey_cached())


def _make_kano_survey() -> bytes:
    return _csv_bytes(_survey_default()[0])


def _make_kano_truth() -> bytes:
    return _csv_bytes(_survey_default()[1])


def _make_kano_respondents() -> bytes:
    return _csv_bytes(_survey_default()[2])


def _make_kano_zh_gbk() -> bytes:
    survey = _survey_default()[0]
    keep = ["respondent_id", "age_group"] + [
        c for c in survey.columns if c.endswith(("_functional", "_dysfunctional"))
    ]
    messy = kano_survey_labelled(survey[keep])
    messy = messy.rename(columns={"respondent_id": "问卷编号", "age_group": "年龄段"})
    # Excel on a Chinese Windows writes GBK with CRLF line ends and a trailing blank line.
    return _csv_bytes(messy, encoding="gbk", lineterminator="\r\n") + b",,\r\n"


def _make_kano_bad_label() -> bytes:
    survey = _survey_default()[0].head(40)
    keep = ["respondent_id"] + [
        c for c in survey.columns if c.startswith(("secure_login_", "face_id_login_"))
    ]
    bad = kano_survey_labelled(survey[keep])
    bad.loc[[3, 17], "face_id_login_functional"] = "还行"
    bad.loc[25, "secure_login_dysfunctional"] = "6"
    return _csv_bytes(bad, encoding="gbk", lineterminator="\r\n")


def _read_csv_typed(p: Path) -> pd.DataFrame:
    df = pd.read_csv(p)
    for col in df.columns:
        x = df[col]
        if x.dtype.kind == "f" and np.all(np.isnan(x) | (np.floor(x) == x)):
            df[col] = x.astype("Int64")
    return df


DATASETS: dict[str, Dataset] = {}


def _register(ds: Dataset) -> None:
    DATASETS[ds.name] = ds


_register(
    Dataset(
        "kano_survey",
        "kano_survey.csv",
        _make_kano_survey,
        "Kano survey of a bank's mobile app, 600 respondents, 12 features, wide, codes 1-5",
        _read_csv_typed,
    )
)
_register(
    Dataset(
        "kano_truth",
        "kano_truth.csv",
        _make_kano_truth,
        "true Kano category of each feature (per segment where it differs)",
        _read_csv_typed,
    )
)
_register(
    Dataset(
        "kano_respondents",
        "kano_respondents.csv",
        _make_kano_respondents,
        "per-respondent ground truth of the Kano survey (careless answerers)",
        _read_csv_typed,
    )
)
_register(
    Dataset(
        "kano_survey_zh_gbk",
        "messy/kano_survey_zh_gbk.csv",
        _make_kano_zh_gbk,
        "the Kano survey as a Chinese Excel export: GBK, CRLF, Chinese headers and "
        "wordings with variants and stray spaces",
        None,
    )
)
_register(
    Dataset(
        "kano_survey_bad_label",
        "messy/kano_survey_bad_label.csv",
        _make_kano_bad_label,
        "a GBK Kano export with an unknown wording (还行) and an out-of-range code (6)",
        None,
    )
)


@functools.lru_cache(maxsize=1)
def _retail_cached():
    return retail_transactions()


def _make_retail_transactions() -> bytes:
    return _csv_bytes(_retail_cached()[0])


def _make_retail_truth() -> bytes:
    return _csv_bytes(_retail_cached()[1])


def _make_subscription_cohorts() -> bytes:
    return _csv_bytes(cohort_survival()[0])


def _make_retail_messy_gbk() -> bytes:
    return messy_transactions(_retail_cached()[0].copy())


def _read_csv_dates(
    *dates: str, str_columns: tuple[str, ...] = ()
) -> Callable[[Path], pd.DataFrame]:
    def read(p: Path) -> pd.DataFrame:
        return pd.read_csv(p, parse_dates=list(dates), dtype={c: "str" for c in str_columns})

    return read


_register(
    Dataset(
        "retail_transactions",
        "retail_transactions.csv",
        _make_retail_transactions,
        "a retailer's transaction log 2023-2024: 20,000 customers, BG/NBD purchases, "
        "Gamma-Gamma spend, returns and cost-to-serve events",
        _read_csv_dates("date", str_columns=("transaction_id", "customer_id")),
    )
)
_register(
    Dataset(
        "retail_customers_truth",
        "retail_customers_truth.csv",
        _make_retail_truth,
        "per-customer truth of the retail log: purchase rate, dropout, mean spend, "
        "margin rate, high-maintenance segment",
        _read_csv_dates("dropout_date", "first_purchase", str_columns=("customer_id",)),
    )
)
_register(
    Dataset(
        "subscription_cohorts",
        "subscription_cohorts.csv",
        _make_subscription_cohorts,
        "three monthly cohorts of a subscription box, active subscribers per month (sBG)",
        _read_csv_dates(str_columns=("cohort",)),
    )
)
_register(
    Dataset(
        "retail_messy_gbk",
        "messy/retail_transactions_gbk.csv",
        _make_retail_messy_gbk,
        "the first customers' retail log as a Chinese ERP export: GBK, CRLF, Chinese "
        "headers, ¥ and thousands separators, mixed date formats, 3 bad dates",
        None,
    )
)

# --- relationship-marketing datasets (bond survey, customer panel) ---
from .relationship import (  # noqa: E402
    BOND_ITEMS,
    bond_scales_yaml,
    bond_survey,
    loyalty_panel,
)

__all__ += ["BOND_ITEMS", "bond_scales_yaml", "bond_survey", "loyalty_panel"]


@functools.lru_cache(maxsize=1)
def _bond_survey_cached():
    return bond_survey()


@functools.lru_cache(maxsize=1)
def _loyalty_cached():
    return loyalty_panel()


def _read_bond_scales(p: Path) -> pd.DataFrame:
    import yaml

    spec = yaml.safe_load(p.read_text(encoding="utf-8"))
    reverse = {str(i) for i in spec.get("reverse", [])}
    rows = [
        (scale, str(item), str(item) in reverse)
        for scale, items in spec.items()
        if scale not in ("reverse", "scale")
        for item in items
    ]
    return pd.DataFrame(rows, columns=["scale", "item", "reverse"])


def _read_csv_str(*columns: str) -> Callable[[Path], pd.DataFrame]:
    def read(p: Path) -> pd.DataFrame:
        return pd.read_csv(p, dtype={c: "str" for c in columns})

    return read


_register(
    Dataset(
        "bond_survey",
        "bond_survey.csv",
        lambda: _csv_bytes(_bond_survey_cached()[0]),
        "a bank's relationship-bond survey: 600 customers, 13 seven-point items "
        "(financial, social, structural bonds), satisfaction, switching, churn",
        _read_csv_typed,
    )
)
_register(
    Dataset(
        "bond_survey_truth",
        "bond_survey_truth.csv",
        lambda: _csv_bytes(_bond_survey_cached()[1]),
        "true loadings, bond correlations, alphas and outcome coefficients of the bond survey",
        _read_csv_str("parameter", "meaning"),
    )
)
_register(
    Dataset(
        "bond_scales",
        "bond_scales.yaml",
        lambda: bond_scales_yaml().encode("utf-8"),
        "item-to-scale mapping of the bond survey (YAML for relationship.read_scales "
        "and `customer-value bonds --scales`)",
        _read_bond_scales,
    )
)
_register(
    Dataset(
        "loyalty_panel",
        "loyalty_panel.csv",
        lambda: _csv_bytes(_loyalty_cached()[0]),
        "3,000 bank customers x 36 months: spend, churn, bond scores, a frequency "
        "programme launched in month 19 with self-selected members",
        _read_csv_str("customer_id", "level"),
    )
)
_register(
    Dataset(
        "loyalty_customers",
        "loyalty_customers.csv",
        lambda: _csv_bytes(_loyalty_cached()[1]),
        "one row per customer of the loyalty panel: bonds, level, duration, churn, "
        "age, products, membership",
        _read_csv_str("customer_id", "level"),
    )
)
_register(
    Dataset(
        "loyalty_truth",
        "loyalty_truth.csv",
        lambda: _csv_bytes(_loyalty_cached()[2]),
        "true programme effect, hazard ratios and selection parameters of the loyalty panel",
        _read_csv_str("parameter", "meaning"),
    )
)


# --- profit-model datasets (experience curve, case data) ---
from . import profit as _profit  # noqa: E402
from .profit import (  # noqa: E402
    PROFIT_CASE_SEED,
    PROFIT_DATASETS,
    bookstore_components,
    chemical_cycles,
    film_slate,
    printer_installed_base,
    profit_case_data,
    pv_modules,
)

for _name, (_file, _description) in PROFIT_DATASETS.items():
    _register(Dataset(_name, _file, _profit.make(_name), _description, _profit.read))
__all__ += [
    "PROFIT_CASE_SEED",
    "PROFIT_DATASETS",
    "bookstore_components",
    "chemical_cycles",
    "film_slate",
    "printer_installed_base",
    "profit_case_data",
    "pv_modules",
]

# --- profit-model report example inputs ---
from .firm import firm_figures, firm_figures_partial, firm_figures_yaml  # noqa: E402

__all__ += ["firm_figures", "firm_figures_partial", "firm_figures_yaml"]

_FIRM_HEADER = (
    "Example input of the profit-model report (customer-value report "
    "profit_model_report -p figures FILE).\nA synthetic, fictional firm made by "
    "customer_value.datasets.{}(); documented in datasets/README.md.\nCopy this file "
    "and replace the numbers with your firm's; every section is optional."
)


def _make_firm_figures() -> bytes:
    return firm_figures_yaml(firm_figures()[0], _FIRM_HEADER.format("firm_figures")).encode("utf-8")


def _make_firm_figures_partial() -> bytes:
    header = _FIRM_HEADER.format("firm_figures_partial") + (
        "\nOnly three sections; the unit-cost history is in firm_unit_costs_gbk.csv next to "
        "this file."
    )
    return firm_figures_yaml(firm_figures_partial()[0], header).encode("utf-8")


def _make_firm_unit_costs_gbk() -> bytes:
    return _csv_bytes(firm_figures_partial()[1], encoding="gbk", lineterminator="\r\n")


def _read_firm_yaml(p: Path) -> pd.DataFrame:
    """A figures file as a tidy frame: section, entry (list position, or blank), field, value
    (``profit_models.read_firm_figures`` gives the validated object)."""
    from ..io import read_yaml

    spec = read_yaml(p, what="the firm-figures file")
    rows = []
    for section, body in spec.items():
        if not isinstance(body, dict | list):
            rows.append((section, pd.NA, "", body))
            continue
        items = body.items() if isinstance(body, dict) else [("", body)]
        for key, value in items:
            if isinstance(value, list):
                name = section if key == "" else f"{section}.{key}"
                rows += [(name, i, k, v) for i, rec in enumerate(value) for k, v in rec.items()]
            else:
                rows.append((section, pd.NA, key, value))
    out = pd.DataFrame(rows, columns=["section", "entry", "field", "value"])
    out["entry"] = out["entry"].astype("Int64")
    return out


_register(
    Dataset(
        "firm_figures",
        "firm_figures.yaml",
        _make_firm_figures,
        "a fictional filtration-systems maker's figures for the profit-model report: "
        "segment P&L, unit-cost history, market share, capacity, installed base",
        _read_firm_yaml,
    )
)
_register(
    Dataset(
        "firm_figures_partial",
        "messy/firm_figures_partial.yaml",
        _make_firm_figures_partial,
        "a fictional e-bike maker's figures with three sections (Chinese segment "
        "names, no assets, unit costs in a GBK CSV, shares as percentages)",
        _read_firm_yaml,
    )
)
_register(
    Dataset(
        "firm_unit_costs_gbk",
        "messy/firm_unit_costs_gbk.csv",
        _make_firm_unit_costs_gbk,
        "the e-bike maker's battery-pack unit costs as an ERP export: GBK, CRLF, "
        "Chinese headers, thousands separators, cumulative before each year",
        None,
    )
)


def names() -> list[str]:
    """Names of the committed datasets."""
    return list(DATASETS)


def path(name: str) -> Path:
    """Absolute path of a committed dataset file, from any working directory."""
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; available: {names()}")
    return repo_root() / "datasets" / DATASETS[name].filename


def load(name: str) -> pd.DataFrame:
    """Read a committed dataset into a DataFrame (from any working directory).

    Messy example files are read through :func:`customer_value.io.read_table`, as a user's file
    would be.

    >>> load("kano_truth").columns[:2].tolist()
    ['feature', 'feature_zh']
    """
    ds = DATASETS.get(name)
    p = path(name)
    if not p.exists():
        raise FileNotFoundError(f"{p} is missing: run `customer-value datasets build`")
    if ds.read is None:
        from ..io import read_table

        return read_table(p)
    return ds.read(p)


def build(
    outdir: str | Path | None = None,
    selected: Iterable[str] | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Write the dataset files (all, or ``selected`` names) into ``outdir`` (default: the
    repository's datasets/, which they are regenerated into). Into another ``outdir`` an
    existing file is replaced only with ``force``. Each file is written atomically. Returns the
    paths written."""
    from ..io import InputError, atomic_write

    chosen = list(selected or names())
    unknown = [n for n in chosen if n not in DATASETS]
    if unknown:
        raise InputError(f"unknown dataset(s) {unknown}; `customer-value datasets list` shows them")
    base = Path(outdir) if outdir is not None else repo_root() / "datasets"
    overwrite = force or outdir is None
    clash = [base / DATASETS[n].filename for n in chosen if (base / DATASETS[n].filename).exists()]
    if clash and not overwrite:
        raise InputError(f"{', '.join(map(str, clash[:5]))} exists; use --force to overwrite it")
    written = []
    for name in chosen:
        target = base / DATASETS[name].filename
        with atomic_write(target, force=True, mode="wb") as fh:
            fh.write(DATASETS[name].make())
        written.append(target)
    return written


def check(selected: Iterable[str] | None = None) -> list[str]:
    """Names of datasets whose committed file differs from what the generator makes now."""
    stale = []
    for name in selected or names():
        p = path(name)
        if not p.exists() or p.read_bytes() != DATASETS[name].make():
            stale.append(name)
    return stale
