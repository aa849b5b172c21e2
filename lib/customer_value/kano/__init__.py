"""Kano analysis of customer requirements (Kano 需求模型).

Each feature of a product or service is asked about twice: the *functional* question (how do you
feel if the feature is present?) and the *dysfunctional* question (... if it is absent?). Both are
answered on the same five-point scale, 1 like, 2 must-be/expect, 3 neutral, 4 live-with/tolerate,
5 dislike. The pair of answers is classified with an evaluation table into one of six categories:

====  ===================  ===========
code  category             中文
====  ===================  ===========
A     attractive           魅力需求
O     one-dimensional      期望需求
M     must-be              必备需求
I     indifferent          无差异需求
R     reverse              反向需求
Q     questionable         可疑结果
====  ===================  ===========

The package follows the analysis:

* :mod:`~customer_value.kano.answers`: the answer scale and its wordings, the evaluation tables
  (:func:`evaluation_table`), :func:`parse_answers`, :func:`classify`, :func:`read_labels`;
* :mod:`~customer_value.kano.responses`: a wide or long survey table validated and parsed into
  :class:`KanoResponses` (:func:`read_responses`);
* :mod:`~customer_value.kano.rules`: statistics from category counts alone
  (:func:`summarize_counts`, :func:`category_by_mode`, :func:`category_by_oam`,
  :func:`fong_test`, :func:`better_worse`), e.g. for a table printed in a paper;
* :mod:`~customer_value.kano.analysis`: :func:`analyze` (and :func:`analyze_file`) →
  :class:`KanoResult`, with bootstrap intervals, continuous scores, importance and the
  respondent-quality tables;
* :mod:`~customer_value.kano.decisions`: segments (:func:`chi_square_by_segment`,
  :func:`compare_segments`) and the feature :func:`roadmap`;
* :mod:`~customer_value.kano.plots`: the charts, also drawn by :meth:`KanoResult.plot`.

Every share in a table is a fraction (0.25, not 25 %).

Sources
-------
* Kano, N., Seraku, N., Takahashi, F. & Tsuji, S. (1984). Attractive quality and must-be
  quality. *Hinshitsu (Quality)* 14(2):39–48.
* Berger, C. et al. (1993). Kano's methods for understanding customer-defined quality. *Center
  for Quality Management Journal* 2(4):3–36; with Timko's Better/Worse coefficients,
  DuMouchel's continuous analysis and Pouliot's modified table (p. 33).
* Sauerwein, E., Bailom, F., Matzler, K. & Hinterhuber, H. H. (1996). The Kano model: how to
  delight your customers. International Working Seminar on Production Economics, Innsbruck.
* Matzler, K. & Hinterhuber, H. H. (1998). How to make product development projects more
  successful by integrating Kano's model of customer satisfaction into quality function
  deployment. *Technovation* 18(1):25–38.
* Fong, D. (1996). Using the self-stated importance questionnaire to interpret Kano
  questionnaire results. *Center for Quality Management Journal* 5(3):21–23.
* Lee, M. C. & Newcomb, J. F. (1997). Applying the Kano methodology to meet customer
  requirements: NASA's microgravity science program. *Quality Management Journal* 4(3):95–106.
* Peter, W. (2022). stp25kano: Kano-Analyse. R package, https://github.com/stp4/stp25kano,
  file R/kano.R (the three-answer short form, ``Kano(type = 3)``).
* Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
* Cochran, W. G. (1954). Some methods for strengthening the common χ² tests. *Biometrics*
  10(4):417–451.

>>> from customer_value import kano
>>> kano.classify(["I like it", "理所当然"], ["I dislike it", "我很不喜欢"]).tolist()
['O', 'M']
"""

from .analysis import BRIEF_COLUMNS, SUMMARY_COLUMNS, KanoResult, analyze, analyze_file
from .answers import (
    ANSWER_NAMES,
    ANSWER_WORDINGS,
    CATEGORIES,
    CATEGORY_NAMES,
    MODE_CATEGORIES,
    TABLES,
    TIE_PRIORITY,
    classify,
    evaluation_table,
    parse_answers,
    read_labels,
)
from .decisions import ACTIONS, chi_square_by_segment, compare_segments, roadmap
from .plots import (
    CATEGORY_COLORS,
    plot_answer_pairs,
    plot_better_worse,
    plot_categories,
    plot_continuous,
)
from .responses import KanoResponses, read_responses
from .rules import better_worse, category_by_mode, category_by_oam, fong_test, summarize_counts

__all__ = [
    "ACTIONS",
    "ANSWER_NAMES",
    "ANSWER_WORDINGS",
    "BRIEF_COLUMNS",
    "CATEGORIES",
    "CATEGORY_COLORS",
    "CATEGORY_NAMES",
    "MODE_CATEGORIES",
    "SUMMARY_COLUMNS",
    "TABLES",
    "TIE_PRIORITY",
    "KanoResponses",
    "KanoResult",
    "analyze",
    "analyze_file",
    "better_worse",
    "category_by_mode",
    "category_by_oam",
    "chi_square_by_segment",
    "classify",
    "compare_segments",
    "evaluation_table",
    "fong_test",
    "parse_answers",
    "plot_answer_pairs",
    "plot_better_worse",
    "plot_categories",
    "plot_continuous",
    "read_labels",
    "read_responses",
    "roadmap",
    "summarize_counts",
]
