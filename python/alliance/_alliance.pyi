"""Type stubs of the extension module ``alliance._alliance`` (PyO3). The public API is
``alliance`` (``__init__.py``, typed inline); these describe the result classes it returns,
the ``Monitor`` class and the raw functions it wraps. Every result class is frozen: its
attributes are read-only. An undefined quantity is ``None`` and ``reasons`` maps its name to
the crate's reason (snake case, e.g. ``"constant_values"``)."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

__version__: str

Array1 = npt.NDArray[np.float64]
Array2 = npt.NDArray[np.float64]

class Icc:
    """One ICC form, as one row of `alliance.icc`'s table."""

    @property
    def label(self) -> str:
        """pingouin's label: `ICC(1,1)`, `ICC(A,1)`, `ICC(C,1)`, `ICC(1,k)`, `ICC(A,k)`, `ICC(C,k)`."""
        ...
    @property
    def name(self) -> str:
        """The McGraw-Wong name, e.g. `ICC(A,1)` (`ICC(1)` for the one-way single form)."""
        ...
    @property
    def shrout_fleiss(self) -> str:
        """The Shrout-Fleiss name, e.g. `ICC(2,1)`."""
        ...
    @property
    def form(self) -> str:
        """`one_way`, `two_way_agreement` or `two_way_consistency`."""
        ...
    @property
    def unit(self) -> str:
        """`single` or `average`."""
        ...
    @property
    def coefficient(self) -> Optional[float]:
        """The coefficient, or `None` (see `reason`)."""
        ...
    @property
    def f(self) -> Optional[float]:
        """F statistic of H0: ICC = 0."""
        ...
    @property
    def df1(self) -> float:
        """Numerator degrees of freedom."""
        ...
    @property
    def df2(self) -> float:
        """Denominator degrees of freedom."""
        ...
    @property
    def p(self) -> Optional[float]:
        """Upper-tail p of the F test."""
        ...
    @property
    def p_method(self) -> str:
        """`f`."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Confidence interval `(lower, upper)`."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """`exact_f` or `satterthwaite_f`."""
        ...
    @property
    def ms_rows(self) -> float:
        """Mean square between targets."""
        ...
    @property
    def ms_columns(self) -> float:
        """Mean square between raters."""
        ...
    @property
    def ms_error(self) -> float:
        """Residual mean square."""
        ...
    @property
    def ms_within(self) -> float:
        """Within-target mean square."""
        ...
    @property
    def n(self) -> int:
        """Targets used (complete)."""
        ...
    @property
    def dropped(self) -> int:
        """Targets dropped for a missing rating."""
        ...
    @property
    def raters(self) -> int:
        """Raters."""
        ...
    @property
    def missing(self) -> str:
        """`listwise`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reason(self) -> Optional[str]:
        """Why the coefficient is undefined, or `None`."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class CohenKappa:
    """Cohen's kappa of two raters (unweighted or weighted)."""

    @property
    def coefficient(self) -> Optional[float]:
        """Kappa, or `None` (see `reason`)."""
        ...
    @property
    def observed_agreement(self) -> float:
        """Observed (weighted) agreement."""
        ...
    @property
    def chance_agreement(self) -> float:
        """Chance (weighted) agreement."""
        ...
    @property
    def se(self) -> Optional[float]:
        """Large-sample standard error (Fleiss, Cohen & Everitt 1969)."""
        ...
    @property
    def se_null(self) -> Optional[float]:
        """Standard error under kappa = 0."""
        ...
    @property
    def z(self) -> Optional[float]:
        """z = kappa / `se_null`."""
        ...
    @property
    def p(self) -> Optional[float]:
        """Two-sided p of z."""
        ...
    @property
    def p_method(self) -> str:
        """`normal`."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Confidence interval `(lower, upper)`."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """`normal`."""
        ...
    @property
    def weighting(self) -> str:
        """`unweighted`, `linear`, `quadratic` or `custom`."""
        ...
    @property
    def categories(self) -> int:
        """Number of declared categories."""
        ...
    @property
    def n(self) -> int:
        """Complete pairs used."""
        ...
    @property
    def dropped(self) -> int:
        """Pairs dropped for a missing rating."""
        ...
    @property
    def missing(self) -> str:
        """`listwise`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reason(self) -> Optional[str]:
        """Why the coefficient is undefined, or `None`."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class MultiRaterAgreement:
    """Fleiss' kappa, Gwet's AC1/AC2 or Brennan-Prediger for two or more raters."""

    @property
    def method(self) -> str:
        """`fleiss`, `gwet` or `brennan_prediger`."""
        ...
    @property
    def coefficient(self) -> Optional[float]:
        """The coefficient, or `None` (see `reason`)."""
        ...
    @property
    def observed_agreement(self) -> Optional[float]:
        """Observed agreement."""
        ...
    @property
    def chance_agreement(self) -> float:
        """Chance agreement."""
        ...
    @property
    def se(self) -> Optional[float]:
        """Standard error (Gwet 2008, 2014)."""
        ...
    @property
    def t(self) -> Optional[float]:
        """t = coefficient / se."""
        ...
    @property
    def p(self) -> Optional[float]:
        """Two-sided p of t on `df`."""
        ...
    @property
    def p_method(self) -> str:
        """`student_t`."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Confidence interval `(lower, upper)`."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """How the interval was computed."""
        ...
    @property
    def df(self) -> float:
        """Degrees of freedom of t."""
        ...
    @property
    def se_null(self) -> Optional[float]:
        """Standard error under no agreement (Fleiss, Nee & Landis), where it exists."""
        ...
    @property
    def z_null(self) -> Optional[float]:
        """z under the null."""
        ...
    @property
    def p_null(self) -> Optional[float]:
        """p under the null."""
        ...
    @property
    def weighting(self) -> str:
        """`unweighted`, `linear`, `quadratic` or `custom`."""
        ...
    @property
    def categories(self) -> int:
        """Number of declared categories."""
        ...
    @property
    def raters(self) -> int:
        """Raters."""
        ...
    @property
    def n(self) -> int:
        """Subjects used."""
        ...
    @property
    def pairable(self) -> int:
        """Subjects with at least two ratings."""
        ...
    @property
    def dropped(self) -> int:
        """Subjects dropped."""
        ...
    @property
    def missing(self) -> str:
        """`available_ratings`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reason(self) -> Optional[str]:
        """Why the coefficient is undefined, or `None`."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class Krippendorff:
    """Krippendorff's alpha."""

    @property
    def coefficient(self) -> Optional[float]:
        """Alpha, or `None` (see `reason`)."""
        ...
    @property
    def observed_disagreement(self) -> Optional[float]:
        """Observed disagreement D_o."""
        ...
    @property
    def expected_disagreement(self) -> Optional[float]:
        """Expected disagreement D_e."""
        ...
    @property
    def metric(self) -> str:
        """`nominal`, `ordinal`, `interval` or `ratio`."""
        ...
    @property
    def n(self) -> int:
        """Units used (pairable)."""
        ...
    @property
    def pairable(self) -> int:
        """Pairable values."""
        ...
    @property
    def dropped(self) -> int:
        """Units dropped (fewer than two values)."""
        ...
    @property
    def missing(self) -> str:
        """`available_ratings`."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Bootstrap interval `(lower, upper)`; `None` unless a bootstrap was asked for."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """`percentile_bootstrap`."""
        ...
    @property
    def undefined_replicates(self) -> int:
        """Bootstrap replicates whose alpha was undefined."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reason(self) -> Optional[str]:
        """Why the coefficient is undefined, or `None`."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class Concordance:
    """Lin's concordance correlation coefficient."""

    @property
    def coefficient(self) -> Optional[float]:
        """The CCC, or `None` (see `reason`)."""
        ...
    @property
    def pearson_r(self) -> Optional[float]:
        """Pearson's r (precision)."""
        ...
    @property
    def bias_correction(self) -> Optional[float]:
        """Bias correction factor C_b = CCC / r (accuracy)."""
        ...
    @property
    def scale_shift(self) -> Optional[float]:
        """Scale shift v."""
        ...
    @property
    def location_shift(self) -> Optional[float]:
        """Location shift u."""
        ...
    @property
    def se(self) -> Optional[float]:
        """Standard error of the CCC (Lin 2000)."""
        ...
    @property
    def se_z(self) -> Optional[float]:
        """Standard error on Fisher's z scale."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Fisher-z interval `(lower, upper)`."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """`fisher_z`."""
        ...
    @property
    def ci_asymptotic(self) -> Optional[Tuple[float, float]]:
        """Asymptotic (untransformed) interval."""
        ...
    @property
    def n(self) -> int:
        """Complete pairs used."""
        ...
    @property
    def dropped(self) -> int:
        """Pairs dropped for a missing value."""
        ...
    @property
    def missing(self) -> str:
        """`listwise`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reason(self) -> Optional[str]:
        """Why the coefficient is undefined, or `None`."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class BlandAltman:
    """Bland-Altman limits of agreement."""

    @property
    def bias(self) -> float:
        """Mean difference first - second."""
        ...
    @property
    def sd(self) -> float:
        """SD of the differences (n - 1)."""
        ...
    @property
    def lower_limit(self) -> float:
        """bias - multiplier x sd."""
        ...
    @property
    def upper_limit(self) -> float:
        """bias + multiplier x sd."""
        ...
    @property
    def multiplier(self) -> float:
        """The multiplier (1.96 by default)."""
        ...
    @property
    def bias_ci(self) -> Optional[Tuple[float, float]]:
        """Interval of the bias."""
        ...
    @property
    def lower_limit_ci(self) -> Optional[Tuple[float, float]]:
        """Interval of the lower limit."""
        ...
    @property
    def upper_limit_ci(self) -> Optional[Tuple[float, float]]:
        """Interval of the upper limit."""
        ...
    @property
    def level(self) -> float:
        """Their level."""
        ...
    @property
    def ci_method(self) -> str:
        """`student_t`."""
        ...
    @property
    def n(self) -> int:
        """Complete pairs used."""
        ...
    @property
    def dropped(self) -> int:
        """Pairs dropped for a missing value."""
        ...
    @property
    def missing(self) -> str:
        """`listwise`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class Correlation:
    """Pearson's r or Spearman's rho."""

    @property
    def method(self) -> str:
        """`pearson` or `spearman`."""
        ...
    @property
    def coefficient(self) -> Optional[float]:
        """r or rho, or `None` (see `reason`)."""
        ...
    @property
    def t(self) -> Optional[float]:
        """t statistic on `df`."""
        ...
    @property
    def df(self) -> float:
        """n - 2."""
        ...
    @property
    def p(self) -> Optional[float]:
        """Two-sided p (Student t)."""
        ...
    @property
    def p_method(self) -> str:
        """`student_t`."""
        ...
    @property
    def p_exact(self) -> Optional[float]:
        """Exact p (Spearman, n <= 9 without ties), else `None` with its reason."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Fisher-z interval `(lower, upper)`."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """`fisher_z`."""
        ...
    @property
    def n(self) -> int:
        """Complete pairs used."""
        ...
    @property
    def dropped(self) -> int:
        """Pairs dropped for a missing value."""
        ...
    @property
    def missing(self) -> str:
        """`listwise`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reason(self) -> Optional[str]:
        """Why the coefficient is undefined, or `None`."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class CronbachAlpha:
    """Cronbach's alpha with its Feldt interval."""

    @property
    def coefficient(self) -> Optional[float]:
        """Raw alpha, or `None` (see `reason`)."""
        ...
    @property
    def standardized(self) -> Optional[float]:
        """Standardized alpha (from the correlation matrix)."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Feldt interval `(lower, upper)`."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """`feldt`."""
        ...
    @property
    def ci_n(self) -> int:
        """Respondents the interval rests on."""
        ...
    @property
    def n(self) -> int:
        """Respondents used."""
        ...
    @property
    def dropped(self) -> int:
        """Respondents dropped (listwise) for a missing answer."""
        ...
    @property
    def items(self) -> int:
        """Items."""
        ...
    @property
    def missing(self) -> str:
        """`listwise` or `pairwise`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reason(self) -> Optional[str]:
        """Why the coefficient is undefined, or `None`."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class ItemStatistics:
    """One item's statistics in an item analysis."""

    @property
    def item(self) -> int:
        """0-based column of the item."""
        ...
    @property
    def mean(self) -> Optional[float]:
        """Item mean."""
        ...
    @property
    def sd(self) -> Optional[float]:
        """Item SD (n - 1)."""
        ...
    @property
    def alpha_if_deleted(self) -> Optional[float]:
        """Alpha with the item left out."""
        ...
    @property
    def corrected_item_total(self) -> Optional[float]:
        """Correlation of the item with the total of the other items."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class ItemAnalysis:
    """Cronbach's alpha and per-item statistics (listwise)."""

    @property
    def alpha(self) -> CronbachAlpha:
        """Alpha of all items."""
        ...
    @property
    def items(self) -> List[ItemStatistics]:
        """One entry per item, in column order."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class OlsTrend:
    """Ordinary least-squares trend of scores on session times."""

    @property
    def slope(self) -> float:
        """Slope per unit of time."""
        ...
    @property
    def intercept(self) -> float:
        """Intercept at time 0."""
        ...
    @property
    def slope_se(self) -> Optional[float]:
        """Standard error of the slope."""
        ...
    @property
    def intercept_se(self) -> Optional[float]:
        """Standard error of the intercept."""
        ...
    @property
    def t(self) -> Optional[float]:
        """t = slope / `slope_se`."""
        ...
    @property
    def p(self) -> Optional[float]:
        """Two-sided p of t on `df`."""
        ...
    @property
    def p_method(self) -> str:
        """`student_t`."""
        ...
    @property
    def slope_ci(self) -> Optional[Tuple[float, float]]:
        """Interval of the slope."""
        ...
    @property
    def intercept_ci(self) -> Optional[Tuple[float, float]]:
        """Interval of the intercept."""
        ...
    @property
    def level(self) -> float:
        """Their level."""
        ...
    @property
    def ci_method(self) -> str:
        """`student_t`."""
        ...
    @property
    def r_squared(self) -> Optional[float]:
        """R squared."""
        ...
    @property
    def residual_sd(self) -> Optional[float]:
        """Residual SD."""
        ...
    @property
    def df(self) -> float:
        """n - 2."""
        ...
    @property
    def n(self) -> int:
        """Points."""
        ...
    @property
    def fit(self) -> str:
        """`residuals`, `exact_line` or `constant_scores`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class MannKendall:
    """The Mann-Kendall trend test."""

    @property
    def s(self) -> int:
        """Kendall's S."""
        ...
    @property
    def var_s(self) -> float:
        """Tie-corrected variance of S."""
        ...
    @property
    def z(self) -> float:
        """Continuity-corrected z."""
        ...
    @property
    def p(self) -> float:
        """Two-sided p (exact when `p_method` is `exact`)."""
        ...
    @property
    def p_method(self) -> str:
        """`exact` or `normal`."""
        ...
    @property
    def p_exact(self) -> Optional[float]:
        """The exact p, or `None` with its reason (ties, beyond 49 points)."""
        ...
    @property
    def p_normal(self) -> float:
        """The normal-approximation p."""
        ...
    @property
    def tau_a(self) -> float:
        """Tau-a."""
        ...
    @property
    def tau_b(self) -> Optional[float]:
        """Tau-b, or `None` on a constant series."""
        ...
    @property
    def tie_groups(self) -> int:
        """Tie groups."""
        ...
    @property
    def tied_values(self) -> int:
        """Values in a tie group."""
        ...
    @property
    def tied_pairs(self) -> int:
        """Tied pairs."""
        ...
    @property
    def pairs(self) -> int:
        """Pairs compared."""
        ...
    @property
    def n(self) -> int:
        """Points."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class HamedRao:
    """The Mann-Kendall test with Hamed & Rao's (1998) variance correction for autocorrelation."""

    @property
    def s(self) -> int:
        """Kendall's S."""
        ...
    @property
    def var_s_uncorrected(self) -> float:
        """Var(S) before the correction."""
        ...
    @property
    def correction(self) -> Optional[float]:
        """The correction factor n/n*."""
        ...
    @property
    def var_s(self) -> Optional[float]:
        """Corrected Var(S)."""
        ...
    @property
    def z(self) -> Optional[float]:
        """z on the corrected variance."""
        ...
    @property
    def p(self) -> Optional[float]:
        """Two-sided p."""
        ...
    @property
    def p_method(self) -> str:
        """`normal`."""
        ...
    @property
    def significant_lags(self) -> int:
        """Lags whose autocorrelation was significant."""
        ...
    @property
    def lags(self) -> int:
        """Lags examined."""
        ...
    @property
    def sen_slope(self) -> float:
        """Sen's slope used to detrend."""
        ...
    @property
    def n(self) -> int:
        """Points."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class SenSlope:
    """Sen's slope with its interval."""

    @property
    def slope(self) -> float:
        """Median pairwise slope."""
        ...
    @property
    def intercept(self) -> float:
        """Intercept."""
        ...
    @property
    def intercept_method(self) -> str:
        """`conover` or `joint_median`."""
        ...
    @property
    def ci(self) -> Optional[Tuple[float, float]]:
        """Interval `(lower, upper)`, or `None` (e.g. `rank_out_of_range`)."""
        ...
    @property
    def level(self) -> float:
        """Its level."""
        ...
    @property
    def ci_method(self) -> str:
        """`ranked_slopes` or `interpolated_slopes`."""
        ...
    @property
    def lower_rank(self) -> float:
        """1-based rank of the lower bound."""
        ...
    @property
    def upper_rank(self) -> float:
        """1-based rank of the upper bound."""
        ...
    @property
    def c(self) -> float:
        """C = z sqrt(Var S)."""
        ...
    @property
    def var_s(self) -> float:
        """Tie-corrected Var(S)."""
        ...
    @property
    def slopes(self) -> int:
        """Pairwise slopes."""
        ...
    @property
    def n(self) -> int:
        """Points."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class ReliableChange:
    """Jacobson-Truax reliable change between two scores."""

    @property
    def x1(self) -> float:
        """First score."""
        ...
    @property
    def x2(self) -> float:
        """Second score."""
        ...
    @property
    def difference(self) -> float:
        """x2 - x1."""
        ...
    @property
    def rci(self) -> Optional[float]:
        """Reliable change index, or `None` with its reason."""
        ...
    @property
    def se(self) -> float:
        """Standard error of measurement."""
        ...
    @property
    def s_diff(self) -> float:
        """Standard error of the difference."""
        ...
    @property
    def critical(self) -> float:
        """Critical value of |RCI|."""
        ...
    @property
    def minimum_reliable_change(self) -> float:
        """Minimum reliable change, critical x `s_diff`."""
        ...
    @property
    def reliable(self) -> bool:
        """Whether |RCI| exceeds the critical value."""
        ...
    @property
    def direction(self) -> str:
        """`improvement`, `deterioration` or `no_change`."""
        ...
    @property
    def category(self) -> Optional[str]:
        """`recovered`, `improved`, `unchanged` or `deteriorated` when a cutoff was given."""
        ...
    @property
    def sd(self) -> float:
        """The SD used."""
        ...
    @property
    def sd_source(self) -> str:
        """`norm` or `sample`."""
        ...
    @property
    def reliability(self) -> float:
        """The reliability used."""
        ...
    @property
    def reliability_kind(self) -> str:
        """`test_retest` or `alpha`."""
        ...
    @property
    def reference(self) -> str:
        """The implementation matched."""
        ...
    @property
    def reasons(self) -> Dict[str, str]:
        """Why each undefined quantity is undefined."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class Rupture:
    """One rupture: a session far below the client's level."""

    @property
    def index(self) -> int:
        """0-based position of the session."""
        ...
    @property
    def time(self) -> float:
        """Its time."""
        ...
    @property
    def score(self) -> float:
        """Its score."""
        ...
    @property
    def baseline_mean(self) -> float:
        """Mean of the reference sessions."""
        ...
    @property
    def baseline_sd(self) -> float:
        """Their SD."""
        ...
    @property
    def sd_used(self) -> float:
        """The SD used (floored by the reference SD)."""
        ...
    @property
    def baseline_n(self) -> int:
        """Reference sessions."""
        ...
    @property
    def z(self) -> float:
        """(score - mean) / `sd_used`."""
        ...
    @property
    def depth(self) -> float:
        """mean - score."""
        ...
    @property
    def level(self) -> str:
        """`lenient` or `strict`."""
        ...
    @property
    def repair_threshold(self) -> float:
        """Score a later session must reach to repair it."""
        ...
    @property
    def repair(self) -> str:
        """`pending`, `repaired` or `unrepaired`."""
        ...
    @property
    def repair_index(self) -> Optional[int]:
        """0-based position of the repairing session."""
        ...
    @property
    def repair_time(self) -> Optional[float]:
        """Its time."""
        ...
    @property
    def repair_score(self) -> Optional[float]:
        """Its score."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class Ruptures:
    """Ruptures and repairs along a series."""

    @property
    def ruptures(self) -> List[Rupture]:
        """Every rupture found, in time order."""
        ...
    @property
    def n(self) -> int:
        """Points."""
        ...
    @property
    def assessed(self) -> int:
        """Sessions assessed (with enough history)."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class SuddenDrop:
    """One sudden drop between session `before` and the next (Tang & DeRubeis 1999)."""

    @property
    def before(self) -> int:
        """0-based position of the session before the drop."""
        ...
    @property
    def time_before(self) -> float:
        """Its time."""
        ...
    @property
    def time_after(self) -> float:
        """Time of the session after the drop."""
        ...
    @property
    def score_before(self) -> float:
        """Score before."""
        ...
    @property
    def score_after(self) -> float:
        """Score after."""
        ...
    @property
    def drop(self) -> float:
        """score before - score after."""
        ...
    @property
    def min_drop(self) -> float:
        """The minimum drop asked for."""
        ...
    @property
    def size_met(self) -> bool:
        """Criterion 1 met."""
        ...
    @property
    def relative_threshold(self) -> float:
        """The relative threshold."""
        ...
    @property
    def relative_met(self) -> bool:
        """Criterion 2 met."""
        ...
    @property
    def mean_before(self) -> float:
        """Mean of the sessions before."""
        ...
    @property
    def mean_after(self) -> float:
        """Mean of the sessions after."""
        ...
    @property
    def sd_before(self) -> float:
        """SD before."""
        ...
    @property
    def sd_after(self) -> float:
        """SD after."""
        ...
    @property
    def n_before(self) -> int:
        """Sessions before."""
        ...
    @property
    def n_after(self) -> int:
        """Sessions after."""
        ...
    @property
    def pooled_sd(self) -> float:
        """Pooled SD."""
        ...
    @property
    def critical_value(self) -> float:
        """Critical t."""
        ...
    @property
    def stability_margin(self) -> float:
        """critical x pooled SD."""
        ...
    @property
    def stability_met(self) -> bool:
        """Criterion 3 met."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...

class SuddenDrops:
    """Sudden drops along a series."""

    @property
    def drops(self) -> List[SuddenDrop]:
        """Every drop meeting all three criteria."""
        ...
    @property
    def n(self) -> int:
        """Points."""
        ...
    @property
    def tested(self) -> int:
        """Intervals tested."""
        ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a dict of plain Python values (nested results as dicts)."""
        ...


