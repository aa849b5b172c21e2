"""Kano summary speed: 1,000,000 respondents × 20 features (issue #2).

Targets on the 2-core reference machine: ≤ 1 s from integer codes, ≤ 3 s from text labels, and
at least 100× faster than a row-by-row ``DataFrame.apply`` classification measured in the same
run (on a 20,000-respondent subsample, scaled linearly). Prints the figures and ratios; run with
``make bench``.
"""

import time

import numpy as np
import pandas as pd

from customer_value import kano

N, K, SUB = 1_000_000, 20, 20_000
WORDS = np.array(
    ["I like it", "I expect it", "I'm neutral", "I can tolerate it", "I dislike it"], dtype=object
)
TABLE = kano.TABLES["standard"]


def _survey(n, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            f"f{j}_{side}": rng.integers(1, 6, n).astype(np.int64)
            for j in range(K)
            for side in ("functional", "dysfunctional")
        }
    )


def _best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def _apply_baseline(df):
    """What a spreadsheet-minded analyst writes: classify row by row, then count."""
    rows = []
    for j in range(K):
        f, d = f"f{j}_functional", f"f{j}_dysfunctional"
        cats = df.apply(lambda r, f=f, d=d: TABLE[int(r[f]) - 1][int(r[d]) - 1], axis=1)
        counts = cats.value_counts()
        rows.append({c: int(counts.get(c, 0)) for c in kano.CATEGORIES})
    return pd.DataFrame(rows)


def test_kano_summary_speed():
    codes = _survey(N)
    labels = pd.DataFrame(
        {c: pd.array(WORDS[v.to_numpy() - 1], dtype="str") for c, v in codes.items()}
    )
    kano.analyze(codes.head(1000), bootstrap=0)  # warm-up (imports)
    t_codes, res_codes = _best_of(lambda: kano.analyze(codes, bootstrap=0))
    t_labels, res_labels = _best_of(lambda: kano.analyze(labels, bootstrap=0))
    sub = codes.head(SUB)
    t_sub, base = _best_of(lambda: _apply_baseline(sub), repeat=1)
    t_base = t_sub * N / SUB
    ours_sub = kano.analyze(sub, bootstrap=0).summary()
    assert (
        base[list(kano.CATEGORIES)].to_numpy() == ours_sub[list(kano.CATEGORIES)].to_numpy()
    ).all()
    assert res_codes.summary()[list(kano.CATEGORIES)].equals(
        res_labels.summary()[list(kano.CATEGORIES)]
    )
    print(f"\nKano summary, {N:,} respondents x {K} features (best of 3):")
    print(f"  from integer codes : {t_codes:6.3f} s   (target <= 1 s)")
    print(f"  from text labels   : {t_labels:6.3f} s   (target <= 3 s)")
    print(
        f"  row-by-row apply   : {t_base:6.1f} s   (measured {t_sub:.2f} s on {SUB:,}, scaled x{N // SUB})"
    )
    print(
        f"  speed-up vs apply  : codes {t_base / t_codes:,.0f}x, labels {t_base / t_labels:,.0f}x"
        "   (target >= 100x)"
    )
