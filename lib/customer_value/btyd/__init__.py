"""Probability models of customer behaviour ("buy till you die", BTYD), fitted by maximum
likelihood.

* :class:`ShiftedBetaGeometric` (sBG): contractual retention, fitted to the counts of customers
  still active each period (Fader & Hardie 2007), with :func:`sbg_expected_lifetime` and
  :func:`sbg_derl` (discounted expected (residual) lifetime, Fader & Hardie 2010);
* :class:`BetaGeoNBD` (BG/NBD): repeat purchases and P(alive) in a non-contractual setting
  (Fader, Hardie & Lee 2005a);
* :class:`GammaGamma`: spend per purchase (Fader, Hardie & Lee 2005b; Fader & Hardie 2013);
* simulators of each model, to check an estimator against a known truth.

Words: in the BG/NBD and Gamma-Gamma models, *frequency* is the number of **repeat** purchase
occasions (the first purchase is not counted), *recency* is the time from the first to the last
purchase (not the time since the last one, as in RFM scores), *T* is the customer's age: the
time from the first purchase to the end of the observation period. A purchase occasion is a
customer-day with an order (see :mod:`customer_value.customers`).

A model has ``fit(...) -> self`` and ``from_params(...)`` (known, e.g. published, parameters);
estimates are in ``params_`` (a Series), their standard errors in ``se_``, the covariance in
``cov_``, the maximised log-likelihood in ``loglik_`` (also ``aic_``, ``n_obs_`` and
``converged_``); ``summary()`` is a statsmodels-style table (parameter, estimate, std_err,
ci_low, ci_high). The models do not claim the scikit-learn estimator API: they are fitted on
named columns of customer summaries, not on a feature matrix.

Sources
-------
* Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. *J. Interactive
  Marketing* 21(1):76–90.
* Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting: the
  perils of ignoring heterogeneity. *Marketing Science* 29(1):85–93.
* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way: an
  alternative to the Pareto/NBD model. *Marketing Science* 24(2):275–284.
* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
  customer base analysis. *J. Marketing Research* 42(4):415–430.
* Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value (note).
"""

from .bgnbd import BetaGeoNBD, simulate_bgnbd
from .gamma_gamma import GammaGamma, simulate_gamma_gamma
from .sbg import ShiftedBetaGeometric, sbg_derl, sbg_expected_lifetime, simulate_sbg

__all__ = [
    "BetaGeoNBD",
    "GammaGamma",
    "ShiftedBetaGeometric",
    "sbg_derl",
    "sbg_expected_lifetime",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "simulate_sbg",
]
