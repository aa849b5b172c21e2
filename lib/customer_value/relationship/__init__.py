"""Relationship-marketing levels (关系营销的三个层次): measuring bonds and what they do to retention.

Berry & Parasuraman (1991, *Marketing Services*) and Berry (1995, "Relationship marketing of
services", *J. Academy of Marketing Science* 23(4):236–245) describe three levels of bonds
between a firm and its customers, each harder for a competitor to copy than the last:

==========  =============  ======================================================
level       中文           bond
==========  =============  ======================================================
financial   财务层次       price incentives: points, rebates, bundles, stable prices
social      社交层次       personal contact, personalisation, customer communities
structural  结构层次       solutions built into the customer's systems and habits
==========  =============  ======================================================

The package follows the order of an analysis, one module per step:

1. :mod:`~customer_value.relationship.scales`: bond indices from Likert items, with
   reverse-coded items (:func:`read_scales`, :func:`score_bonds`); Cronbach's alpha
   (Cronbach 1951) with Feldt's (1965) confidence interval, alpha-if-item-deleted and
   corrected item–total correlations; an exploratory factor analysis with varimax rotation
   (Kaiser 1958) that shows whether the items separate into their scales; a customer's relationship level (:func:`relationship_level`), its
   distribution, its sensitivity to the threshold and its distribution per segment;
   :mod:`~customer_value.relationship.survey` runs these on a survey file in one call
   (:func:`analyze_survey`).
2. :mod:`~customer_value.relationship.retention`: Kaplan–Meier curves with pointwise bands
   and a log-rank test (:func:`survival_by_level`), a Cox proportional-hazards model with
   hazard ratios and a test of proportional hazards (:func:`cox_model`), a logit of switching
   intention with odds ratios and average marginal effects (:func:`switching_logit`), the CLV
   effect of a retention change (:func:`retention_value`), CLV per level
   (:meth:`SurvivalByLevel.lifetime_value`) and the sBG retention projection per level
   (:func:`retention_by_level`).
3. :mod:`~customer_value.relationship.programme`: the financial level in practice, the effect
   of a frequency-marketing programme by difference-in-differences on a customer-period panel,
   with an event study and the naive member vs non-member comparison that self-selection
   biases (:func:`programme_did`).
4. :mod:`~customer_value.relationship.plots`: :func:`plot_loadings`, :func:`plot_levels`,
   :func:`plot_survival`, :func:`plot_hazard_ratios`, :func:`plot_odds_ratios`,
   :func:`plot_event_study`, :func:`plot_retention`; they take ``ax=`` and return the Axes.

The models are fitted by statsmodels (Kaplan–Meier, log-rank, Cox, logit, OLS with
cluster-robust errors), scikit-learn (factor analysis) and :mod:`customer_value.btyd` (sBG).

>>> import pandas as pd
>>> from customer_value import relationship as rel
>>> rel.relationship_level(pd.DataFrame({"financial": [6.0], "structural": [5.5]})).tolist()
['structural']

Sources
-------
* Berry, L. L. & Parasuraman, A. (1991). *Marketing Services: Competing Through Quality*. Free
  Press. Berry, L. L. (1995). *J. Academy of Marketing Science* 23(4):236–245.
* Chiu, H.-C., Hsieh, Y.-C., Li, Y.-C. & Lee, M. (2005). Relationship marketing and consumer
  switching behavior. *J. Business Research* 58(12):1681–1689.
* Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
  *Psychometrika* 16(3):297–334. Feldt, L. S. (1965). The approximate sampling distribution of
  Kuder-Richardson reliability coefficient twenty. *Psychometrika* 30(3):357–370.
* Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
  *Psychometrika* 23(3):187–200.
* Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
  *J. American Statistical Association* 53(282):457–481. Mantel, N. (1966). Evaluation of
  survival data and two new rank order statistics arising in its consideration. *Cancer
  Chemotherapy Reports* 50(3):163–170 (log-rank test).
* Cox, D. R. (1972). Regression models and life-tables. *J. Royal Statistical Society B*
  34(2):187–220. Breslow, N. (1974). Covariance analysis of censored survival data.
  *Biometrics* 30(1):89–99. Grambsch, P. M. & Therneau, T. M. (1994). Proportional hazards
  tests and diagnostics based on weighted residuals. *Biometrika* 81(3):515–526.
* Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton UP, ch. 5.
  Bertrand, M., Duflo, E. & Mullainathan, S. (2004). How much should we trust
  differences-in-differences estimates? *Quarterly J. Economics* 119(1):249–275. Cameron,
  A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference. *J. Human
  Resources* 50(2):317–372.
* Liu, Y. (2007). The long-term impact of loyalty programs on consumer purchase behavior and
  loyalty. *J. Marketing* 71(4):19–35. Sharp, B. & Sharp, A. (1997). Loyalty programs and
  their impact on repeat-purchase loyalty patterns. *Int. J. Research in Marketing*
  14(5):473–486.
* Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. *J. Marketing Research*
  41(1):7–18. Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention.
  *J. Interactive Marketing* 21(1):76–90.
"""

from ._common import LEVEL_COLORS, LEVEL_NAMES_ZH, LEVEL_ORDER, LEVELS
from .plots import (
    plot_event_study,
    plot_hazard_ratios,
    plot_levels,
    plot_loadings,
    plot_odds_ratios,
    plot_retention,
    plot_survival,
)
from .programme import DidResult, programme_did
from .retention import (
    CoxResult,
    LogitResult,
    RetentionByLevel,
    SurvivalByLevel,
    cox_model,
    retention_by_level,
    retention_value,
    survival_by_level,
    switching_logit,
)
from .scales import (
    BondScores,
    FactorCheck,
    Scales,
    cronbach_alpha,
    feldt_interval,
    read_scales,
    relationship_level,
    score_bonds,
)
from .survey import SurveyAnalysis, analyze_survey

__all__ = [
    "LEVELS",
    "LEVEL_NAMES_ZH",
    "LEVEL_ORDER",
    "LEVEL_COLORS",
    # scales
    "Scales",
    "read_scales",
    "BondScores",
    "score_bonds",
    "SurveyAnalysis",
    "analyze_survey",
    "cronbach_alpha",
    "feldt_interval",
    "FactorCheck",
    "relationship_level",
    # retention
    "SurvivalByLevel",
    "survival_by_level",
    "CoxResult",
    "cox_model",
    "LogitResult",
    "switching_logit",
    "retention_value",
    "RetentionByLevel",
    "retention_by_level",
    # programme evaluation
    "DidResult",
    "programme_did",
    # plots
    "plot_loadings",
    "plot_levels",
    "plot_survival",
    "plot_hazard_ratios",
    "plot_odds_ratios",
    "plot_event_study",
    "plot_retention",
]
