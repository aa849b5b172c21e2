"""The customer pyramid, customer concentration and RFM (顾客金字塔、客户集中度与 RFM).

The customer pyramid (Zeithaml, Rust & Lemon 2001, "The Customer Pyramid: Creating and Serving
Profitable Customers", *California Management Review* 43(4):118–142) ranks customers by
**profitability, not revenue** and serves each tier differently:

=========  ====  ==============================================================================
tier       中文  who
=========  ====  ==============================================================================
platinum   铂    the most profitable customers: heavy users, not price sensitive, try new offerings
gold       金    profitable, but they seek discounts and are less loyal
iron       铁    volume that uses capacity; not worth special treatment
lead       铅    cost the firm money; demand attention beyond their value
=========  ====  ==============================================================================

Everything works on the customer table of :func:`customer_value.customers.customer_table` (one row
per customer; columns ``customer_id``, ``recency_days``, ``orders``, ``gross_sales``, ``revenue``,
``avg_order_value``, ``gross_margin``, ``cost_to_serve``, ``profit``, ...), passed as ``data``: a
pandas DataFrame or any object with ``.to_pandas()``. Shares and rates are fractions in every
table.

Modules, in the order of an analysis
------------------------------------
* :mod:`~customer_value.pyramid.tiers`: :func:`assign_tiers` (methods ``"shares"``,
  ``"cumulative"``, ``"kmeans"``), :class:`PyramidSegmenter` (a scikit-learn transformer that
  learns value thresholds in one period and applies them to another), :func:`flag_unprofitable`,
  :func:`tier_profile`, :func:`tier_shares` (for any value such as CLV), :func:`activity_by_tier`
  (cost to serve by activity and tier), :func:`revenue_vs_profit`, :func:`check_shares`,
  :func:`check_cutoffs`.
* :mod:`~customer_value.pyramid.analysis`: :func:`build`, the whole pyramid of a customer table
  in one call (what the ``customer-value pyramid`` command shows).
* :mod:`~customer_value.pyramid.concentration`: :func:`whale_curve` (Cooper & Kaplan 1991),
  :func:`lorenz_curve`, :func:`gini` (Raffinetti, Siletti & Vernizzi 2015 for negative values),
  :func:`top_share`, :func:`share_reaching_total`, :func:`concentration_summary`,
  :func:`published_benchmarks`.
* :mod:`~customer_value.pyramid.migration`: :func:`transition_matrix`, :func:`project_mix`
  (Markov chain; Pfeifer & Carraway 2000), :func:`tier_migration`, :func:`move_up_effect`.
* :mod:`~customer_value.pyramid.rfm`: :func:`rfm_scores`, :func:`rfm_segments` (the R × FM grid
  :func:`rfm_grid`), :func:`compare_rfm_with_tiers`, :func:`rfm_comparison`.
* :mod:`~customer_value.pyramid.strategy`: :data:`TIER_STRATEGIES`, :func:`tier_strategy`,
  :func:`strategy_table`, :func:`tier_plan` — the pyramid–Kano bridge of the course's source
  material.
* :mod:`~customer_value.pyramid.plots`: :func:`plot_pyramid`, :func:`plot_whale_curve`,
  :func:`plot_lorenz`, :func:`plot_transition_matrix`, :func:`plot_projection`,
  :func:`plot_cost_to_serve`, :func:`plot_rfm_map` (each takes ``ax=`` and returns it).

Tie handling is deterministic everywhere: customers are ordered by value and then by
``customer_id`` ascending, so two customers with the same profit are split between tiers (or
score groups) by their ids, never by the row order of the file.

Sources
-------
* Zeithaml, V. A., Rust, R. T. & Lemon, K. N. (2001). The customer pyramid: creating and
  serving profitable customers. *California Management Review* 43(4):118–142.
* Cooper, R. & Kaplan, R. S. (1991). Profit priorities from activity-based costing. *Harvard
  Business Review* 69(3):130–135; Kaplan & Cooper (1998), *Cost & Effect*.
* Raffinetti, E., Siletti, E. & Vernizzi, A. (2015). On the Gini coefficient normalization when
  attributes with negative values are considered. *Statistical Methods & Applications*
  24(3):507–521.
* Kim, B. J., Singh, V. & Winer, R. S. (2017). The Pareto rule for frequently purchased packaged
  goods. *Marketing Letters* 28(4):491–507; McCarthy & Winer (2019), *Marketing Letters* 30(2).
* Pfeifer, P. E. & Carraway, R. L. (2000). Modeling customer relationships as Markov chains.
  *Journal of Interactive Marketing* 14(2):43–55.
* Hughes, A. M. (1994). *Strategic Database Marketing* (RFM).
* Kano, N. et al. (1984). Attractive quality and must-be quality. *Hinshitsu* 14(2):39–48.

>>> import pandas as pd
>>> data = pd.DataFrame({"customer_id": list("abcde"), "profit": [50.0, 30, 10, 5, -20]})
>>> assign_tiers(data, shares=(0.2, 0.2, 0.4, 0.2)).tolist()
['platinum', 'gold', 'iron', 'iron', 'lead']
"""

