# Reference values of alliance::agreement::icc_test (the F test of ICC = r0).
#
# irr is not packaged for Debian: its R/icc.R (irr 0.84.1, the CRAN mirror
# github.com/cran/irr at commit 3229aa5, "version 0.84.1") is sourced from the path given as the
# first argument:
#   git -C <mirror of github:cran/irr> show HEAD:R/icc.R > /tmp/irr_icc.R
#   nice Rscript tests/reference/icc_r0_irr.R /tmp/irr_icc.R > tests/reference/icc_r0_irr.json
#
# Per case, form and r0 it stores irr::icc(ratings, model, type, unit, r0)'s Fvalue, df1, df2
# and p.value, and McGraw & Wong (1996) Table 8 evaluated here ("mw": F, df1, df2, p). The two
# differ only in df2 (and so p) of the agreement forms: irr computes the test's v from the
# estimated ICC (the interval's v, Table 7) instead of from r0 (Table 8), so that even at
# r0 = 0 its df2 is not (n - 1)(k - 1). The crate follows Table 8 ("mw").
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
source(args[1])

ref <- fromJSON("tests/reference/icc_reference.json", simplifyVector = FALSE)
as_mat <- function(d) {
  m <- do.call(rbind, lapply(d, function(r) sapply(r, function(x) if (is.null(x)) NA else x)))
  storage.mode(m) <- "double"
  m
}

# McGraw & Wong (1996) Table 8 (with the 1996 correction), from the ANOVA mean squares
mw <- function(x, model, type, unit, r0) {
  x <- as.matrix(na.omit(x))
  n <- nrow(x); k <- ncol(x)
  gm <- mean(x)
  ssr <- k * sum((rowMeans(x) - gm)^2)
  ssc <- n * sum((colMeans(x) - gm)^2)
  sst <- sum((x - gm)^2)
  sse <- sst - ssr - ssc
  msr <- ssr / (n - 1); msc <- ssc / (k - 1)
  mse <- sse / ((n - 1) * (k - 1)); msw <- (ssc + sse) / (n * (k - 1))
  df1 <- n - 1
  if (model == "oneway" || type == "consistency") {
    err <- if (model == "oneway") msw else mse
    df2 <- if (model == "oneway") n * (k - 1) else (n - 1) * (k - 1)
    c <- if (unit == "single") (1 - r0) / (1 + (k - 1) * r0) else 1 - r0
    F <- msr / err * c
  } else {
    a <- if (unit == "single") k * r0 / (n * (1 - r0)) else r0 / (n * (1 - r0))
    b <- 1 + if (unit == "single") k * r0 * (n - 1) / (n * (1 - r0)) else r0 * (n - 1) / (n * (1 - r0))
    F <- msr / (a * msc + b * mse)
    df2 <- (a * msc + b * mse)^2 / ((a * msc)^2 / (k - 1) + (b * mse)^2 / ((n - 1) * (k - 1)))
  }
  list(F = F, df1 = df1, df2 = df2, p = pf(F, df1, df2, lower.tail = FALSE))
}

forms <- list(
  list(form = "OneWay", unit = "Single", model = "oneway", type = "consistency"),
  list(form = "TwoWayAgreement", unit = "Single", model = "twoway", type = "agreement"),
  list(form = "TwoWayConsistency", unit = "Single", model = "twoway", type = "consistency"),
  list(form = "OneWay", unit = "Average", model = "oneway", type = "consistency"),
  list(form = "TwoWayAgreement", unit = "Average", model = "twoway", type = "agreement"),
  list(form = "TwoWayConsistency", unit = "Average", model = "twoway", type = "consistency")
)

num <- function(v) if (is.finite(v)) v else as.character(v)

one_case <- function(name, x, r0s, note = NULL) {
  tests <- list()
  for (r0 in r0s) for (f in forms) {
    unit <- tolower(f$unit)
    i <- icc(x, model = f$model, type = f$type, unit = unit, r0 = r0)
    m <- mw(x, f$model, f$type, unit, r0)
    tests[[length(tests) + 1]] <- list(
      form = f$form, unit = f$unit, r0 = r0,
      irr = list(F = num(i$Fvalue), df1 = i$df1, df2 = num(i$df2), p = num(i$p.value)),
      mw = list(F = num(m$F), df1 = m$df1, df2 = num(m$df2), p = num(m$p))
    )
  }
  out <- list(name = name, data = lapply(seq_len(nrow(x)), function(r) as.list(x[r, ])), tests = tests)
  if (!is.null(note)) out$note <- note
  out
}

