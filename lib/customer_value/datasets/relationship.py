"""Seeded generators of the relationship-marketing sample data (关系营销的三个层次): a bank's bond
survey and a customer panel around the launch of a frequency-marketing programme.

Both are simulated so that a lesson can check that an analysis recovers what was put in. The
targets are realistic, not copied coefficients:

* Berry & Parasuraman (1991), *Marketing Services*, and Berry (1995), "Relationship marketing of
  services", *J. Academy of Marketing Science* 23(4):236–245: three levels of bonds, financial
  (财务层次), social (社交层次) and structural (结构层次), each harder to copy than the last.
* Chiu, Hsieh, Li & Lee (2005), "Relationship marketing and consumer switching behavior",
  *J. Business Research* 58(12):1681–1689 (613 retail-bank customers), and Chiu et al. (2007;
  621 securities customers): 7-point agreement items, 3–5 per bond, loadings 0.70–0.85,
  Cronbach's alpha above 0.7; the financial bond does little, the social bond more, the
  structural bond most.
* Jong, Tseng & Wang (2022), *Sustainability* 14:5979 (546 respondents): the financial bond is
  not significant.
* Liu (2007), "The long-term impact of loyalty programs on consumer purchase behavior and
  loyalty", *J. Marketing* 71(4):19–35, and Sharp & Sharp (1997), "Loyalty programs and their
  impact on repeat-purchase loyalty patterns", *Int. J. Research in Marketing* 14(5):473–486:
  heavy buyers join loyalty programmes anyway, so a member vs non-member gap overstates what
  the programme does.

The outcomes (switching intention, churn, satisfaction) are generated from the *observed* scale
scores (the mean of a respondent's recoded items), not from the latent bonds, so that a
regression on the scale scores recovers the coefficients without the attenuation that
measurement error would cause; the loadings are those of the latent continuous items, which the
7-point answers blur only slightly.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .. import _util

__all__ = [
    "BOND_ITEMS",
    "BOND_CORRELATION",
    "BOND_SEGMENTS",
    "SURVEY_TRUTH",
    "LOYALTY_TRUTH",
    "RELATIONSHIP_SURVEY_SEED",
    "RELATIONSHIP_PANEL_SEED",
    "bond_scales_yaml",
    "bond_survey",
    "loyalty_panel",
]

#: Seeds of the committed files.
RELATIONSHIP_SURVEY_SEED = 20240638
RELATIONSHIP_PANEL_SEED = 20240612

_LEVELS = ("financial", "social", "structural")

#: The survey items per bond: (item, true loading on its bond, location of the answer on the
#: 1–7 scale at an average bond, English wording, Chinese wording). ``soc4_r`` is worded in the
#: reverse direction (agreeing means a *weaker* social bond); its loading is that of the recoded
#: answer 8 − x.
BOND_ITEMS: dict[str, list[tuple[str, float, float, str, str]]] = {
    "financial": [
        (
            "fin1",
            0.76,
            4.6,
            "The bank gives me preferential interest rates or fees.",
            "银行给我优惠的利率或手续费。",
        ),
        (
            "fin2",
            0.81,
            4.8,
            "I collect reward points or cash-back when I use the bank's services.",
            "使用银行的服务可以累积积分或获得返现。",
        ),
        (
            "fin3",
            0.72,
            4.4,
            "The bank gives me discounts for using more of its products.",
            "使用更多的产品可以享受折扣。",
        ),
        (
            "fin4",
            0.70,
            4.5,
            "The bank rewards me for staying a customer for many years.",
            "银行奖励我多年来一直是它的客户。",
        ),
    ],
    "social": [
        (
            "soc1",
            0.80,
            4.2,
            "My account manager knows me and my situation personally.",
            "我的客户经理了解我和我的情况。",
        ),
        (
            "soc2",
            0.77,
            4.0,
            "The bank keeps in touch with me (greetings, client events).",
            "银行与我保持联系（节日问候、客户活动）。",
        ),
        (
            "soc3",
            0.74,
            4.4,
            "The staff treat me as a valued client, not as an account number.",
            "员工把我当作重要的客户，而不是一个账号。",
        ),
        (
            "soc4_r",
            0.71,
            4.1,
            "I have no personal contact with anyone at this bank. (reverse-coded)",
            "我与这家银行的任何人都没有私人联系。（反向题）",
        ),
    ],
    "structural": [
        (
            "str1",
            0.85,
            3.9,
            "My salary, bills and standing orders all run through this bank.",
            "我的工资、账单和定期付款都通过这家银行办理。",
        ),
        (
            "str2",
            0.80,
            3.7,
            "The bank's online tools are part of how I manage my money.",
            "银行的线上工具已经成为我管理资金方式的一部分。",
        ),
        (
            "str3",
            0.78,
            3.8,
            "The bank offers solutions tailored to my needs.",
            "银行为我提供量身定制的解决方案。",
        ),
        (
            "str4",
            0.73,
            3.6,
            "Moving my accounts to another bank would take a lot of effort.",
            "把账户转到另一家银行会非常费事。",
        ),
        (
            "str5",
            0.75,
            3.7,
            "I know this bank's systems; elsewhere I would have to learn anew.",
            "我熟悉这家银行的系统，换一家就要重新学习。",
        ),
    ],
}
_REVERSE = ("soc4_r",)
_SPREAD = 1.4  # answer units per latent standard deviation

#: Correlations of the three latent bonds (financial, social, structural).
BOND_CORRELATION = np.array([[1.00, 0.35, 0.30], [0.35, 1.00, 0.45], [0.30, 0.45, 1.00]])

#: Customer segments of the survey: share and shift of the latent bonds (financial, social,
#: structural): private-banking clients have account managers, small firms run their payments
#: through the bank.
BOND_SEGMENTS = {
    "retail": (0.70, (0.0, 0.0, 0.0)),
    "private": (0.12, (0.1, 0.4, 0.0)),
    "sme": (0.18, (0.0, 0.0, 0.4)),
}

#: True coefficients of the survey's outcome equations, per point of a scale score (centred at
#: 4, the scale midpoint). Switching intention: logit; churn: exponential hazard (hazard ratio).
SURVEY_TRUTH = {
    "logit_intercept": -0.9,
    "logit_financial": -0.05,
    "logit_social": -0.35,
    "logit_structural": -0.70,
    "logit_satisfaction": -0.45,
    "hr_financial": 0.97,
    "hr_social": 0.85,
    "hr_structural": 0.70,
    "hr_satisfaction": 0.85,
    "baseline_monthly_hazard": 0.015,
    "followup_months": 24,
    "lost_to_followup": 0.08,
    "satisfaction_intercept": 4.2,
    "satisfaction_financial": 0.15,
    "satisfaction_social": 0.30,
    "satisfaction_structural": 0.35,
    "satisfaction_noise_sd": 0.9,
    "value_intercept": 4.0,
    "value_financial": 0.25,
    "value_social": 0.30,
    "value_structural": 0.40,
    "value_noise_sd": 0.9,
    "missing_item_rate": 0.02,
}

#: True parameters of the loyalty panel.
LOYALTY_TRUTH = {
    "programme_effect": 4.0,
    "launch_month": 19,
    "hr_financial": 0.97,
    "hr_social": 0.85,
    "hr_structural": 0.70,
    "hr_age": 0.99,
    "hr_products": 0.85,
    "weibull_shape": 0.8,
    "weibull_scale_months": 90.0,
    "appetite_floor": 12.0,
    "appetite_log_mean": 3.9,
    "appetite_log_sd": 0.55,
    "appetite_financial": 0.08,
    "spend_noise_shape": 4.0,
    "selection_intercept": -0.8,
    "selection_appetite": 1.2,
    "selection_financial": 0.3,
    "trend_per_month": 0.15,
    "season_amplitude": 3.0,
    "december_bump": 8.0,
}


def _latent_bonds(rng: np.random.Generator, n: int, shifts: np.ndarray | None = None) -> np.ndarray:
    chol = np.linalg.cholesky(BOND_CORRELATION)
    z = rng.standard_normal((n, 3)) @ chol.T
    return z if shifts is None else z + shifts


def _answers(rng: np.random.Generator, bonds: np.ndarray) -> dict[str, np.ndarray]:
    """7-point answers to every item, as stored (reverse-coded items as answered)."""
    n = len(bonds)
    out = {}
    for j, level in enumerate(_LEVELS):
        for item, loading, location, *_ in BOND_ITEMS[level]:
            y = loading * bonds[:, j] + np.sqrt(1 - loading**2) * rng.standard_normal(n)
            x = np.clip(np.rint(location + _SPREAD * y), 1, 7).astype(int)
            out[item] = 8 - x if item in _REVERSE else x
    return out


def _recoded(answers: dict[str, np.ndarray], item: str) -> np.ndarray:
    x = np.asarray(answers[item], dtype=float)
    return 8 - x if item in _REVERSE else x


# _scores, _level and _cronbach restate the library's rules on purpose: the data hold the truth
# that the tests check customer_value.relationship against, so they must not come from it.


def _scores(answers: dict[str, np.ndarray]) -> np.ndarray:
    """Scale scores: mean of the available recoded items of each bond (n × 3)."""
    cols = []
    for level in _LEVELS:
        block = np.column_stack([_recoded(answers, it[0]) for it in BOND_ITEMS[level]])
        cols.append(np.nanmean(block, axis=1))
    return np.column_stack(cols)


def _level(scores: np.ndarray, threshold: float = 5.0) -> np.ndarray:
    """Highest level whose score reaches ``threshold`` (the rule of relationship_level)."""
    out = np.full(len(scores), "none", dtype=object)
    for j, level in enumerate(_LEVELS):
        out[scores[:, j] >= threshold] = level
    return out


def _cronbach(block: np.ndarray) -> float:
    k = block.shape[1]
    return k / (k - 1) * (1 - block.var(axis=0, ddof=1).sum() / block.sum(axis=1).var(ddof=1))


@functools.lru_cache(maxsize=4)
def _population_alpha(size: int = 200_000, seed: int = 0) -> tuple[float, float, float]:
    """Cronbach's alpha of the 7-point items in a very large simulated population."""
    rng = _util.rng(seed)
    shares = np.array([s for s, _ in BOND_SEGMENTS.values()])
    seg = rng.choice(len(shares), size=size, p=shares)
    shifts = np.array([sh for _, sh in BOND_SEGMENTS.values()])[seg]
    answers = _answers(rng, _latent_bonds(rng, size, shifts))
    return tuple(
        float(_cronbach(np.column_stack([_recoded(answers, it[0]) for it in BOND_ITEMS[level]])))
        for level in _LEVELS
    )