class Monitor:
    """A streaming alliance monitor for one score: push sessions one at a time, get the
    alerts each raises as dicts (the crate's alert fields plus ``code`` and ``message``),
    save its state with ``snapshot()`` and go on exactly after ``restore()``."""

    def __init__(
        self,
        reference_sd: Optional[float] = None,
        *,
        key: str = "score",
        ruptures: bool = True,
        cusum: bool = True,
        ewma: bool = True,
        sudden_drop: Optional[float] = None,
        scale_min: float = 0.0,
        pcoms_cutoff: Optional[float] = None,
        pcoms_drop: Optional[float] = None,
        divergence_bound: Optional[float] = None,
    ) -> None: ...
    @staticmethod
    def for_instrument(instrument: str, *, key: str = "score") -> "Monitor":
        """A monitor configured from a catalog instrument's published numbers."""
        ...
    def push(
        self,
        score: float,
        time: Optional[float] = None,
        *,
        therapist: Optional[float] = None,
        session: Optional[int] = None,
        date: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """Feeds one session; returns the alerts it raised."""
        ...
    @property
    def sessions(self) -> int:
        """Sessions fed so far."""
        ...
    @property
    def key(self) -> str:
        """The monitored score's label."""
        ...
    @property
    def basis(self) -> List[str]:
        """For ``for_instrument``: where each rule's number came from."""
        ...
    def config(self) -> Dict[str, Any]:
        """The rules applied, with their parameters."""
        ...
    def snapshot(self) -> str:
        """The monitor's state as a JSON string."""
        ...
    @staticmethod
    def restore(snapshot: str) -> "Monitor":
        """A monitor restored from ``snapshot()``."""
        ...


def icc_table(ratings: Array2, confidence: float = ...) -> List[Icc]: ...
def cohen_kappa(first: Array1, second: Array1, categories: Optional[List[float]] = ..., weights: str = ..., matrix: Optional[Array2] = ..., weights_kind: str = ..., confidence: float = ...) -> CohenKappa: ...
def cohen_kappa_table(table: List[List[int]], categories: Optional[List[float]] = ..., weights: str = ..., matrix: Optional[Array2] = ..., weights_kind: str = ..., confidence: float = ...) -> CohenKappa: ...
def multi_rater(ratings: Array2, method: str, categories: Optional[List[float]] = ..., weights: str = ..., matrix: Optional[Array2] = ..., weights_kind: str = ..., confidence: float = ...) -> MultiRaterAgreement: ...
def krippendorff_alpha(ratings: Array2, metric: str = ..., bootstrap: Optional[int] = ..., seed: int = ..., confidence: float = ...) -> Krippendorff: ...
def concordance(first: Array1, second: Array1, confidence: float = ...) -> Concordance: ...
def bland_altman(first: Array1, second: Array1, multiplier: float = ..., confidence: float = ...) -> BlandAltman: ...
def correlation(first: Array1, second: Array1, method: str = ..., confidence: float = ...) -> Correlation: ...
def cronbach_alpha(items: Array2, missing: str = ..., feldt_n: str = ..., confidence: float = ...) -> CronbachAlpha: ...
def item_analysis(items: Array2, confidence: float = ...) -> ItemAnalysis: ...
def ols_trend(values: Array1, times: Optional[Array1] = ..., confidence: float = ...) -> OlsTrend: ...
def mann_kendall(values: Array1, times: Optional[Array1] = ...) -> MannKendall: ...
def mann_kendall_hamed_rao(values: Array1, times: Optional[Array1] = ..., lags: Optional[int] = ..., confidence: float = ...) -> HamedRao: ...
def sen_slope(values: Array1, times: Optional[Array1] = ..., confidence: float = ..., intercept: str = ..., ci_method: str = ...) -> SenSlope: ...
def mann_kendall_sen_batch(values: Array2, times: Optional[Array1] = ..., confidence: float = ..., intercept: str = ..., ci_method: str = ..., threads: Optional[int] = ...) -> Dict[str, Any]: ...
def reliable_change(x1: float, x2: float, sd: float, reliability: float, sd_source: str = ..., reliability_kind: str = ..., critical: str = ..., critical_z: Optional[float] = ..., confidence: float = ..., polarity: str = ..., cutoff: Optional[float] = ...) -> ReliableChange: ...
def ruptures(values: Array1, reference_sd: float, times: Optional[Array1] = ..., lenient: float = ..., strict: float = ..., repair_window: int = ..., repair_fraction: float = ..., min_history: int = ..., reference: str = ...) -> Ruptures: ...
def sudden_drops(values: Array1, min_drop: float, times: Optional[Array1] = ..., min_ratio: float = ..., scale_min: float = ..., end: str = ...) -> SuddenDrops: ...
def score_matrix(answers: Array2, instrument: str, profile: bool = ..., errors: str = ...) -> Tuple[List[str], Dict[str, Any]]: ...
def instruments() -> List[Dict[str, Any]]: ...
def sample_caseload() -> Dict[str, Any]: ...
