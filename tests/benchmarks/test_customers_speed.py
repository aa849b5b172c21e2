"""Customer table speed and memory (issue #3). Prints figures and ratios; run with ``make bench``.

Targets on the 2-core reference machine:

(a) 10,000,000 transactions of 1,000,000 customers in a pandas DataFrame → customer table within
    1.3× the time of a hand-written DuckDB SQL query computing the same columns on the same
    frame, and at least 5× faster than a straightforward pandas ``groupby().apply()`` per
    customer (measured on the lines of 1% of the customers, ~100,000 transactions, and scaled
    linearly: same lines per customer, 100× the customers).
(b) 100,000,000 transactions in Parquet → customer table in ≤ 15 s with peak memory ≤ 4 GB. The
    build runs in a child process (peak memory = its ``ru_maxrss``, read with
    ``getrusage(RUSAGE_CHILDREN)`` in a small launcher process, see ``LAUNCHER``)
    with DuckDB ``threads=2`` (the machine's cores), ``memory_limit='2.5GB'`` (leaves ~1.5 GB of
    the 4 GB for Python, the Arrow result and the pandas table), ``preserve_insertion_order=false``
    (lets DuckDB stream instead of keeping row order) and ``temp_directory`` under build/bench
    (spilling instead of failing). Run at 10M and at 100M rows, each with the same hand-written
    SQL for comparison. 1,000,000 customers by default (a weekly shopper's 100 lines in two
    years at 100M rows); set CUSTOMER_VALUE_BENCH_CUSTOMERS to change it. The files are written
    once into build/bench/ and reused.

Ours and the SQL's results are compared on a sample of customers before any figure is printed.
In (a), timings are the best of 3 runs (median also shown), ours and the SQL's interleaved,
because this machine's speed drifts from run to run. CPU time (all threads of the process) is
printed next to the wall time: when other work shares the two cores, wall time grows and CPU
time much less, so the CPU figures say whether a missed wall-time target is the code's doing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from customer_value.customers import TABLE_COLUMNS, customer_table

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "build" / "bench"
N, N_CUSTOMERS = 10_000_000, 1_000_000
SUB_SHARE = 0.01  # pandas apply: 1% of the customers
LARGE = (10_000_000, 100_000_000)  # Parquet workloads
LARGE_CUSTOMERS = int(os.environ.get("CUSTOMER_VALUE_BENCH_CUSTOMERS", "1000000"))
AS_OF = "2025-01-01"
COSTS = {"cost": "cost", "order_cost": 0.5, "return_cost": 2.0, "cost_rates": {"contacts": 1.5}}
DUCKDB_CONFIG = {"threads": 2, "memory_limit": "2.5GB", "preserve_insertion_order": False}


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------


def _log(n: int, n_customers: int, seed: int = 0) -> pd.DataFrame:
    """Two years of retail lines: 5% returns, costs 40–80% of the amount, service contacts."""
    rng = np.random.default_rng(seed)
    amount = np.round(rng.gamma(2.0, 30.0, n), 2)
    amount[rng.random(n) < 0.05] *= -1
    return pd.DataFrame(
        {
            "customer_id": rng.integers(0, n_customers, n),
            "date": (
                np.datetime64("2023-01-01", "ns") + rng.integers(0, 730, n).astype("timedelta64[D]")
            ).astype("datetime64[ns]"),
            "amount": amount,
            "cost": np.round(amount * rng.uniform(0.4, 0.8, n), 2),
            "contacts": rng.poisson(0.2, n).astype("int32"),
        }
    )


def _write_large_parquet_fallback(path, n_rows, n_customers, seed=0):
    """Stand-in for ``customer_value.datasets.retail.write_large_parquet`` (same signature and
    columns: customer_id int64, date date32, amount float64, cost float64, contacts int32), used
    only while that function does not exist. Lines in date order, as a shop's log is."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    schema = pa.schema(
        [
            ("customer_id", pa.int64()),
            ("date", pa.date32()),
            ("amount", pa.float64()),
            ("cost", pa.float64()),
            ("contacts", pa.int32()),
        ]
    )
    start = (np.datetime64("2023-01-01") - np.datetime64("1970-01-01")).astype(int)
    days, chunk = 730, 5_000_000
    with pq.ParquetWriter(path, schema) as writer:
        done = 0
        while done < n_rows:
            k = min(chunk, n_rows - done)
            lo, hi = (
                days * done // n_rows,
                max(days * (done + k) // n_rows, days * done // n_rows + 1),
            )
            amount = np.round(rng.gamma(2.0, 30.0, k), 2)
            amount[rng.random(k) < 0.05] *= -1
            table = pa.table(
                [
                    rng.integers(0, n_customers, k),
                    pa.array(
                        (np.sort(rng.integers(lo, hi, k)) + start).astype("int32"), pa.date32()
                    ),
                    amount,
                    np.round(amount * rng.uniform(0.4, 0.8, k), 2),
                    rng.poisson(0.2, k).astype("int32"),
                ],
                schema=schema,
            )
            writer.write_table(table, row_group_size=1_000_000)
            done += k


def _parquet(n_rows: int, n_customers: int) -> Path:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"transactions_{n_rows // 1_000_000}M_rows_{n_customers}_customers.parquet"
    if path.exists():
        return path
    need = n_rows * 12  # ~10 bytes per line compressed, with margin
    free = shutil.disk_usage(BENCH_DIR).free
    if free < 3 * need:
        raise RuntimeError(
            f"not enough disk for {path.name}: {free / 1e9:.1f} GB free, "
            f"want {3 * need / 1e9:.1f} GB"
        )
    try:
        from customer_value.datasets.retail import write_large_parquet
    except ImportError:
        write_large_parquet = _write_large_parquet_fallback
    tmp = path.with_suffix(".parquet.part")
    t = time.perf_counter()
    write_large_parquet(tmp, n_rows, n_customers, seed=0)
    os.replace(tmp, path)
    print(
        f"  wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e9:.2f} GB) in "
        f"{time.perf_counter() - t:.0f} s with {write_large_parquet.__module__}."
        f"{write_large_parquet.__name__}"
    )
    return path


# --------------------------------------------------------------------------------------------
# the two references: hand-written SQL and pandas groupby-apply
# --------------------------------------------------------------------------------------------


def hand_sql(source: str, as_of: str, order_cost: float, return_cost: float, rate: float) -> str:
    """The customer table as an analyst would write it in DuckDB SQL (arg_min for the revenue
    of the first purchase day)."""
    return textwrap.dedent(f"""
        WITH day AS (
          SELECT customer_id, CAST(date AS DATE) AS d,
                 count(*) FILTER (amount >= 0) AS n_ord, count(*) FILTER (amount < 0) AS n_neg,
                 coalesce(sum(amount) FILTER (amount > 0), 0) AS gross,
                 coalesce(-sum(amount) FILTER (amount < 0), 0) AS retv,
                 sum(amount) AS net, sum(cost) AS cost, sum(contacts) AS contacts
          FROM {source} WHERE CAST(date AS DATE) <= DATE '{as_of}'
          GROUP BY customer_id, CAST(date AS DATE)),
        cust AS (
          SELECT customer_id,
                 min(d) FILTER (n_ord > 0) AS first_purchase,
                 max(d) FILTER (n_ord > 0) AS last_purchase,
                 sum(n_ord)::BIGINT AS orders, count(*) FILTER (n_ord > 0) AS purchase_days,
                 sum(n_neg)::BIGINT AS returns, sum(gross) AS gross_sales,
                 sum(retv) AS returns_value, sum(cost) AS cost, sum(contacts) AS contacts,
                 count(*) FILTER (n_ord > 0 AND net > 0)
                   - CASE WHEN arg_min(net, d) FILTER (n_ord > 0) > 0 THEN 1 ELSE 0 END
                   AS paid_n,
                 coalesce(sum(net) FILTER (n_ord > 0 AND net > 0), 0)
                   - greatest(arg_min(net, d) FILTER (n_ord > 0), 0) AS paid_v
          FROM day GROUP BY customer_id HAVING count(*) FILTER (n_ord > 0) > 0),
        out AS (
          SELECT *, gross_sales - returns_value AS revenue,
                 gross_sales - returns_value - cost AS gross_margin,
                 {order_cost} * orders + {return_cost} * returns + {rate} * contacts
                   AS cost_to_serve
          FROM cust)
        SELECT customer_id, first_purchase, last_purchase,
               (DATE '{as_of}' - last_purchase)::BIGINT AS recency_days, orders,
               purchase_days, returns, gross_sales, returns_value, revenue,
               gross_sales / orders AS avg_order_value, gross_margin, cost_to_serve,
               gross_margin - cost_to_serve AS profit, purchase_days - 1 AS btyd_frequency,
               (last_purchase - first_purchase)::DOUBLE AS btyd_recency,
               (DATE '{as_of}' - first_purchase)::DOUBLE AS btyd_T,
               paid_n::BIGINT AS btyd_paid_frequency,
               CASE WHEN paid_n > 0 THEN paid_v / paid_n ELSE 0 END AS btyd_monetary
        FROM out ORDER BY customer_id""")


def _arrow_to_pandas(relation) -> pd.DataFrame:
    """How both results are brought to pandas (Arrow, no Python date objects)."""
    return relation.to_arrow_table().to_pandas(
        date_as_object=False, split_blocks=True, self_destruct=True
    )


def _run_sql(con, df: pd.DataFrame) -> pd.DataFrame:
    con.register("log", df)
    sql = hand_sql(
        "log", AS_OF, COSTS["order_cost"], COSTS["return_cost"], COSTS["cost_rates"]["contacts"]
    )
    return _arrow_to_pandas(con.sql(sql))


def _pandas_apply(df: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """What a pandas user writes first: one function per customer, groupby().apply()."""
    end = pd.Timestamp(as_of)
    oc, rc, rate = COSTS["order_cost"], COSTS["return_cost"], COSTS["cost_rates"]["contacts"]

    def one(g):
        ordered, pos, neg = g[g["amount"] >= 0], g[g["amount"] > 0], g[g["amount"] < 0]
        day = g["date"].dt.normalize()
        occasions = np.sort(day[g["amount"] >= 0].unique())
        net = g.groupby(day)["amount"].sum()
        repeat = net.loc[occasions[1:]]
        paid = repeat[repeat > 0]
        gross, retv = pos["amount"].sum(), -neg["amount"].sum()
        margin = gross - retv - g["cost"].sum()
        serve = oc * len(ordered) + rc * len(neg) + rate * g["contacts"].sum()
        first, last = pd.Timestamp(occasions[0]), pd.Timestamp(occasions[-1])
        return pd.Series(
            {
                "first_purchase": first,
                "last_purchase": last,
                "recency_days": (end - last).days,
                "orders": len(ordered),
                "purchase_days": len(occasions),
                "returns": len(neg),
                "gross_sales": gross,
                "returns_value": retv,
                "revenue": gross - retv,
                "avg_order_value": gross / len(ordered),
                "gross_margin": margin,
                "cost_to_serve": serve,
                "profit": margin - serve,
                "btyd_frequency": len(occasions) - 1,
                "btyd_recency": float((last - first).days),
                "btyd_T": float((end - first).days),
                "btyd_paid_frequency": len(paid),
                "btyd_monetary": float(paid.mean()) if len(paid) else 0.0,
            }
        )

    df = df[df["date"] <= end]
    buyers = df.loc[df["amount"] >= 0, "customer_id"].unique()
    out = df[df["customer_id"].isin(buyers)].groupby("customer_id").apply(one)
    return out.reset_index()


def _same(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    dates = ("first_purchase", "last_purchase")
    ints = (
        "recency_days",
        "orders",
        "purchase_days",
        "returns",
        "btyd_frequency",
        "btyd_paid_frequency",
    )

    def norm(df):
        df = df.loc[:, list(TABLE_COLUMNS)].copy()
        for c in TABLE_COLUMNS[1:]:
            df[c] = (
                pd.to_datetime(df[c]).astype("datetime64[ns]")
                if c in dates
                else df[c].astype("int64" if c in ints else "float64")
            )
        return df.sort_values("customer_id").reset_index(drop=True)

    try:
        pd.testing.assert_frame_equal(norm(a), norm(b), check_exact=False, rtol=1e-9, atol=1e-6)
    except AssertionError as exc:
        raise AssertionError(f"{what}: the results differ\n{exc}") from None


def _best(fns: dict, repeat: int) -> dict:
    """Best and median wall time, best CPU time (all threads of this process) and the result
    of each function, run ``repeat`` times interleaved."""
    times = {k: [] for k in fns}
    cpu = {k: [] for k in fns}
    results = {}
    for _ in range(repeat):
        for name, fn in fns.items():
            t, c = time.perf_counter(), time.process_time()
            results[name] = fn()
            times[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
    return {k: (min(v), sorted(v)[len(v) // 2], min(cpu[k]), results[k]) for k, v in times.items()}


# --------------------------------------------------------------------------------------------
# (a) in memory
# --------------------------------------------------------------------------------------------


def test_customer_table_in_memory_speed():
    df = _log(N, N_CUSTOMERS)
    con = duckdb.connect()
    customer_table(df.head(10_000), as_of=AS_OF, **COSTS)  # warm-up (imports)
    _run_sql(con, df.head(10_000))
    res = _best(
        {
            "ours": lambda: customer_table(df, as_of=AS_OF, **COSTS).to_pandas(),
            "sql": lambda: _run_sql(con, df),
        },
        repeat=3,
    )
    (t_ours, m_ours, c_ours, ours), (t_sql, m_sql, c_sql, sql) = res["ours"], res["sql"]
    assert len(ours) == len(sql)
    rng = np.random.default_rng(1)
    sample = rng.choice(ours["customer_id"].to_numpy(), 2000, replace=False)
    _same(
        ours[ours["customer_id"].isin(sample)],
        sql[sql["customer_id"].isin(sample)],
        "customer_table vs hand-written SQL",
    )

    sub = df[df["customer_id"] < int(N_CUSTOMERS * SUB_SHARE)]
    t = time.perf_counter()
    base = _pandas_apply(sub, AS_OF)
    t_sub = time.perf_counter() - t
    scale = len(df) / len(sub)
    t_apply = t_sub * scale
    _same(
        customer_table(sub, as_of=AS_OF, **COSTS).to_pandas(),
        base,
        "customer_table vs pandas groupby-apply",
    )

    print(
        f"\nCustomer table, {N:,} transactions of {N_CUSTOMERS:,} customers in a pandas "
        f"DataFrame (best of 3, median in brackets):"
    )
    print(
        f"  customer_table (DuckDB, day bitmaps): {t_ours:6.2f} s  [{m_ours:.2f}]  "
        f"CPU {c_ours:.2f} s"
    )
    print(
        f"  hand-written DuckDB SQL             : {t_sql:6.2f} s  [{m_sql:.2f}]  CPU {c_sql:.2f} s"
    )
    print(
        f"  ratio ours / SQL                    : {t_ours / t_sql:6.2f}x  "
        f"[{m_ours / m_sql:.2f}x]  CPU {c_ours / c_sql:.2f}x   (target <= 1.3x)"
    )
    print(
        f"  pandas groupby-apply                : {t_apply:6.1f} s  (measured {t_sub:.2f} s on "
        f"{len(sub):,} lines of {sub['customer_id'].nunique():,} customers, scaled x{scale:.1f})"
    )
    print(f"  speed-up vs groupby-apply           : {t_apply / t_ours:6.0f}x   (target >= 5x)")


# --------------------------------------------------------------------------------------------
# (b) Parquet, in a child process
# --------------------------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import json, sys, time
    import duckdb
    config = json.loads(sys.argv[3])
    con = duckdb.connect(config=config)
    t, c = time.perf_counter(), time.process_time()
    if sys.argv[1] == "ours":
        from customer_value.customers import customer_table
        table = customer_table(sys.argv[2], engine=con, as_of=sys.argv[4], **json.loads(sys.argv[5]))
        n = len(table.to_pandas())
    else:
        rel = con.sql(sys.argv[5])
        n = len(rel.to_arrow_table().to_pandas(date_as_object=False, split_blocks=True,
                                               self_destruct=True))
    print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                      "customers": n}))
""")


# A small launcher process starts the build and reads RUSAGE_CHILDREN. Why not read it here:
# Linux carries a process's peak RSS over fork+exec into the child's ru_maxrss, so a build
# started from this (large) pytest process would report at least pytest's own peak.
LAUNCHER = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    t = time.perf_counter()
    done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"returncode": done.returncode, "stdout": done.stdout,
                      "stderr": done.stderr[-3000:], "wall": wall, "peak_kib": peak_kib}))
""")


def _child(kind: str, path: Path, payload: str) -> dict:
    """Run one build in a fresh Python process: its time, result size and peak memory."""
    tmp = BENCH_DIR / "duckdb_tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    config = dict(DUCKDB_CONFIG, temp_directory=str(tmp))
    cmd = [sys.executable, "-c", CHILD, kind, str(path), json.dumps(config), AS_OF, payload]
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *cmd], capture_output=True, text=True, check=True
    )
    run = json.loads(launched.stdout)
    if run["returncode"] != 0:
        raise RuntimeError(f"{kind} on {path.name} failed:\n{run['stderr']}")
    res = json.loads(run["stdout"].strip().splitlines()[-1])
    res.update(wall=run["wall"], peak_gb=run["peak_kib"] * 1024 / 1e9)  # KiB on Linux
    return res


def test_customer_table_parquet_speed_and_memory():
    print(
        f"\nCustomer table from Parquet through DuckDB ({DUCKDB_CONFIG}), each build in a "
        "fresh process:"
    )
    paths = {n_rows: _parquet(n_rows, LARGE_CUSTOMERS) for n_rows in LARGE}
    sql_for = {
        n: hand_sql(
            f"read_parquet('{p}')",
            AS_OF,
            COSTS["order_cost"],
            COSTS["return_cost"],
            COSTS["cost_rates"]["contacts"],
        )
        for n, p in paths.items()
    }
    # first, the two agree on a sample of the customers of the smaller file
    con = duckdb.connect(config=DUCKDB_CONFIG)
    ours = customer_table(str(paths[LARGE[0]]), engine=con, as_of=AS_OF, **COSTS).to_pandas()
    sql = _arrow_to_pandas(con.sql(sql_for[LARGE[0]]))
    con.close()
    _same(
        ours[ours["customer_id"] % 97 == 0],
        sql[sql["customer_id"] % 97 == 0],
        "Parquet: customer_table vs SQL",
    )
    del ours, sql
    for n_rows, path in paths.items():
        ours = _child("ours", path, json.dumps(COSTS))
        sql = _child("sql", path, sql_for[n_rows])
        assert ours["customers"] == sql["customers"]
        target = "   (target <= 15 s, <= 4 GB)" if n_rows == 100_000_000 else ""
        print(
            f"  {n_rows:>11,} lines, {LARGE_CUSTOMERS:,} customers, "
            f"{path.stat().st_size / 1e9:.2f} GB file:{target}"
        )
        for name, run in (("customer_table  ", ours), ("hand-written SQL", sql)):
            print(
                f"    {name}   : {run['seconds']:6.1f} s build (CPU {run['cpu']:5.1f} s), "
                f"{run['wall']:6.1f} s process, peak memory {run['peak_gb']:.2f} GB"
            )
        print(
            f"    ratio ours / SQL   : {ours['seconds'] / sql['seconds']:6.2f}x  "
            f"(CPU {ours['cpu'] / sql['cpu']:.2f}x)"
        )
