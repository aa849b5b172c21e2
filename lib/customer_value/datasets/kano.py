"""Seeded generators of the Kano sample survey (a retail bank's mobile app)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._util import rng as _rng

__all__ = ["KANO_FEATURES", "kano_survey", "kano_survey_labelled"]

# --------------------------------------------------------------------------------------------
# Kano survey: a retail bank's mobile app
# --------------------------------------------------------------------------------------------

#: The features of the synthetic mobile-banking survey: name, Chinese name, and the true Kano
#: category overall or per segment ("segment column", {segment value: category}).
KANO_FEATURES: list[dict] = [
    {"feature": "secure_login", "zh": "安全登录", "truth": "M"},
    {"feature": "fast_transfer", "zh": "实时到账转账", "truth": "O"},
    {"feature": "fee_transparency", "zh": "费用透明", "truth": "O"},
    {"feature": "live_chat", "zh": "人工在线客服", "truth": "O"},
    {"feature": "face_id_login", "zh": "刷脸登录", "truth": "A"},
    {"feature": "spending_insights", "zh": "消费分析", "truth": "A"},
    {"feature": "bill_reminders", "zh": "账单提醒", "truth": "M"},
    {"feature": "branch_locator", "zh": "网点查询", "truth": "I"},
    {"feature": "marketing_push", "zh": "营销推送消息", "truth": "R"},
    {
        "feature": "large_font_mode",
        "zh": "大字体模式",
        "truth": ("age_group", {"18-34": "I", "35-54": "I", "55+": "A"}),
    },
    {
        "feature": "voice_assistant",
        "zh": "语音助手",
        "truth": ("age_group", {"18-34": "A", "35-54": "I", "55+": "R"}),
    },
    {
        "feature": "dedicated_advisor",
        "zh": "专属理财顾问",
        "truth": ("tier", {"platinum": "A", "gold": "I", "iron": "I", "lead": "I"}),
    },
]
_AGE_GROUPS = (("18-34", 0.40), ("35-54", 0.35), ("55+", 0.25))
_TIERS = (("platinum", 0.20), ("gold", 0.30), ("iron", 0.30), ("lead", 0.20))

# Answer pairs (functional, dysfunctional) a respondent with a given true category gives, with
# weights: every pair maps to that category in the standard table.
_PAIRS = {
    "A": (((1, 2), 0.10), ((1, 3), 0.60), ((1, 4), 0.30)),
    "O": (((1, 5), 1.00),),
    "M": (((2, 5), 0.35), ((3, 5), 0.45), ((4, 5), 0.20)),
    "I": (
        ((3, 3), 0.50),
        ((2, 3), 0.08),
        ((3, 4), 0.10),
        ((2, 2), 0.05),
        ((4, 4), 0.07),
        ((3, 2), 0.05),
        ((2, 4), 0.05),
        ((4, 3), 0.06),
        ((4, 2), 0.04),
    ),
    "R": (
        ((5, 1), 0.20),
        ((5, 3), 0.35),
        ((5, 2), 0.10),
        ((5, 4), 0.10),
        ((4, 1), 0.10),
        ((3, 1), 0.15),
    ),
}
_IMPORTANCE_MEAN = {"M": 8.0, "O": 7.0, "A": 5.5, "I": 3.0, "R": 2.5}
_CONFUSION = {"A": "OI", "O": "AM", "M": "OI", "I": "AM", "R": "I"}


def _truth_for(spec, segments: pd.DataFrame) -> np.ndarray:
    if isinstance(spec, str):
        return np.full(len(segments), spec, dtype=object)
    column, mapping = spec
    return segments[column].map(mapping).to_numpy(dtype=object)


def kano_survey(
    n: int = 600,
    *,
    seed: int = 20240521,
    noise: float = 0.15,
    questionable: float = 0.02,
    missing: float = 0.02,
    careless: float = 0.04,
    features: list[dict] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Simulate a Kano survey of a bank's mobile app with known true categories.

    Each respondent has an age group and a customer tier. For each feature the respondent's true
    category is the feature's (possibly segment-specific) category; with probability ``noise``
    it is replaced by a neighbouring category (A↔O/I, O↔A/M, M↔O/I, I↔A/M, R→I). The answer pair
    is drawn from the pairs that the standard table maps to that category; with probability
    ``questionable`` the pair is a contradictory one ((like, like) or (dislike, dislike)), and
    each answer is missing with probability ``missing``. A share ``careless`` of respondents
    answers every question uniformly at random (many Q and R pairs). Self-stated importance
    (1–9) is drawn around a category-specific mean (M 8, O 7, A 5.5, I 3, R 2.5).

    Returns ``(survey, truth, respondents)``: the wide survey (codes, ``<feature>_functional``,
    ``<feature>_dysfunctional``, ``<feature>_importance``), the true category per feature and
    segment, and per-respondent ground truth (``careless``).

    >>> survey, truth, who = kano_survey(200, seed=1)
    >>> survey.shape[0], sorted(truth["true_category"].unique())[:2]
    (200, ['A', 'I'])
    """
    rng = _rng(seed)
    feats = features or KANO_FEATURES
    ids = [f"R{i:04d}" for i in range(1, n + 1)]
    seg = pd.DataFrame(
        {
            "age_group": rng.choice(
                [a for a, _ in _AGE_GROUPS], size=n, p=[p for _, p in _AGE_GROUPS]
            ),
            "tier": rng.choice([t for t, _ in _TIERS], size=n, p=[p for _, p in _TIERS]),
        }
    )
    is_careless = rng.random(n) < careless
    data = {"respondent_id": ids, "age_group": seg["age_group"], "tier": seg["tier"]}
    for spec in feats:
        true = _truth_for(spec["truth"], seg)
        cat = true.copy()
        flip = rng.random(n) < noise
        for i in np.flatnonzero(flip):
            cat[i] = rng.choice(list(_CONFUSION[true[i]]))
        f = np.zeros(n, dtype=int)
        d = np.zeros(n, dtype=int)
        for c, pairs in _PAIRS.items():
            rows = np.flatnonzero(cat == c)
            if rows.size == 0:
                continue
            w = np.array([p for _, p in pairs])
            pick = rng.choice(len(pairs), size=rows.size, p=w / w.sum())
            f[rows] = [pairs[k][0][0] for k in pick]
            d[rows] = [pairs[k][0][1] for k in pick]
        q = rng.random(n) < questionable
        qv = rng.choice([1, 5], size=n)
        f[q], d[q] = qv[q], qv[q]
        cr = np.flatnonzero(is_careless)
        f[cr] = rng.integers(1, 6, size=cr.size)
        d[cr] = rng.integers(1, 6, size=cr.size)
        imp_mean = np.array([_IMPORTANCE_MEAN[c] for c in true])
        imp = np.clip(np.rint(imp_mean + rng.normal(0, 1.2, size=n)), 1, 9)
        imp[is_careless] = rng.integers(1, 10, size=int(is_careless.sum()))
        f_ans = pd.array(f, dtype="Int64")
        d_ans = pd.array(d, dtype="Int64")
        imp_ans = pd.array(imp.astype(int), dtype="Int64")
        f_ans[rng.random(n) < missing] = pd.NA
        d_ans[rng.random(n) < missing] = pd.NA
        imp_ans[rng.random(n) < 1.5 * missing] = pd.NA
        name = spec["feature"]
        data[f"{name}_functional"] = f_ans
        data[f"{name}_dysfunctional"] = d_ans
        data[f"{name}_importance"] = imp_ans
    survey = pd.DataFrame(data)
    rows = []
    for spec in feats:
        t = spec["truth"]
        if isinstance(t, str):
            rows.append(
                {
                    "feature": spec["feature"],
                    "feature_zh": spec["zh"],
                    "segment_column": "",
                    "segment": "",
                    "true_category": t,
                }
            )
        else:
            column, mapping = t
            for value, c in mapping.items():
                rows.append(
                    {
                        "feature": spec["feature"],
                        "feature_zh": spec["zh"],
                        "segment_column": column,
                        "segment": value,
                        "true_category": c,
                    }
                )
    truth = pd.DataFrame(rows)
    respondents = pd.DataFrame({"respondent_id": ids, "careless": is_careless})
    return survey, truth, respondents