from ._base import TIER_COLORS, TIER_NAMES_ZH, TIERS
from .analysis import CustomerPyramid, build
from .concentration import (
    WhaleCurve,
    concentration_summary,
    gini,
    lorenz_curve,
    plot_lorenz,
    plot_whale_curve,
    published_benchmarks,
    share_reaching_total,
    top_share,
    whale_curve,
)
from .migration import (
    STATES_FROM,
    STATES_TO,
    TierMigration,
    move_up_effect,
    project_mix,
    tier_migration,
    transition_matrix,
)
from .plots import (
    plot_cost_to_serve,
    plot_projection,
    plot_pyramid,
    plot_transition_matrix,
)
from .rfm import (
    BEST_SEGMENTS,
    RFM_RULES,
    SEGMENT_COLORS,
    SEGMENT_NAMES_ZH,
    SEGMENTS,
    RFMComparison,
    compare_rfm_with_tiers,
    plot_rfm_map,
    rfm_comparison,
    rfm_grid,
    rfm_scores,
    rfm_segments,
)
from .strategy import TIER_STRATEGIES, TierStrategy, strategy_table, tier_plan, tier_strategy
from .tiers import (
    METHODS,
    PROFILE_COLUMNS,
    PyramidSegmenter,
    TierComparison,
    activity_by_tier,
    assign_tiers,
    check_cutoffs,
    check_method,
    check_shares,
    describe_method,
    flag_unprofitable,
    revenue_vs_profit,
    tier_profile,
    tier_shares,
)

__all__ = [
    "BEST_SEGMENTS",
    "METHODS",
    "PROFILE_COLUMNS",
    "RFM_RULES",
    "SEGMENTS",
    "SEGMENT_COLORS",
    "SEGMENT_NAMES_ZH",
    "STATES_FROM",
    "STATES_TO",
    "TIERS",
    "TIER_COLORS",
    "TIER_NAMES_ZH",
    "TIER_STRATEGIES",
    "CustomerPyramid",
    "PyramidSegmenter",
    "RFMComparison",
    "TierComparison",
    "TierMigration",
    "TierStrategy",
    "WhaleCurve",
    "activity_by_tier",
    "assign_tiers",
    "build",
    "check_cutoffs",
    "check_method",
    "check_shares",
    "compare_rfm_with_tiers",
    "concentration_summary",
    "describe_method",
    "flag_unprofitable",
    "gini",
    "lorenz_curve",
    "move_up_effect",
    "plot_cost_to_serve",
    "plot_lorenz",
    "plot_projection",
    "plot_pyramid",
    "plot_rfm_map",
    "plot_transition_matrix",
    "plot_whale_curve",
    "project_mix",
    "published_benchmarks",
    "revenue_vs_profit",
    "rfm_comparison",
    "rfm_grid",
    "rfm_scores",
    "rfm_segments",
    "share_reaching_total",
    "strategy_table",
    "tier_migration",
    "tier_plan",
    "tier_profile",
    "tier_shares",
    "tier_strategy",
    "top_share",
    "transition_matrix",
    "whale_curve",
]
