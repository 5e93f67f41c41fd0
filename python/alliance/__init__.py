"""Therapeutic-alliance measurement, from the Rust crate ``alliance``.

Score alliance questionnaires (WAI-SR, HAq-II, ARM-5, a four-item session scale and the
crate's own check-in), follow the alliance across sessions (OLS, Mann-Kendall, Sen's slope,
reliable change, ruptures and repairs, sudden drops, a streaming monitor with alerts), and
tell how far raters agree (six ICC forms, Cohen's / Fleiss' kappa, Gwet's AC1/AC2,
Brennan-Prediger, Krippendorff's alpha, Lin's CCC, Bland-Altman, Pearson, Spearman) and how
consistent a scale is (Cronbach's alpha, item analysis).

Every function takes numpy arrays, pandas objects or lists, and returns a small frozen
result object (attributes, ``to_dict()``) or a DataFrame. A quantity that is undefined on
the data (zero variance, one category used, too few points) is ``None`` (NaN in a
DataFrame) and its reason is in ``reasons`` (and ``reason`` for the headline coefficient),
never a silent number. Invalid input raises :class:`AllianceError` with the crate's stable
``code``. The numbers are the crate's: the binding converts, calls and converts back.

Example:
    >>> import alliance
    >>> r = alliance.pearson([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 5.0, 9.0])
    >>> round(r.coefficient, 4), r.n
    (0.9648, 4)
    >>> alliance.icc_wide([[4.0, 4.0], [4.0, 4.0], [4.0, 4.0]]).loc[0, "reason"]
    'constant_values'
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Union

import numpy as np

from . import _alliance
from ._alliance import (
    BlandAltman,
    CohenKappa,
    Concordance,
    Correlation,
    CronbachAlpha,
    HamedRao,
    Icc,
    ItemAnalysis,
    ItemStatistics,
    Krippendorff,
    MannKendall,
    Monitor,
    MultiRaterAgreement,
    OlsTrend,
    ReliableChange,
    Rupture,
    Ruptures,
    SenSlope,
    SuddenDrop,
    SuddenDrops,
)
from ._convert import long_to_wide, matrix, optional_vector, vector
from ._errors import AllianceError, InputError

__version__ = _alliance.__version__

__all__ = [
    "AllianceError",
    "InputError",
    "BlandAltman",
    "CohenKappa",
    "Concordance",
    "Correlation",
    "CronbachAlpha",
    "HamedRao",
    "Icc",
    "ItemAnalysis",
    "ItemStatistics",
    "Krippendorff",
    "MannKendall",
    "Monitor",
    "MultiRaterAgreement",
    "OlsTrend",
    "ReliableChange",
    "Rupture",
    "Ruptures",
    "SenSlope",
    "SuddenDrop",
    "SuddenDrops",
    "bland_altman",
    "brennan_prediger",
    "ccc",
    "cohen_kappa",
    "cohen_kappa_table",
    "concordance",
    "cronbach_alpha",
    "fleiss_kappa",
    "gwet_ac",
    "icc",
    "icc_table",
    "icc_wide",
    "instruments",
    "item_analysis",
    "krippendorff_alpha",
    "mann_kendall",
    "mann_kendall_hamed_rao",
    "mann_kendall_sen_batch",
    "ols_trend",
    "pearson",
    "reliable_change",
    "ruptures",
    "sample_caseload",
    "score",
    "sen_slope",
    "spearman",
    "sudden_drops",
]

ArrayLike = Any
Weights = Union[str, ArrayLike]

# ---------------------------------------------------------------------------------------
# ICC
# ---------------------------------------------------------------------------------------

#: The columns of the ICC table, pingouin's first (``Type`` ... ``CI95``), then the crate's.
ICC_COLUMNS = [
    "Type", "ICC", "F", "df1", "df2", "pval", "CI95",
    "name", "shrout_fleiss", "form", "unit", "ci_lower", "ci_upper", "level", "ci_method",
    "p_method", "n", "dropped", "raters", "missing", "ms_rows", "ms_columns", "ms_error",
    "ms_within", "reason", "reference",
]


def _icc_frame(forms: List[Icc]):
    import pandas as pd

    rows = []
    for i in forms:
        ci = i.ci
        rows.append({
            "Type": i.label,
            "ICC": np.nan if i.coefficient is None else i.coefficient,
            "F": np.nan if i.f is None else i.f,
            "df1": i.df1,
            "df2": i.df2,
            "pval": np.nan if i.p is None else i.p,
            "CI95": None if ci is None else np.array(ci),
            "name": i.name,
            "shrout_fleiss": i.shrout_fleiss,
            "form": i.form,
            "unit": i.unit,
            "ci_lower": np.nan if ci is None else ci[0],
            "ci_upper": np.nan if ci is None else ci[1],
            "level": i.level,
            "ci_method": i.ci_method,
            "p_method": i.p_method,
            "n": i.n,
            "dropped": i.dropped,
            "raters": i.raters,
            "missing": i.missing,
            "ms_rows": i.ms_rows,
            "ms_columns": i.ms_columns,
            "ms_error": i.ms_error,
            "ms_within": i.ms_within,
            "reason": i.reason,
            "reference": i.reference,
        })
    return pd.DataFrame(rows, columns=ICC_COLUMNS)


def icc_table(data: ArrayLike, confidence: float = 0.95) -> List[Icc]:
    """All six ICC forms of a targets x raters matrix, as :class:`Icc` objects.

    Rows are targets (sessions, clients), columns raters; NaN marks a missing rating and its
    target is dropped (listwise; ``n`` and ``dropped`` say how many). Order: ICC(1,1),
    ICC(A,1), ICC(C,1), ICC(1,k), ICC(A,k), ICC(C,k) (Shrout & Fleiss 1979; McGraw & Wong
    1996), matching R ``psych::ICC`` and ``pingouin.intraclass_corr``.

    Example:
        >>> forms = alliance.icc_table([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
        ...                             [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
        >>> [round(f.coefficient, 2) for f in forms]  # Shrout & Fleiss (1979), Table 4
        [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    """
    return _alliance.icc_table(matrix(data, "ratings"), confidence)


def icc_wide(data: ArrayLike, confidence: float = 0.95):
    """All six ICC forms of a targets x raters matrix (array or DataFrame), as a DataFrame.

    Columns: ``Type`` (pingouin's label: ICC(1,1), ICC(A,1), ICC(C,1), ICC(1,k), ICC(A,k),
    ICC(C,k)), ``ICC``, ``F``, ``df1``, ``df2``, ``pval``, ``CI95`` (an array
    ``[lower, upper]``, unrounded) as in pingouin; then ``name`` (McGraw-Wong),
    ``shrout_fleiss``, ``form``, ``unit``, ``ci_lower``, ``ci_upper``, ``level``,
    ``ci_method``, ``p_method``, ``n`` (targets used), ``dropped`` (targets with a missing
    rating), ``raters``, ``missing``, the mean squares ``ms_rows``, ``ms_columns``,
    ``ms_error``, ``ms_within``, ``reason`` (why the ICC is undefined, else None) and
    ``reference``. An undefined value is NaN, with its reason.

    Example:
        >>> t = alliance.icc_wide([[5.0, 4.0], [4.5, 4.0], [3.0, 3.5], [2.0, 2.5]])
        >>> t.loc[1, "Type"], round(float(t.loc[1, "ICC"]), 4)
        ('ICC(A,1)', 0.8073)
    """
    return _icc_frame(icc_table(data, confidence))


def icc(data, targets: Any, raters: Any, ratings: Any, confidence: float = 0.95):
    """All six ICC forms from long data (one row per rating), like
    ``pingouin.intraclass_corr(data, targets, raters, ratings)``.

    ``targets`` and ``raters`` name columns of labels (any dtype, categorical included);
    ``ratings`` a numeric column. A target without a rating from every rater is dropped
    (listwise; see ``n`` and ``dropped``); a target rated twice by one rater is an
    :class:`InputError` (``input_duplicate``). Returns the DataFrame of :func:`icc_wide`.

    Example:
        >>> import pandas as pd
        >>> long = pd.DataFrame({
        ...     "session": [1, 1, 2, 2, 3, 3, 4, 4],
        ...     "rater": ["client", "therapist"] * 4,
        ...     "score": [5.0, 4.0, 4.5, 4.0, 3.0, 3.5, 2.0, 2.5]})
        >>> t = alliance.icc(long, targets="session", raters="rater", ratings="score")
        >>> list(t["Type"])
        ['ICC(1,1)', 'ICC(A,1)', 'ICC(C,1)', 'ICC(1,k)', 'ICC(A,k)', 'ICC(C,k)']
        >>> int(t.loc[0, "n"])
        4
    """
    wide, _, _ = long_to_wide(data, targets, raters, ratings)
    return _icc_frame(_alliance.icc_table(wide, confidence))


# ---------------------------------------------------------------------------------------
# Categorical agreement
# ---------------------------------------------------------------------------------------


def _weights(weights: Weights):
    if isinstance(weights, str):
        return weights, None
    return "custom", matrix(weights, "weights")


def _categories(categories: Optional[Sequence[float]]) -> Optional[List[float]]:
    return None if categories is None else [float(c) for c in vector(categories, "categories")]


def cohen_kappa(
    first: ArrayLike,
    second: ArrayLike,
    categories: Optional[Sequence[float]] = None,
    weights: Weights = "unweighted",
    weights_kind: str = "agreement",
    confidence: float = 0.95,
) -> CohenKappa:
    """Cohen's kappa of two raters' category codes, unweighted or weighted.

    ``categories`` declares the full category set (ascending); categories nobody used still
    change weighted kappa, so declare them (default: the distinct codes observed).
    ``weights``: ``"unweighted"``, ``"linear"``, ``"quadratic"`` (over the category
    values) or a square matrix of agreement weights (``weights_kind="disagreement"`` for
    Cohen's 1968 disagreement weights). A pair with a NaN is dropped (``dropped``). The SE
    follows Fleiss, Cohen & Everitt (1969), as statsmodels and irrCAC.

    Example:
        >>> k = alliance.cohen_kappa([5, 4, 4, 3, 5], [5, 4, 3, 3, 4],
        ...                          categories=[1, 2, 3, 4, 5], weights="quadratic")
        >>> round(k.coefficient, 4), k.n
        (0.6875, 5)
    """
    name, m = _weights(weights)
    return _alliance.cohen_kappa(
        vector(first, "first"), vector(second, "second"), _categories(categories),
        name, m, weights_kind, confidence,
    )


def cohen_kappa_table(
    table: ArrayLike,
    categories: Optional[Sequence[float]] = None,
    weights: Weights = "unweighted",
    weights_kind: str = "agreement",
    confidence: float = 0.95,
) -> CohenKappa:
    """Cohen's kappa from a c x c table of counts (rows: first rater, columns: second),
    over ``categories`` (default 1..c). Identical to :func:`cohen_kappa` on the ratings the
    table counts.

    Example:
        >>> k = alliance.cohen_kappa_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
        >>> round(k.coefficient, 4), round(k.se, 4)  # SAS PROC FREQ's example
        (0.4842, 0.138)
    """
    counts = np.asarray(table)
    whole = counts.dtype.kind in "iu" or (
        counts.dtype.kind == "f" and bool(np.all(np.mod(counts, 1) == 0))
    )
    if counts.ndim != 2 or not whole or bool(np.any(counts < 0)):
        raise InputError(
            "table must be a table of whole, non-negative counts (rows x columns)", "input_shape"
        )
    name, m = _weights(weights)
    return _alliance.cohen_kappa_table(
        counts.astype(np.uint64).tolist(), _categories(categories), name, m, weights_kind,
        confidence,
    )


def _multi(data, method, categories, weights, weights_kind, confidence):
    name, m = _weights(weights)
    return _alliance.multi_rater(
        matrix(data, "ratings"), method, _categories(categories), name, m, weights_kind,
        confidence,
    )


def fleiss_kappa(
    data: ArrayLike,
    categories: Optional[Sequence[float]] = None,
    weights: Weights = "unweighted",
    weights_kind: str = "agreement",
    confidence: float = 0.95,
) -> MultiRaterAgreement:
    """Fleiss' kappa of a subjects x raters matrix of category codes (NaN = missing; each
    subject contributes the ratings it has, after Gwet 2014, as irrCAC).

    Example:
        >>> k = alliance.fleiss_kappa([[1, 1, 1], [2, 2, 2], [1, 2, 2], [3, 3, 3]])
        >>> round(k.coefficient, 4), k.raters
        (0.7447, 3)
    """
    return _multi(data, "fleiss", categories, weights, weights_kind, confidence)


def gwet_ac(
    data: ArrayLike,
    categories: Optional[Sequence[float]] = None,
    weights: Weights = "unweighted",
    weights_kind: str = "agreement",
    confidence: float = 0.95,
) -> MultiRaterAgreement:
    """Gwet's AC1 (unweighted) or AC2 (weighted) of a subjects x raters matrix, robust to
    the prevalence paradox of ceiling-bound alliance items (irrCAC is the reference).

    Example:
        >>> ac = alliance.gwet_ac([[5, 5], [5, 5], [5, 5], [5, 4], [4, 4]])
        >>> round(ac.coefficient, 4)
        0.6552
    """
    return _multi(data, "gwet", categories, weights, weights_kind, confidence)


def brennan_prediger(
    data: ArrayLike,
    categories: Optional[Sequence[float]] = None,
    weights: Weights = "unweighted",
    weights_kind: str = "agreement",
    confidence: float = 0.95,
) -> MultiRaterAgreement:
    """Brennan-Prediger's coefficient (chance agreement 1/q) of a subjects x raters matrix.

    Example:
        >>> bp = alliance.brennan_prediger([[1, 1], [2, 2], [1, 2]], categories=[1, 2])
        >>> round(bp.coefficient, 4)
        0.3333
    """
    return _multi(data, "brennan_prediger", categories, weights, weights_kind, confidence)


def krippendorff_alpha(
    reliability_data: ArrayLike,
    level_of_measurement: str = "interval",
    orientation: str = "coders_by_units",
    bootstrap: Optional[int] = None,
    seed: int = 0,
    confidence: float = 0.95,
) -> Krippendorff:
    """Krippendorff's alpha (Krippendorff 2011) with a metric ``"nominal"``, ``"ordinal"``,
    ``"interval"`` or ``"ratio"``.

    ``reliability_data`` is coders x units, as the ``krippendorff`` package takes it
    (``orientation="units_by_coders"`` for the transpose); NaN is a missing value. With
    ``bootstrap`` replicates (and ``seed``) the result carries a percentile interval.

    Example:
        >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        ...         [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan]]
        >>> round(alliance.krippendorff_alpha(data, "nominal").coefficient, 3)
        0.743
    """
    m = matrix(reliability_data, "reliability_data")
    if orientation == "coders_by_units":
        m = np.ascontiguousarray(m.T)
    elif orientation != "units_by_coders":
        raise InputError(
            f"orientation is {orientation!r}, not 'coders_by_units' or 'units_by_coders'",
            "input_option",
        )
    return _alliance.krippendorff_alpha(m, level_of_measurement, bootstrap, seed, confidence)


# ---------------------------------------------------------------------------------------
# Continuous agreement and correlation
# ---------------------------------------------------------------------------------------


def concordance(first: ArrayLike, second: ArrayLike, confidence: float = 0.95) -> Concordance:
    """Lin's concordance correlation coefficient (Lin 1989, 2000) of two raters, with its
    Fisher-z and asymptotic intervals (``DescTools::CCC``). A pair with a NaN is dropped.

    Example:
        >>> c = alliance.concordance([5.0, 6.0, 4.5, 6.5, 5.5], [4.5, 5.0, 4.0, 6.0, 5.5])
        >>> round(c.coefficient, 4), round(c.pearson_r, 4)
        (0.72, 0.9)
    """
    return _alliance.concordance(vector(first, "first"), vector(second, "second"), confidence)


#: Lin's CCC under its usual short name.
ccc = concordance


def bland_altman(
    first: ArrayLike, second: ArrayLike, multiplier: float = 1.96, confidence: float = 0.95
) -> BlandAltman:
    """Bland-Altman limits of agreement of ``first - second`` (Bland & Altman 1986, 1999):
    bias, SD (n - 1), limits bias +/- multiplier x SD, and t intervals of the bias and of
    each limit. A pair with a NaN is dropped.

    Example:
        >>> ba = alliance.bland_altman([7, 5, 5, 5], [7, 1, 3, 8])
        >>> ba.bias, round(ba.sd, 4)
        (0.75, 2.9861)
    """
    return _alliance.bland_altman(
        vector(first, "first"), vector(second, "second"), multiplier, confidence
    )


def pearson(first: ArrayLike, second: ArrayLike, confidence: float = 0.95) -> Correlation:
    """Pearson's r with a two-sided t test and a Fisher-z interval (pairs with a NaN
    dropped).

    Example:
        >>> r = alliance.pearson([7, 5, 5, 5], [7, 1, 3, 8])
        >>> round(r.coefficient, 6), round(r.p, 6)
        (0.45399, 0.54601)
    """
    return _alliance.correlation(
        vector(first, "first"), vector(second, "second"), "pearson", confidence
    )


def spearman(first: ArrayLike, second: ArrayLike, confidence: float = 0.95) -> Correlation:
    """Spearman's rho (average ranks for ties) with the t-approximation p (as scipy), and
    the exact p for n <= 9 without ties (as R's ``cor.test``) in ``p_exact``.

    Example:
        >>> rho = alliance.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
        >>> rho.coefficient, round(rho.p_exact, 4)
        (0.8, 0.1333)
    """
    return _alliance.correlation(
        vector(first, "first"), vector(second, "second"), "spearman", confidence
    )


# ---------------------------------------------------------------------------------------
# Reliability
# ---------------------------------------------------------------------------------------


def cronbach_alpha(
    data: ArrayLike,
    missing: str = "listwise",
    feldt_n: str = "smallest_pairwise",
    confidence: float = 0.95,
) -> CronbachAlpha:
    """Cronbach's alpha (raw and standardized) of a respondents x items matrix with Feldt's
    interval. ``missing="listwise"`` drops a respondent with a NaN; ``"pairwise"`` uses
    each covariance's complete pairs (``feldt_n`` chooses the interval's n:
    ``"smallest_pairwise"`` or ``"all_respondents"``). Every item is kept, a constant one
    included (psych drops it silently).

    Example:
        >>> a = alliance.cronbach_alpha([[3, 4, 4], [2, 3, 3], [4, 4, 5], [1, 2, 2], [3, 3, 4]])
        >>> round(a.coefficient, 4), a.n, a.items
        (0.9677, 5, 3)
    """
    return _alliance.cronbach_alpha(matrix(data, "items"), missing, feldt_n, confidence)


def item_analysis(data: ArrayLike, confidence: float = 0.95) -> ItemAnalysis:
    """Cronbach's alpha and, per item, mean, SD, alpha if deleted and the corrected
    item-total correlation (listwise). ``pd.DataFrame([i.to_dict() for i in r.items])``
    gives the item table.

    Example:
        >>> r = alliance.item_analysis([[3, 4, 4], [2, 3, 3], [4, 4, 5], [1, 2, 2], [3, 3, 4]])
        >>> [round(i.alpha_if_deleted, 4) for i in r.items]
        [0.9189, 1.0, 0.9189]
    """
    return _alliance.item_analysis(matrix(data, "items"), confidence)


# ---------------------------------------------------------------------------------------
# Trends
# ---------------------------------------------------------------------------------------


def ols_trend(values: ArrayLike, times: Optional[ArrayLike] = None, confidence: float = 0.95) -> OlsTrend:
    """OLS trend of scores on session times (default 1, 2, 3, ...): slope, intercept, SEs,
    t, p on n - 2 df, R squared, residual SD. NaN is refused: drop missing sessions and
    pass the times of the rest.

    Example:
        >>> t = alliance.ols_trend([3.0, 3.5, 3.4, 4.1, 4.4])
        >>> round(t.slope, 2), t.df
        (0.34, 3.0)
    """
    return _alliance.ols_trend(vector(values), optional_vector(times, "times"), confidence)


def mann_kendall(values: ArrayLike, times: Optional[ArrayLike] = None) -> MannKendall:
    """The Mann-Kendall test: S, tie-corrected Var(S), z, p (exact for short series without
    ties, else normal), tau-a, tau-b. ``times`` only orders the values (they must
    increase). For the autocorrelation-corrected test see :func:`mann_kendall_hamed_rao`.

    Example:
        >>> m = alliance.mann_kendall([3.0, 3.5, 3.4, 4.1, 4.4])
        >>> m.s, m.p_method, round(m.p, 4)
        (8, 'exact', 0.0833)
    """
    return _alliance.mann_kendall(vector(values), optional_vector(times, "times"))


def mann_kendall_hamed_rao(
    values: ArrayLike,
    times: Optional[ArrayLike] = None,
    lags: Optional[int] = None,
    confidence: float = 0.95,
) -> HamedRao:
    """Mann-Kendall with Hamed & Rao's (1998) variance correction for autocorrelation
    (pymannkendall's ``hamed_rao_modification_test``); ``lags`` limits the lags examined.

    Example:
        >>> h = alliance.mann_kendall_hamed_rao([3.0, 3.5, 3.4, 4.1, 4.4, 4.2, 4.8, 5.0])
        >>> h.s, h.lags
        (24, 7)
    """
    return _alliance.mann_kendall_hamed_rao(
        vector(values), optional_vector(times, "times"), lags, confidence
    )


def sen_slope(
    values: ArrayLike,
    times: Optional[ArrayLike] = None,
    confidence: float = 0.95,
    intercept: str = "conover",
    ci_method: str = "ranked",
) -> SenSlope:
    """Sen's slope (median pairwise slope on the real times) with its interval:
    ``ci_method="ranked"`` (scipy ``theilslopes``, R ``trend::sens.slope``) or
    ``"interpolated"`` (Gilbert 1987). Where a bound's rank falls outside the slopes
    (n <= 4 at 95%) ``ci`` is None with reason ``rank_out_of_range``. ``intercept``:
    ``"conover"`` (median(y) - slope x median(t)) or ``"joint_median"``.

    Example:
        >>> s = alliance.sen_slope([3.0, 3.5, 3.4, 4.1])
        >>> round(s.slope, 4), s.ci, s.reasons
        (0.3333, None, {'ci': 'rank_out_of_range'})
    """
    return _alliance.sen_slope(
        vector(values), optional_vector(times, "times"), confidence, intercept, ci_method
    )


def mann_kendall_sen_batch(
    data: ArrayLike,
    times: Optional[ArrayLike] = None,
    confidence: float = 0.95,
    intercept: str = "conover",
    ci_method: str = "ranked",
    threads: Optional[int] = None,
):
    """Mann-Kendall and Sen's slope of every row of a series x sessions matrix (one
    series per row, shared ``times``), on every core (or ``threads``), as a DataFrame with
    columns ``s``, ``var_s``, ``z``, ``p``, ``tau_b``, ``slope``, ``intercept``,
    ``ci_lower``, ``ci_upper``, ``n`` and ``error`` (the crate's code for a row it refused,
    e.g. ``non_finite``; its statistics are NaN). A DataFrame's index is kept.

    Example:
        >>> b = alliance.mann_kendall_sen_batch([[1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 4.0, 3.0, 2.0, 1.0]])
        >>> list(b["s"]), list(b["slope"])
        ([10.0, -10.0], [1.0, -1.0])
    """
    import pandas as pd

    m = matrix(data, "data")
    cols = _alliance.mann_kendall_sen_batch(
        m, optional_vector(times, "times"), confidence, intercept, ci_method, threads
    )
    index = data.index if isinstance(data, pd.DataFrame) else None
    return pd.DataFrame(cols, index=index)


def reliable_change(
    x1: float,
    x2: float,
    sd: float,
    reliability: float,
    sd_source: str = "norm",
    reliability_kind: str = "test_retest",
    critical: Union[str, float] = "level",
    confidence: float = 0.95,
    polarity: str = "higher_is_better",
    cutoff: Optional[float] = None,
) -> ReliableChange:
    """Jacobson & Truax (1991) reliable change from ``x1`` to ``x2``: SE = SD sqrt(1 - r),
    S_diff = sqrt(2) SE, RCI = (x2 - x1) / S_diff. ``critical``: ``"level"`` (the normal
    quantile at ``confidence``), ``"jacobson_truax"`` (1.96) or a number (a z). With a
    clinical ``cutoff`` the result has a clinical-significance ``category``.

    Example:
        >>> rc = alliance.reliable_change(3.1, 4.2, sd=0.7, reliability=0.85)
        >>> round(rc.rci, 3), rc.reliable, rc.direction
        (2.869, True, 'improvement')
    """
    if isinstance(critical, str):
        name, z = critical, None
    else:
        name, z = "z", float(critical)
    return _alliance.reliable_change(
        float(x1), float(x2), float(sd), float(reliability), sd_source, reliability_kind,
        name, z, confidence, polarity, None if cutoff is None else float(cutoff),
    )


def ruptures(
    values: ArrayLike,
    reference_sd: float,
    times: Optional[ArrayLike] = None,
    lenient: float = 1.0,
    strict: float = 2.0,
    repair_window: int = 3,
    repair_fraction: float = 0.5,
    min_history: int = 3,
    reference: str = "preceding",
) -> Ruptures:
    """Ruptures and repairs: a session ``lenient`` (1) or ``strict`` (2) SDs below the
    mean of the earlier sessions (Strauss et al. 2006; Stiles et al. 2004), the client's SD
    floored by ``reference_sd``; a later session back to mean - ``repair_fraction`` SD
    within ``repair_window`` sessions repairs it.

    Example:
        >>> r = alliance.ruptures([30, 31, 30, 31, 24, 30, 31], reference_sd=1.0)
        >>> [(x.index, x.level, x.repair) for x in r.ruptures]
        [(4, 'strict', 'repaired')]
    """
    return _alliance.ruptures(
        vector(values), float(reference_sd), optional_vector(times, "times"), lenient,
        strict, repair_window, repair_fraction, min_history, reference,
    )


def sudden_drops(
    values: ArrayLike,
    min_drop: float,
    times: Optional[ArrayLike] = None,
    min_ratio: float = 0.25,
    scale_min: float = 0.0,
    end: str = "wait",
) -> SuddenDrops:
    """Sudden drops: Tang & DeRubeis's (1999) sudden-gain criteria turned towards a fall
    (a drop of at least ``min_drop``, at least ``min_ratio`` of the score above
    ``scale_min``, and a mean shift beyond the critical t times the pooled SD).

    Example:
        >>> d = alliance.sudden_drops([34, 35, 34, 35, 26, 27, 26, 27], min_drop=5)
        >>> [(x.before, x.drop) for x in d.drops]
        [(3, 9.0)]
    """
    return _alliance.sudden_drops(
        vector(values), float(min_drop), optional_vector(times, "times"), min_ratio,
        scale_min, end,
    )


# ---------------------------------------------------------------------------------------
# Scoring, the catalog and the sample
# ---------------------------------------------------------------------------------------


def score(
    data: ArrayLike,
    instrument: str = "WAI-SR",
    items: Optional[Sequence[Any]] = None,
    profile: bool = True,
    errors: str = "raise",
):
    """Score questionnaire answers by catalog id: one row per response, one column per item
    in item order (NaN = missing), returning a DataFrame with the input's index.

    ``items`` names the item columns in order (default: every column). Columns: ``total``
    (in the instrument's metric: item mean or sum, prorated under its missing-data rule),
    ``total_pomp`` (0-100), one column per native subscale (e.g. ``Task``, ``Bond``,
    ``Goal``), ``<element>_pomp`` for each alliance element the instrument covers
    (``rapport``, ``goals``, ``expectations``, ``responsibility``), ``answered``,
    ``prorated``, and ``flag_<label>`` per published cutoff. ``profile=False`` gives only
    ``total``, the subscales, ``answered`` and ``prorated``, through the crate's batch scorer
    (with ``errors="coerce"``, response by response, with the same numbers).
    ``errors="raise"`` raises on the first response the crate refuses (an answer off the
    scale, too many missing), naming its position; ``"coerce"`` gives it NaN scores and its
    code in an ``error`` column.

    Example:
        >>> import pandas as pd
        >>> answers = pd.DataFrame([[4, 4, 5, 4, np.nan, 3, 5, 4, 4, 3, 4, 4]],
        ...                        columns=[f"q{i}" for i in range(1, 13)])
        >>> s = alliance.score(answers, "WAI-SR")
        >>> float(s.loc[0, "total"]), float(s.loc[0, "Task"]), bool(s.loc[0, "prorated"])
        (4.0, 3.75, True)
    """
    import pandas as pd

    frame = data if isinstance(data, pd.DataFrame) else None
    if frame is None and items is not None:
        raise InputError("items names columns of a DataFrame; data is not one", "input_shape")
    if frame is not None and items is not None:
        missing = [c for c in items if c not in frame.columns]
        if missing:
            raise InputError(
                f"item columns {missing} are not in the data; the columns are "
                f"{list(frame.columns)}",
                "input_column",
            )
        frame = frame[list(items)]
    m = matrix(frame if frame is not None else data, "answers")
    names, cols = _alliance.score_matrix(m, instrument, profile, errors)
    index = data.index if isinstance(data, pd.DataFrame) else None
    return pd.DataFrame({n: cols[n] for n in names}, index=index, columns=names)


def instruments() -> List[dict]:
    """The built-in instruments (only scoring keys, no item wording of published
    instruments), one dict each: ``id``, ``name``, ``items``, the scale, ``scoring``,
    ``subscales`` (name -> item numbers), ``reversed``, ``missing_rule``, ``cutoffs``,
    ``validated``, ``source``, ``licence``.

    Example:
        >>> [i["id"] for i in alliance.instruments()]
        ['WAI-SR', 'HAq-II', 'ARM-5', 'VAS-4', 'ALLIANCE-4E']
    """
    return _alliance.instruments()


def sample_caseload():
    """The crate's bundled synthetic caseload in long form, one row per answer: columns
    ``client``, ``therapist``, ``session``, ``date``, ``rater``, ``instrument``, ``item``
    and ``answer`` (NaN where missing). Three dyads of 8 to 12 sessions; each session has
    the client's VAS-4 and WAI-SR and the client's and therapist's HAq-II. No real
    patient's data.

    Example:
        >>> cl = alliance.sample_caseload()
        >>> sorted(cl["client"].unique()), int(cl["answer"].isna().sum())
        (['C01', 'C02', 'C03'], 3)
    """
    import pandas as pd

    return pd.DataFrame(_alliance.sample_caseload())
