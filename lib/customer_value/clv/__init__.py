"""Customer lifetime value (顾客终身价值, CLV): from the practitioner formula to each customer's
discounted profit.

* :func:`lifetime_value` — each customer's value from her customer-table row, net of her cost
  to serve: BG/NBD purchases × Gamma-Gamma spend × margin, discounted (or the practitioner
  formula). The one definition of CLV that the command line, the lessons and the reports use.
* Arithmetic (``clv.formulas``): :func:`simple_clv` (average transaction value × purchases per
  period × expected periods, the source's formula; the margin is our addition),
  :func:`retention_clv` (margin, retention and discount rate; Gupta & Lehmann 2003; Gupta,
  Lehmann & Stuart 2004), :func:`retention_from_cohort`, and the discounted value of existing
  customers under BG/NBD and Gamma-Gamma (:func:`discounted_expected_purchases`,
  :func:`customer_lifetime_value`; Fader, Hardie & Lee 2005a, 2005b).
* Checking a forecast (``clv.holdout``): :func:`calibration_holdout` (the model inputs of a
  calibration period and the purchases of the holdout after it, from the customers module),
  :func:`holdout_check`, :func:`holdout_comparison`, :func:`repeat_purchase_tracking` and
  their plots.

The models themselves (sBG, BG/NBD, Gamma-Gamma) are in :mod:`customer_value.btyd`; the
customer table and what counts as a purchase in :mod:`customer_value.customers`.

Sources
-------
* Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *J. Interactive Marketing* 17(1):9–24;
  (2005) *Managing Customers as Investments*, Wharton School Publishing.
* Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *J. Marketing Research*
  41(1):7–18.
* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way: an
  alternative to the Pareto/NBD model. *Marketing Science* 24(2):275–284.
* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
  customer base analysis. *J. Marketing Research* 42(4):415–430.
* Cooper, R. & Kaplan, R. S. (1991). Profit priorities from activity-based costing. *Harvard
  Business Review* 69(3):130–135.
"""

from .formulas import (
    customer_lifetime_value,
    discounted_expected_purchases,
    retention_clv,
    retention_from_cohort,
    simple_clv,
)
from .holdout import (
    HoldoutCheck,
    calibration_holdout,
    fit_quietly,
    holdout_check,
    holdout_comparison,
    plot_calibration_holdout,
    plot_repeat_purchase_tracking,
    repeat_purchase_tracking,
)
from .tiers import GROUPS, TierComparison, compare_tiers
from .value import MODELS, CustomerValue, lifetime_value

__all__ = [
    "GROUPS",
    "MODELS",
    "TierComparison",
    "compare_tiers",
    "CustomerValue",
    "HoldoutCheck",
    "calibration_holdout",
    "customer_lifetime_value",
    "discounted_expected_purchases",
    "fit_quietly",
    "holdout_check",
    "holdout_comparison",
    "lifetime_value",
    "plot_calibration_holdout",
    "plot_repeat_purchase_tracking",
    "repeat_purchase_tracking",
    "retention_clv",
    "retention_from_cohort",
    "simple_clv",
]