cases <- list()
r0_sets <- list(c(0, 0.3, 0.75), c(0, 0.5, 0.9), c(0, 0.1, 0.6))
for (j in seq_along(ref$cases)) {
  c <- ref$cases[[j]]
  x <- as_mat(c$data)
  x <- x[complete.cases(x), , drop = FALSE]
  cases[[length(cases) + 1]] <- one_case(c$name, x, r0_sets[[(j - 1) %% 3 + 1]],
                                         "the complete rows of the icc_reference.json case")
}
# degenerate and tiny designs
cases[[length(cases) + 1]] <- one_case("tiny_2x2", matrix(c(1, 3, 2, 5), 2, byrow = TRUE), c(0, 0.4))
cases[[length(cases) + 1]] <- one_case("tiny_3x2_negative_icc",
  matrix(c(1, 4, 3, 2, 5, 1), 3, byrow = TRUE), c(0, 0.2, 0.95),
  "ICC below 0: F below 1, p near 1")
cases[[length(cases) + 1]] <- one_case("high_agreement_10x3",
  cbind(1:10, 1:10 + c(0, 0.5, 0, 0, -0.5, 0, 0, 0.5, 0, 0), 1:10 + c(0.5, 0, 0, -0.5, 0, 0, 0.5, 0, 0, 0)),
  c(0, 0.9, 0.99))
cases[[length(cases) + 1]] <- one_case("large_rater_offset_8x3",
  cbind(c(3, 5, 2, 6, 4, 7, 3, 5), c(3, 5, 2, 6, 4, 7, 3, 5) + 2 + c(0, 1, 0, 0, -1, 0, 1, 0),
        c(3, 5, 2, 6, 4, 7, 3, 5) + 4 + c(1, 0, 0, -1, 0, 0, 0, 1)),
  c(0, 0.2, 0.5), "large MSC: agreement far below consistency, v well below (n - 1)(k - 1)")
cases[[length(cases) + 1]] <- one_case("degenerate_rater_offsets_only_5x3",
  cbind(c(1, 3, 2, 5, 4), c(1, 3, 2, 5, 4) + 1, c(1, 3, 2, 5, 4) + 2), c(0, 0.5),
  "MSE = 0 with MSC > 0: F is infinite (irr: Inf or a rounding-noise value); the crate reports ZeroErrorVariance with p = 0, and for ICC(A, .) with r0 > 0 a finite F on v = k - 1")
cases[[length(cases) + 1]] <- one_case("degenerate_identical_raters_4x3",
  cbind(c(2, 4, 1, 5), c(2, 4, 1, 5), c(2, 4, 1, 5)), c(0, 0.5),
  "MSC = MSE = MSW = 0: F infinite, p 0 (irr: Inf / NaN); ICC(A, .) df2 is 0/0 for r0 > 0")
cases[[length(cases) + 1]] <- one_case("degenerate_constant_3x2",
  matrix(3, 3, 2), c(0, 0.5), "every rating equal: F is 0/0 (irr: NaN); the crate reports IndeterminateF")
write(toJSON(list(
  provenance = list(
    generator = "tests/reference/icc_r0_irr.R",
    R = R.version.string,
    irr = "0.84.1 (R/icc.R sourced from github.com/cran/irr at 3229aa5, 'version 0.84.1', Date 2012-01-22)",
    call = "irr::icc(ratings, model, type, unit, r0 = r0) on the complete rows",
    mw = "McGraw & Wong (1996) Psychological Methods 1(1):30-46, Table 8, with the correction 1(4):390, evaluated in this script",
    order = "per r0: ICC(1), ICC(A,1), ICC(C,1), ICC(1,k), ICC(A,k), ICC(C,k)"
  ),
  cases = cases
), auto_unbox = TRUE, digits = NA, pretty = TRUE), stdout())
