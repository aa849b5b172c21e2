"""A strategy per tier, and the bridge between the customer pyramid and Kano analysis.

Zeithaml, Rust & Lemon (2001), *California Management Review* 43(4): who the tiers are, and
"serve tiers differently, move customers up, raise price or cut cost-to-serve for lead". The
Kano focus per tier is the bridge of the course's Chinese source material on customer-needs
orientation: for platinum, go beyond must-be and one-dimensional needs into attractive ones;
for gold, work the one-dimensional needs without losing the must-be ones; for iron and lead,
secure the must-be needs with good basic quality and move them toward gold (Kano et al. 1984
for the categories).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from ..kano import CATEGORY_NAMES as _KANO_NAMES
from ._base import TIER_NAMES_ZH, TIERS, tier_key

__all__ = ["TIER_STRATEGIES", "TierStrategy", "strategy_table", "tier_plan", "tier_strategy"]


@dataclass(frozen=True)
class TierStrategy:
    """How to serve one tier: who they are, which Kano needs to work on, and what to do."""

    tier: str
    tier_zh: str
    profile: str
    profile_zh: str
    kano_focus: tuple[str, ...]
    strategy: str
    strategy_zh: str

    @property
    def kano_focus_names(self) -> tuple[str, ...]:
        """The Kano categories of :attr:`kano_focus` in words, e.g. ``"attractive (魅力需求)"``."""
        return tuple(f"{_KANO_NAMES[c][0]} ({_KANO_NAMES[c][1]})" for c in self.kano_focus)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["kano_focus"] = "/".join(self.kano_focus)
        out["kano_focus_names"] = "; ".join(self.kano_focus_names)
        return out


#: Per-tier strategy: Zeithaml, Rust & Lemon (2001) for who the tiers are and what to do with
#: them; the Kano focus is the pyramid–Kano bridge of the course's source material.
TIER_STRATEGIES: Mapping[str, TierStrategy] = {
    "platinum": TierStrategy(
        "platinum",
        "铂",
        "The most profitable customers: heavy users, not very price sensitive, willing to try "
        "new offerings, committed.",
        "最有利可图的顾客：使用量大、对价格不太敏感、愿意尝试新产品、忠诚度高。",
        ("A",),
        "Go beyond must-be and one-dimensional needs into attractive ones: personalised, novel "
        "services; invest to keep and delight them.",
        "在满足必备需求和期望需求的基础上，重点开发魅力需求：提供个性化、新颖的服务，投入资源保留并取悦他们。",
    ),
    "gold": TierStrategy(
        "gold",
        "金",
        "Profitable, but they seek discounts, are less loyal and may spread their purchases "
        "over several suppliers.",
        "有利可图，但追求折扣、忠诚度较低，可能同时向多家供应商购买。",
        ("O", "M"),
        "Work the one-dimensional needs they compare on (discounts, bundles, cheaper new "
        "services) without losing the must-be ones; move them up to platinum.",
        "在不丢失必备需求的前提下，重点改善他们比较和决策所依据的期望需求（折扣、捆绑销售、更便宜的新服务），推动其升入铂层。",
    ),
    "iron": TierStrategy(
        "iron",
        "铁",
        "Volume that uses capacity, but their spending and profitability do not warrant special "
        "treatment.",
        "提供业务量、消化产能，但其消费和利润不值得特殊对待。",
        ("M",),
        "Secure the must-be needs with good basic quality at low cost; move them toward gold "
        "(more purchases, larger share of wallet).",
        "以良好的基本质量和较低的成本保证必备需求，推动其向金层移动（增加购买、提高钱包份额）。",
    ),
    "lead": TierStrategy(
        "lead",
        "铅",
        "They cost the firm money: they demand attention beyond their value and may be "
        "problem customers.",
        "让企业亏钱：占用的关注和资源超过其价值，可能是问题顾客。",
        ("M",),
        "Keep must-be basics only; raise prices or cut the cost to serve (self-service, fewer "
        "contacts, minimum order sizes, service fees) to move them toward gold; stop courting "
        "those who stay unprofitable.",
        "只保证必备需求；提高价格或降低服务成本（自助服务、减少接触、最低订单量、服务收费），推动其向金层移动；对始终不盈利者不再重点投入。",
    ),
}


def tier_strategy(tier: str) -> TierStrategy:
    """The strategy for one tier (Zeithaml, Rust & Lemon 2001; the Kano focus from the course's
    source material), by English name (any case) or Chinese name (铂, 金, 铁, 铅).

    >>> tier_strategy("铂").kano_focus
    ('A',)
    """
    return TIER_STRATEGIES[tier_key(tier)]


def strategy_table() -> pd.DataFrame:
    """All tier strategies as a DataFrame, one row per tier (English and Chinese; Zeithaml,
    Rust & Lemon 2001 and the course's source material).

    >>> strategy_table()["kano_focus"].tolist()
    ['A', 'O/M', 'M', 'M']
    """
    return pd.DataFrame([TIER_STRATEGIES[t].to_dict() for t in TIERS])


def tier_plan(profile: pd.DataFrame, effect: pd.DataFrame | None = None) -> pd.DataFrame:
    """The plan per tier: each tier's numbers from :func:`tier_profile` (customers,
    share_customers, share_profit, mean_profit, unprofitable) next to its strategy and Kano
    focus (:data:`TIER_STRATEGIES`), and, with ``effect`` from :func:`move_up_effect`, the tier
    it moves to (``to_tier``) and the value of moving a share of it up (``move_up_effect``).
    One row per tier, platinum first (Zeithaml, Rust & Lemon 2001).

    >>> import pandas as pd
    >>> profile = pd.DataFrame({"tier": ["platinum", "gold", "iron", "lead", "total"],
    ...     "customers": [1, 2, 0, 1, 4], "share_customers": [0.25, 0.5, 0.0, 0.25, 1.0],
    ...     "share_profit": [0.7, 0.4, 0.0, -0.1, 1.0], "mean_profit": [70.0, 20, None, -10, 25],
    ...     "unprofitable": [0, 0, 0, 1, 1]})
    >>> tier_plan(profile).set_index("tier").loc["gold", "kano_focus"]
    'O/M'
    """
    numbers = profile.set_index("tier").reindex(list(TIERS))
    plan = strategy_table().set_index("tier")
    cols = ["customers", "share_customers", "share_profit", "mean_profit", "unprofitable"]
    out = pd.concat([numbers[[c for c in cols if c in numbers.columns]], plan], axis=1)
    out["tier_zh"] = [TIER_NAMES_ZH[t] for t in TIERS]
    if effect is not None:
        e = effect.set_index("tier").reindex(list(TIERS))
        value_col = next(c for c in e.columns if c.endswith("_effect"))
        out["to_tier"] = e["to_tier"]
        out["move_up_effect"] = e[value_col]
    out.index.name = "tier"
    return out.reset_index()