def _truth_frame(rows: list[tuple[str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["parameter", "value", "meaning"])


def bond_survey(
    n: int = 600, *, seed: int | np.random.Generator = RELATIONSHIP_SURVEY_SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate a bank's relationship-bond survey with known loadings and effects.

    Each respondent has three correlated latent bonds (financial, social, structural; correlations
    :data:`BOND_CORRELATION`, 0.30–0.45) shifted by segment (:data:`BOND_SEGMENTS`). Each item is
    ``loading · bond + sqrt(1 − loading²) · noise`` on a latent scale, turned into a 7-point answer
    by ``clip(round(location + 1.4 · y), 1, 7)``; the reverse-worded ``soc4_r`` is stored as the
    respondent answered it (8 − x). Loadings 0.70–0.85 and 4–5 items per bond follow the bank
    studies of Chiu et al. (2005, *J. Business Research* 58(12)). In each scale a respondent
    skips one item with probability 0.02.

    Outcomes depend on the scale scores s (mean of the recoded items), centred at 4:
    satisfaction and perceived value (1–7) rise with all three bonds (Chiu et al. 2005);
    switching intention is logistic with coefficients (:data:`SURVEY_TRUTH`) financial −0.05,
    social −0.35, structural −0.70 and satisfaction −0.45 per point (structural > social >
    financial, financial about zero as in Jong, Tseng & Wang 2022); churn over a 24-month
    follow-up has an exponential hazard 0.015 per month at the reference, with hazard ratios
    0.97, 0.85, 0.70 per bond point and 0.85 per satisfaction point; 8 % of respondents are
    lost to follow-up at a random month (censored). Durations are whole months.

    Returns ``(survey, truth)``: one row per respondent, and a tidy table (parameter, value,
    meaning) of the true loadings, bond correlations, population alphas and coefficients.

    >>> survey, truth = bond_survey(100, seed=1)
    >>> survey.shape, float(truth.set_index("parameter").loc["hr_structural", "value"])
    ((100, 21), 0.7)
    """
    rng = _util.rng(seed)
    names = list(BOND_SEGMENTS)
    shares = np.array([BOND_SEGMENTS[s][0] for s in names])
    seg = rng.choice(len(names), size=n, p=shares)
    shifts = np.array([BOND_SEGMENTS[s][1] for s in names])[seg]
    answers = _answers(rng, _latent_bonds(rng, n, shifts))
    miss = {}
    for level in _LEVELS:
        items = [it[0] for it in BOND_ITEMS[level]]
        skip = rng.random(n) < SURVEY_TRUTH["missing_item_rate"]
        which = rng.integers(0, len(items), size=n)
        for k, item in enumerate(items):
            miss[item] = skip & (which == k)
    answered = {item: np.where(miss[item], np.nan, x.astype(float)) for item, x in answers.items()}
    s = _scores(answered)
    c = s - 4.0
    t = SURVEY_TRUTH
    sat = np.clip(
        np.rint(
            t["satisfaction_intercept"]
            + c
            @ [t["satisfaction_financial"], t["satisfaction_social"], t["satisfaction_structural"]]
            + rng.normal(0, t["satisfaction_noise_sd"], n)
        ),
        1,
        7,
    ).astype(int)
    value = np.clip(
        np.rint(
            t["value_intercept"]
            + c @ [t["value_financial"], t["value_social"], t["value_structural"]]
            + rng.normal(0, t["value_noise_sd"], n)
        ),
        1,
        7,
    ).astype(int)
    eta = (
        t["logit_intercept"]
        + c @ [t["logit_financial"], t["logit_social"], t["logit_structural"]]
        + t["logit_satisfaction"] * (sat - 4)
    )
    switching = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    log_hr = np.log([t["hr_financial"], t["hr_social"], t["hr_structural"]])
    rate = t["baseline_monthly_hazard"] * np.exp(
        c @ log_hr + np.log(t["hr_satisfaction"]) * (sat - 4)
    )
    churn_time = rng.exponential(1 / rate)
    follow = int(t["followup_months"])
    lost = rng.random(n) < t["lost_to_followup"]
    censor = np.where(lost, rng.integers(1, follow, size=n), follow)
    churned = (churn_time <= censor).astype(int)
    months = np.where(churned == 1, np.maximum(np.ceil(churn_time), 1), censor).astype(int)
    tenure = np.maximum(np.rint(np.exp(3.6 + 0.25 * c[:, 2] + rng.normal(0, 0.7, n))), 1)

    data = {
        "respondent_id": [f"B{i:04d}" for i in range(1, n + 1)],
        "segment": np.array(names, dtype=object)[seg],
    }
    for level in _LEVELS:
        for item, *_ in BOND_ITEMS[level]:
            data[item] = pd.array(
                np.where(miss[item], pd.NA, answers[item]).tolist(), dtype="Int64"
            )
    data.update(
        {
            "satisfaction": sat,
            "perceived_value": value,
            "switching_intention": switching,
            "tenure_months": tenure.astype(int),
            "churned": churned,
            "months_observed": months,
        }
    )
    survey = pd.DataFrame(data)
    survey["respondent_id"] = survey["respondent_id"].astype("str")
    survey["segment"] = survey["segment"].astype("str")

    rows = []
    for level in _LEVELS:
        for item, loading, _location, _wording, _ in BOND_ITEMS[level]:
            rev = (
                " (reverse-worded; loading of the recoded answer 8 - x)" if item in _REVERSE else ""
            )
            rows.append(
                (
                    f"loading_{item}",
                    loading,
                    f"true standardized loading of {item} on the {level} bond{rev}",
                )
            )
    for (i, a), (j, b) in [
        ((0, "financial"), (1, "social")),
        ((0, "financial"), (2, "structural")),
        ((1, "social"), (2, "structural")),
    ]:
        rows.append(
            (
                f"corr_{a}_{b}",
                float(BOND_CORRELATION[i, j]),
                f"correlation of the latent {a} and {b} bonds (within a segment)",
            )
        )
    for level, alpha in zip(_LEVELS, _population_alpha()):
        rows.append(
            (
                f"alpha_{level}",
                round(alpha, 4),
                (
                    f"Cronbach's alpha of the {level} items in a simulated population of "
                    "200,000 (7-point answers, recoded)"
                ),
            )
        )
    meaning = {
        "logit_intercept": "switching intention: logit at scores 4 and satisfaction 4",
        "logit_financial": "switching intention: logit coefficient per point of the financial score",
        "logit_social": "switching intention: logit coefficient per point of the social score",
        "logit_structural": "switching intention: logit coefficient per point of the structural score",
        "logit_satisfaction": "switching intention: logit coefficient per point of satisfaction",
        "hr_financial": "churn: hazard ratio per point of the financial score",
        "hr_social": "churn: hazard ratio per point of the social score",
        "hr_structural": "churn: hazard ratio per point of the structural score",
        "hr_satisfaction": "churn: hazard ratio per point of satisfaction",
        "baseline_monthly_hazard": "churn: monthly hazard at scores 4 and satisfaction 4",
        "followup_months": "months of follow-up after the survey (administrative censoring)",
        "lost_to_followup": "share of respondents censored at a random earlier month",
        "satisfaction_intercept": "satisfaction (latent, before rounding) at scores 4",
        "satisfaction_financial": "satisfaction per point of the financial score",
        "satisfaction_social": "satisfaction per point of the social score",
        "satisfaction_structural": "satisfaction per point of the structural score",
        "satisfaction_noise_sd": "standard deviation of satisfaction's noise (before rounding)",
        "value_intercept": "perceived value (latent, before rounding) at scores 4",
        "value_financial": "perceived value per point of the financial score",
        "value_social": "perceived value per point of the social score",
        "value_structural": "perceived value per point of the structural score",
        "value_noise_sd": "standard deviation of perceived value's noise (before rounding)",
        "missing_item_rate": "probability that a respondent skips one item of a scale",
    }
    rows += [(k, float(v), meaning[k]) for k, v in SURVEY_TRUTH.items()]
    return survey, _truth_frame(rows)


def loyalty_panel(
    n: int = 3000,
    months: int = 36,
    *,
    seed: int | np.random.Generator = RELATIONSHIP_PANEL_SEED,
    launch_month: int = 19,
    effect: float = 4.0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Simulate a bank's customers over ``months`` months around the launch of a frequency-
    marketing (points) programme in month ``launch_month``, with self-selected members.

    * Bonds: each customer answered the bond items of :func:`bond_survey` at the start (no
      missing answers); ``financial``, ``social``, ``structural`` are the scale scores and
      ``level`` the highest level with a score ≥ 5 (``relationship.relationship_level``).
    * Churn: Weibull hazard, shape 0.8 and scale 90 months at the reference (scores 4, age 45,
      2 products), proportional hazards with hazard ratios 0.97 (financial), 0.85 (social),
      0.70 (structural) per point, 0.99 per year of age, 0.85 per product held (a structural
      tie: more products with more structural bonds). Churn is absorbing; customers still
      active after month ``months`` are censored. The programme does not change churn.
    * Spend: customer i spends ``(a_i + τ_t + effect · member_i · post_t) · g_it`` in every
      active month, with appetite a_i = 12 + exp(N(3.9 + 0.08 · (financial − 4), 0.55)),
      month effects τ_t (trend 0.15 per month, a seasonal wave of ±3 and +8 in December) and
      g_it ~ Gamma(4, 1/4) (mean 1). The expected programme effect is ``effect`` per active
      member-month, the same in every month after launch; pre-trends are parallel.
    * Self-selection (Liu 2007, *J. Marketing* 71(4); Sharp & Sharp 1997, *IJRM* 14(5)): a
      customer still active at launch joins with probability logistic(−0.8 + 1.2 · z_i +
      0.3 · (financial − 4)), z_i the standardized log appetite: heavy buyers join, so the
      naive member vs non-member gap after launch is far larger than ``effect``.

    Returns ``(panel, customers, truth)``: the customer-month panel (``customer_id``, ``month``
    1..months, ``member``, ``post``, ``spend`` (0 when inactive), ``active``, the three scores,
    ``level``), one row per customer (scores, level, ``duration_months`` ≥ 1, ``churned``,
    ``age``, ``products``, ``member``), and a tidy truth table including the expected naive
    gap in this sample.

    >>> panel, customers, truth = loyalty_panel(200, seed=1)
    >>> len(panel) == 200 * 36, bool(customers["duration_months"].min() >= 1)
    (True, True)
    """
    if not 2 <= launch_month <= months:
        raise ValueError(f"launch_month must be in 2..{months}, not {launch_month}")
    rng = _util.rng(seed)
    t = dict(LOYALTY_TRUTH, programme_effect=float(effect), launch_month=int(launch_month))
    answers = _answers(rng, _latent_bonds(rng, n))
    s = np.round(_scores(answers), 2)
    c = s - 4.0
    level = _level(s)
    age = np.clip(np.rint(rng.normal(46, 13, n)), 20, 85).astype(int)
    products = np.clip(1 + rng.poisson(np.exp(0.25 * c[:, 2])), 1, 8).astype(int)
    eta = (
        c @ np.log([t["hr_financial"], t["hr_social"], t["hr_structural"]])
        + np.log(t["hr_age"]) * (age - 45)
        + np.log(t["hr_products"]) * (products - 2)
    )
    # cumulative hazard (time / scale)^shape · exp(eta) = E ~ Exp(1)
    churn_time = t["weibull_scale_months"] * (rng.exponential(1.0, n) * np.exp(-eta)) ** (
        1 / t["weibull_shape"]
    )
    churned = (churn_time <= months).astype(int)
    duration = np.where(churned == 1, np.maximum(np.ceil(churn_time), 1), months).astype(int)

    log_app = rng.normal(
        t["appetite_log_mean"] + t["appetite_financial"] * c[:, 0], t["appetite_log_sd"], n
    )
    appetite = t["appetite_floor"] + np.exp(log_app)
    z = (log_app - t["appetite_log_mean"]) / t["appetite_log_sd"]
    at_launch = duration >= launch_month
    p_join = 1 / (
        1
        + np.exp(
            -(
                t["selection_intercept"]
                + t["selection_appetite"] * z
                + t["selection_financial"] * c[:, 0]
            )
        )
    )
    member = (at_launch & (rng.random(n) < p_join)).astype(int)

    month = np.arange(1, months + 1)
    tau = (
        t["trend_per_month"] * (month - 1)
        + t["season_amplitude"] * np.sin(2 * np.pi * month / 12)
        + t["december_bump"] * (month % 12 == 0)
    )
    post = (month >= launch_month).astype(int)
    active = (month[None, :] <= duration[:, None]).astype(int)
    mean_spend = appetite[:, None] + tau[None, :] + effect * member[:, None] * post[None, :]
    noise = rng.gamma(t["spend_noise_shape"], 1 / t["spend_noise_shape"], size=(n, months))
    spend = np.where(active == 1, np.round(mean_spend * noise, 2), 0.0)

    ids = np.array([f"C{i:04d}" for i in range(1, n + 1)], dtype=object)
    panel = pd.DataFrame(
        {
            "customer_id": np.repeat(ids, months),
            "month": np.tile(month, n),
            "member": np.repeat(member, months),
            "post": np.tile(post, n),
            "spend": spend.ravel(),
            "active": active.ravel(),
            "financial": np.repeat(s[:, 0], months),
            "social": np.repeat(s[:, 1], months),
            "structural": np.repeat(s[:, 2], months),
            "level": np.repeat(level, months),
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "financial": s[:, 0],
            "social": s[:, 1],
            "structural": s[:, 2],
            "level": level,
            "duration_months": duration,
            "churned": churned,
            "age": age,
            "products": products,
            "member": member,
        }
    )
    for df in (panel, customers):
        for col in ("customer_id", "level"):
            df[col] = df[col].astype("str")

    after = (active == 1) & (post[None, :] == 1)
    m_rows = after & (member[:, None] == 1)
    nm_rows = after & (member[:, None] == 0)
    naive_expected = float(mean_spend[m_rows].mean() - mean_spend[nm_rows].mean())
    pre_members = (active == 1) & (post[None, :] == 0) & (member[:, None] == 1)
    meaning = {
        "programme_effect": "true effect of membership on monthly spend after launch (currency "
        "units per active member-month)",
        "launch_month": "first month of the programme (post = 1 from this month)",
        "hr_financial": "churn: hazard ratio per point of the financial score",
        "hr_social": "churn: hazard ratio per point of the social score",
        "hr_structural": "churn: hazard ratio per point of the structural score",
        "hr_age": "churn: hazard ratio per year of age",
        "hr_products": "churn: hazard ratio per product held",
        "weibull_shape": "churn: Weibull shape (below 1: the hazard falls with time)",
        "weibull_scale_months": "churn: Weibull scale at scores 4, age 45, 2 products",
        "appetite_floor": "spend: minimum monthly appetite",
        "appetite_log_mean": "spend: mean of log(appetite - floor) at a financial score of 4",
        "appetite_log_sd": "spend: standard deviation of log(appetite - floor)",
        "appetite_financial": "spend: log appetite per point of the financial score",
        "spend_noise_shape": "spend: shape of the Gamma month-to-month noise (mean 1)",
        "selection_intercept": "joining: logit intercept (customers active at launch)",
        "selection_appetite": "joining: logit coefficient of the standardized log appetite",
        "selection_financial": "joining: logit coefficient per point of the financial score",
        "trend_per_month": "spend: common trend per month",
        "season_amplitude": "spend: amplitude of the common seasonal wave",
        "december_bump": "spend: common extra spend in December (months 12, 24, 36)",
    }
    rows = [(k, float(v), meaning[k]) for k, v in t.items()]
    rows += [
        (
            "naive_gap_expected",
            round(naive_expected, 4),
            (
                "expected naive member minus non-member gap in mean monthly spend after launch in "
                "this sample (no noise): programme effect plus selection"
            ),
        ),
        (
            "selection_bias",
            round(naive_expected - effect, 4),
            "naive_gap_expected minus programme_effect: what self-selection adds",
        ),
        ("members", float(member.sum()), "customers who joined the programme"),
        (
            "member_pre_spend",
            round(float(mean_spend[pre_members].mean()), 4),
            "expected monthly spend of members before launch (for the effect in percent)",
        ),
        (
            "churn_share",
            round(float(churned.mean()), 4),
            f"share of customers who churned within {months} months",
        ),
    ]
    return panel, customers, _truth_frame(rows)


def bond_scales_yaml() -> str:
    """The example item-to-scale mapping of the bond survey (``datasets/bond_scales.yaml``), in
    the layout ``relationship.read_scales`` reads."""
    lines = [
        "# Item-to-scale mapping of the bond survey (datasets/bond_survey.csv).",
        "# Copy and edit it for your own questionnaire: one key per bond with its items,",
        "# `reverse` lists reverse-worded items (recoded as min + max - answer),",
        "# `scale` is the answer range [min, max].",
        "# Read it with customer_value.relationship.read_scales(path) or pass it to",
        "#   customer-value bonds SURVEY --scales bond_scales.yaml",
    ]
    for level in _LEVELS:
        lines.append(f"{level}: [{', '.join(it[0] for it in BOND_ITEMS[level])}]")
    lines.append(f"reverse: [{', '.join(_REVERSE)}]")
    lines.append("scale: [1, 7]")
    return "\n".join(lines) + "\n"
