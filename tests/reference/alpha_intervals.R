# Reference values of alliance::reliability::alpha_asymptotic (Duhachek & Iacobucci 2004 ASE).
#   nice Rscript tests/reference/alpha_intervals.R > tests/reference/alpha_intervals.json
#
# psych::alpha prints the "Duhachek" bounds as raw_alpha -/+ 1.96 * ase with
# ase = sqrt(Q / nsub), Q from psych:::alpha.1 on the covariance matrix cov(x) (n - 1) and
# nsub = nrow(x) (n, not n - 1). Stored per case: psych's raw_alpha, std.alpha and ase, the
# ase of psych::alpha(cor(x), n.obs = n) (the same Q on the correlation matrix: the
# standardized alpha's), the bounds alpha -/+ qnorm(0.975) ase (the crate's, at 95%) and
# psych's printed bounds with 1.96. psych::alpha's raw-data covariances are pairwise; the
# cases with missing answers are given to it after na.omit (the crate is listwise).
suppressPackageStartupMessages({library(psych); library(jsonlite)})
set.seed(20261129)

one_factor <- function(n, loadings, noise = 1) {
  f <- rnorm(n)
  sapply(loadings, function(l) l * f + rnorm(n, sd = noise))
}
likert <- function(x, points = 5) {
  apply(x, 2, function(v) as.numeric(cut(v, breaks = quantile(v, seq(0, 1, length.out = points + 1)),
                                         include.lowest = TRUE)))
}

cases <- list(
  list(name = "wai_like_12_items_n80", x = likert(one_factor(80, rep(0.8, 12)))),
  list(name = "congeneric_6_items_n50", x = round(one_factor(50, c(0.9, 0.8, 0.7, 0.6, 0.5, 0.4)), 3)),
  list(name = "congeneric_4_items_n200", x = round(one_factor(200, c(1.2, 0.9, 0.5, 0.3)), 4)),
  list(name = "weak_items_5_n30", x = round(one_factor(30, rep(0.3, 5)), 2)),
  list(name = "likert7_8_items_n120", x = likert(one_factor(120, seq(0.4, 1.1, length.out = 8)), 7)),
  list(name = "two_items_n40", x = round(one_factor(40, c(0.8, 0.7)), 3)),
  list(name = "three_items_n10", x = likert(one_factor(10, c(0.9, 0.9, 0.9)))),
  list(name = "tiny_n3_k3", x = matrix(c(1, 2, 2, 3, 3, 4, 5, 4, 5), 3, byrow = TRUE)),
  list(name = "tiny_n4_k2", x = matrix(c(1, 2, 2, 2, 4, 5, 3, 3), 4, byrow = TRUE)),
  list(name = "negative_alpha_n8", x = cbind(c(1, 2, 3, 4, 5, 6, 7, 8), c(8, 6, 7, 5, 3, 4, 2, 1), c(2, 1, 4, 3, 6, 5, 8, 7))),
  list(name = "large_scale_values_n25", x = round(one_factor(25, c(10, 12, 8, 9)) + 100, 2)),
  list(name = "many_items_30_n60", x = likert(one_factor(60, rep(0.6, 30)))),
  list(name = "unequal_variances_5_n45", x = round(one_factor(45, c(3, 1, 0.5, 2, 1.5), noise = 1.5), 3)),
  list(name = "perfectly_correlated_equal_variance_n6", x = cbind(1:6, 1:6, 1:6),
       note = "Q = 0: se 0, the interval is the point"),
  list(name = "perfectly_correlated_unequal_variance_n6", x = cbind(1:6, 2 * (1:6), 3 * (1:6) + 1)),
  list(name = "constant_item_n10", x = cbind(c(3, 4, 2, 5, 4, 3, 2, 4, 5, 3), c(2, 4, 3, 5, 5, 3, 2, 3, 4, 3), rep(3, 10)),
       note = "psych::alpha drops the constant item; raw alpha and ase from psych:::alpha.1(cov(x)) on all 3 items; the standardized alpha and its se undefined (psych: NA)")
)
with_missing <- likert(one_factor(40, rep(0.7, 6)))
with_missing[cbind(c(3, 7, 19, 33), c(1, 4, 2, 6))] <- NA
cases[[length(cases) + 1]] <- list(name = "missing_listwise_6_items_n40", x = with_missing,
  note = "4 rows with a missing answer: psych is given na.omit(x)")

num <- function(v) if (length(v) == 1 && is.finite(v)) v else "NA"
out <- lapply(cases, function(cs) {
  x <- cs$x
  xc <- na.omit(x)
  n <- nrow(xc)
  a <- suppressWarnings(suppressMessages(psych::alpha(xc, check.keys = FALSE, warnings = FALSE)))
  r <- suppressWarnings(cor(xc))
  s <- if (all(is.finite(r))) suppressWarnings(suppressMessages(
    psych::alpha(r, n.obs = n, check.keys = FALSE, warnings = FALSE))) else NULL
  raw <- a$total$raw_alpha; ase <- a$total$ase
  # psych::alpha drops a constant item silently (the crate keeps every item): there the raw
  # alpha and ase come from psych's own kernel, psych:::alpha.1, on the full covariance matrix
  if (any(apply(xc, 2, var) == 0)) {
    k1 <- suppressWarnings(psych:::alpha.1(cov(xc), diag(ncol(xc))))
    raw <- k1$raw; ase <- sqrt(k1$Q / n)
  }
  std <- if (is.null(s)) NA else s$total$std.alpha
  sase <- if (is.null(s)) NA else s$total$ase
  z <- qnorm(0.975)
  res <- list(
    name = cs$name,
    data = lapply(seq_len(nrow(x)), function(i) lapply(x[i, ], function(v) if (is.na(v)) NULL else v)),
    n = n, items = ncol(x),
    raw_alpha = num(raw), ase = num(ase),
    lower = num(raw - z * ase), upper = num(raw + z * ase),
    psych_printed_lower = num(raw - 1.96 * ase), psych_printed_upper = num(raw + 1.96 * ase),
    std_alpha = num(std), std_ase = num(sase),
    std_lower = num(std - z * sase), std_upper = num(std + z * sase)
  )
  if (!is.null(cs$note)) res$note <- cs$note
  res
})
write(toJSON(list(
  provenance = list(
    generator = "tests/reference/alpha_intervals.R (set.seed(20261129))",
    R = R.version.string, psych = as.character(packageVersion("psych")),
    call = "psych::alpha(na.omit(x), check.keys = FALSE)$total[c('raw_alpha', 'ase')] (with a constant item: psych:::alpha.1(cov(x), diag(k)), raw and sqrt(Q / n)); psych::alpha(cor(x), n.obs = n)$total[c('std.alpha', 'ase')]",
    bounds = "alpha -/+ qnorm(0.975) * ase (psych prints 1.96 * ase: psych_printed_*)",
    source = "Duhachek & Iacobucci (2004) J Appl Psychol 89:792-808; psych:::alpha.1's Q"
  ),
  cases = out
), auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), stdout())
