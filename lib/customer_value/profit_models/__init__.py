"""Slywotzky's 22 profit models (22种利润模型), as a catalogue and as small computable models.

Sources: Slywotzky & Morrison (1997), *The Profit Zone*; Slywotzky (2002), *The Art of
Profitability* (which adds a 23rd model, "digital profit" 数字化利润模型). The catalogue (order,
Chinese names, mechanism, where profit concentrates, examples, the signals in a firm's numbers
that suggest the model) is data, ``data/profit_models.csv``; read it with :func:`catalogue`,
list it with :func:`catalogue_text` and look a model up with :func:`get`.

Every model has one computable form (its name is the catalogue's ``computable`` column), in the
module of its profit driver (the catalogue's ``driver`` column, :data:`DRIVERS`):

=====  ===========================  ==========  =================================================
#      model                        module      function
=====  ===========================  ==========  =================================================
1      customer solutions           customer    :func:`customer_solutions` (J-curve, payback)
3      multi-component system       customer    :func:`multi_component` (component P&L, ROS, ROA)
10     installed base               customer    :func:`installed_base` (razor and blades)
18     after-sale                   customer    :func:`after_sale` (service attach rate)
2      product pyramid              product     :func:`product_pyramid` (firewall)
6      blockbuster                  product     :func:`blockbuster_portfolio` (Monte Carlo)
7      profit multiplier            product     :func:`profit_multiplier` (Π = Σ(p−c)q − F)
12     brand                        product     :func:`brand_premium` (price premium)
13     specialty product            product     :func:`specialty_product` (decay, pipeline)
8      entrepreneurial              scale       :func:`entrepreneurial` (overhead, leverage)
9      specialization               scale       :func:`specialization` (margin premium)
15     transaction scale            scale       :func:`transaction_scale` (f·S − (F + v·S))
20     relative market share        scale       :func:`relative_market_share` (relative cost)
21     experience curve             scale       :func:`experience_curve`;
                                    experience  :func:`fit_experience_curve` (statsmodels OLS)
22     low-cost business design     scale       :func:`low_cost_design` (doublings to catch up)
23     digital profit (2002)        scale       :func:`digital_profit`
5      time / speed                 time        :func:`time_advantage` (value of a lead)
17     cyclical                     time        :func:`cyclical` (break-even utilisation, DOL)
19     new product                  time        :func:`new_product` (Bass × falling margin)
4      switchboard                  position    :func:`switchboard` (tipping share)
11     de facto standard            position    :func:`standard_adoption` (Pólya urn)
14     local leadership             position    :func:`local_leadership` (density economies)
16     value-chain position         position    :func:`value_chain_profit_pool` (profit pool)
=====  ===========================  ==========  =================================================

Each takes named parameters (or a tidy DataFrame ``data`` and column names), with defaults that
give an illustrative case, and returns a :class:`ModelResult` with ``to_frame()`` (a tidy table),
``summary()`` (the headline figures, one row each, also attributes of the result) and
``plot(ax=None)`` (returns the matplotlib Axes). :func:`lifetime_margin` adds up one unit's
hardware, consumables and service margins.

A firm's own figures (segment P&L, unit-cost history, market share, capacity, installed base),
as a YAML file, are read and validated by :func:`read_firm_figures` (schema :class:`FirmFile`);
:meth:`FirmFigures.models` runs the matching models (the input of the ``profit_model_report``
report template).

The sample data of the lessons (a bookstore's component P&L, a printer maker's installed base,
a chemical plant's cycles, a film slate, photovoltaic module prices) are made by
:mod:`customer_value.datasets`. The illustrative defaults are teaching numbers, not facts about
the firms named in the catalogue.
"""

from ._base import ModelResult
from .catalogue import DRIVERS, ProfitModel, UnknownProfitModel, catalogue, catalogue_text, get
from .customer import (
    after_sale,
    customer_solutions,
    installed_base,
    lifetime_margin,
    multi_component,
)
from .experience import ExperienceCurveFit, fit_experience_curve
from .firm import FIRM_SECTIONS, FirmFigures, read_firm_figures
from .firm_schema import FirmFile
from .position import (
    local_leadership,
    standard_adoption,
    standard_choice_probability,
    switchboard,
    value_chain_profit_pool,
)
from .product import (
    blockbuster_portfolio,
    brand_premium,
    product_pyramid,
    profit_multiplier,
    specialty_product,
)
from .scale import (
    digital_profit,
    entrepreneurial,
    experience_curve,
    low_cost_design,
    relative_market_share,
    specialization,
    transaction_scale,
)
from .time import bass_cumulative, cyclical, new_product, time_advantage

__all__ = [
    # catalogue
    "DRIVERS",
    "ProfitModel",
    "UnknownProfitModel",
    "catalogue",
    "catalogue_text",
    "get",
    # the 22 (+1) computable models, by driver
    "customer_solutions",
    "multi_component",
    "installed_base",
    "after_sale",
    "lifetime_margin",
    "product_pyramid",
    "blockbuster_portfolio",
    "profit_multiplier",
    "brand_premium",
    "specialty_product",
    "entrepreneurial",
    "specialization",
    "transaction_scale",
    "relative_market_share",
    "experience_curve",
    "fit_experience_curve",
    "low_cost_design",
    "digital_profit",
    "time_advantage",
    "cyclical",
    "new_product",
    "bass_cumulative",
    "switchboard",
    "standard_adoption",
    "standard_choice_probability",
    "local_leadership",
    "value_chain_profit_pool",
    # results
    "ModelResult",
    "ExperienceCurveFit",
    # a firm's own figures (the profit-model report's input)
    "FIRM_SECTIONS",
    "FirmFigures",
    "FirmFile",
    "read_firm_figures",
]
