"""Client-ready reports: parameterised notebooks in ``notebooks/reports/`` run on a user's data.

:func:`run` (``reports.runner``) executes a template with papermill and renders it to HTML without code (nbconvert
``exclude_input``), next to the executed notebook. Unlike papermill itself, an unknown parameter
name is an error that lists the valid ones, values are converted to the type of the template's
default, and path parameters (those whose comment in the template starts with ``path``) are
resolved against the caller's directory. Outputs appear only when the whole run succeeded.

The other modules hold the helpers that the templates share, so that every report
formats, parses and draws the same way:

* formatters for report text and tables: :func:`num`, :func:`money`, :func:`pct`, :func:`share`,
  :func:`p_text`, :func:`with_ci` (missing and non-finite values print as ``n/a``);
* parameter parsers that raise :class:`~customer_value.io.InputError` naming the parameter:
  :func:`parse_numbers`, :func:`parse_shares`, :func:`parse_rates`, :func:`parse_date`;
* :class:`Charts`, which draws a report's figures with a Chinese-capable font when one is
  installed (:data:`CJK_FONTS`) and otherwise shows one note (:data:`FONT_NOTE`) instead of
  printing font warnings.

>>> money(-1234.6, currency="¥"), pct(0.1234), share(1, 3), p_text(0.0004)
('−¥1,235', '12.3%', '33.3%', '< 0.001')
>>> parse_shares("20/30/30/20") == parse_shares("0.2，0.3，0.3，0.2") == (0.2, 0.3, 0.3, 0.2)
True
"""

from .charts import CJK_FONTS, FONT_NOTE, Charts
from .params import parse_date, parse_numbers, parse_rates, parse_shares
from .runner import available, parameters, run, template, title
from .text import MINUS, code, escape, money, num, p_text, pct, share, with_ci

__all__ = [
    "CJK_FONTS",
    "FONT_NOTE",
    "MINUS",
    "Charts",
    "available",
    "code",
    "escape",
    "money",
    "num",
    "p_text",
    "parameters",
    "parse_date",
    "parse_numbers",
    "parse_rates",
    "parse_shares",
    "pct",
    "run",
    "share",
    "template",
    "title",
    "with_ci",
]