_ZH_WORDINGS = {
    1: ("我很喜欢", "我很喜欢", "很喜欢", " 我很喜欢 ", "1.我很喜欢"),
    2: ("理所当然", "理应如此", "理所当然 ", "理所当然"),
    3: ("无所谓", "无所谓", "无所谓　", " 无所谓"),
    4: ("能忍受", "能忍受", "可以忍受", "能忍受 "),
    5: ("我很不喜欢", "我很不喜欢", "很不喜欢", "我很不喜欢。"),
}


def kano_survey_labelled(survey: pd.DataFrame, *, seed: int = 7) -> pd.DataFrame:
    """The survey as a Chinese questionnaire tool exports it: answers as Chinese wordings with
    the variants and stray white space (including full-width spaces) real exports contain.

    Codes become one of several wordings for the same answer (e.g. 理所当然/理应如此), sometimes
    with a leading number ("1.我很喜欢") or trailing punctuation; missing answers stay blank.
    The Kano parser reads them back to the same codes:

    >>> from customer_value.kano import parse_answers
    >>> survey = kano_survey(50, seed=1)[0]
    >>> zh = kano_survey_labelled(survey)["secure_login_functional"]
    >>> bool((parse_answers(zh) == survey["secure_login_functional"].fillna(0)).all())
    True
    """
    rng = _rng(seed)
    out = survey.copy()
    for col in out.columns:
        if col.endswith(("_functional", "_dysfunctional")):
            codes = out[col]
            labels = np.empty(len(out), dtype=object)
            for code, words in _ZH_WORDINGS.items():
                rows = np.flatnonzero((codes == code).fillna(False).to_numpy())
                labels[rows] = rng.choice(words, size=rows.size)
            out[col] = pd.Series(labels, index=out.index, dtype=object)
    return out
