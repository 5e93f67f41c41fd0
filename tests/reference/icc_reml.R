# Reference values for alliance::agreement::icc_reml: the crossed random-effects model
# y ~ 1 + (1 | target) + (1 | rater) fitted by REML with lme4, and psych::ICC(lmer = TRUE).
# Usage: nice Rscript tests/reference/icc_reml.R > tests/reference/icc_reml.json
#
# Each case is fitted three times with tight optimizer tolerances (bobyqa rhoend 1e-12,
# nloptwrap BOBYQA xtol_abs/ftol_abs 1e-14, Nelder_Mead FtolAbs 1e-15). Even so the three
# stop up to ~2e-5 apart in the components (the criterion is flat to its last digits there),
# so the best of them is polished by Newton steps on lme4's own REML deviance function (see
# `polish`); `optimizer_relative_error` records how far each optimizer had stopped from the
# polished optimum and `gradient` the deviance's derivative there. `six_from_components` applies psych::ICC's own formulas (its lmer
# branch: MSB = k vt + ve, MSJ = n vr + ve, MSW = ve + vr, MSE = ve, k = number of columns)
# to the tight components; `psych` is psych::ICC(x, lmer = TRUE) exactly as called, with
# lme4's default tolerances.
suppressPackageStartupMessages({
  library(jsonlite)
  library(lme4)
})

long <- function(x) {
  d <- data.frame(
    y = as.vector(t(x)),
    target = factor(rep(seq_len(nrow(x)), each = ncol(x))),
    rater = factor(rep(seq_len(ncol(x)), times = nrow(x)))
  )
  d[!is.na(d$y), ]
}

controls <- list(
  bobyqa = lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e6),
                       check.conv.singular = "ignore"),
  nloptwrap = lmerControl(optimizer = "nloptwrap",
                          optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-14, xtol_rel = 0,
                                         ftol_rel = 0, maxeval = 1e6),
                          check.conv.singular = "ignore"),
  nelder_mead = lmerControl(optimizer = "Nelder_Mead",
                            optCtrl = list(FtolAbs = 1e-15, FtolRel = 0, XtolRel = 1e-14,
                                           maxfun = 1e6),
                            check.conv.singular = "ignore")
)

fit_one <- function(d, ctrl) {
  m <- lmer(y ~ 1 + (1 | target) + (1 | rater), data = d, REML = TRUE, control = ctrl)
  list(theta = unname(getME(m, "theta")), reml_criterion = unname(deviance(m, REML = TRUE)))
}

model_at <- function(d, th) {
  lf <- lFormula(y ~ 1 + (1 | target) + (1 | rater), data = d, REML = TRUE)
  devf <- do.call(mkLmerDevfun, lf)
  opt <- list(par = th, fval = devf(th), conv = 0, feval = 0, message = "evaluated")
  mkMerMod(environment(devf), opt, lf$reTrms, fr = lf$fr)
}
components_at <- function(d, th) {
  vc <- VarCorr(model_at(d, th))
  c(vc$target[1, 1], vc$rater[1, 1], attr(vc, "sc")^2)
}

# Newton polish of lme4's own REML deviance function (lme4's modular interface:
# lFormula -> mkLmerDevfun -> mkMerMod), from the best of the three optimizer fits. The
# derivative-free optimizers stop where the criterion stops changing in its ~15th digit, which
# leaves theta good to only ~1e-6 relative; Newton steps on central-difference derivatives
# (step 1e-4, truncation error ~1e-9) converge theta to ~1e-10. A theta at 0 whose one-sided
# derivative is positive stays on the boundary.
polish <- function(d, theta0) {
  lf <- lFormula(y ~ 1 + (1 | target) + (1 | rater), data = d, REML = TRUE)
  devf <- do.call(mkLmerDevfun, lf)
  th <- theta0
  th[th < 1e-7] <- 0
  h <- 1e-4  # relative to theta (absolute for theta below 0.01)
  grad_hess <- function(th, free) {
    p <- length(th)
    g <- numeric(p)
    H <- diag(1, p)
    f0 <- devf(th)
    hs <- h * pmax(th, 0.01)
    for (i in which(free)) {
      e <- replace(numeric(p), i, hs[i])
      g[i] <- (devf(th + e) - devf(th - e)) / (2 * hs[i])
      H[i, i] <- (devf(th + e) - 2 * f0 + devf(th - e)) / hs[i]^2
      for (j in which(free)) if (j > i) {
        f <- replace(numeric(p), j, hs[j])
        H[i, j] <- H[j, i] <- (devf(th + e + f) - devf(th + e - f) - devf(th - e + f) +
                                 devf(th - e - f)) / (4 * hs[i] * hs[j])
      }
    }
    list(g = g, H = H)
  }
  last_step <- NA
  for (iter in 1:50) {
    free <- th > 0
    # a boundary theta is freed when the deviance falls as it moves off 0
    for (i in which(!free)) {
      e <- replace(numeric(length(th)), i, 1e-6)
      if (devf(th + e) < devf(th)) free[i] <- TRUE
    }
    if (!any(free)) break
    gh <- grad_hess(th, free)
    step <- numeric(length(th))
    step[free] <- -solve(gh$H[free, free, drop = FALSE], gh$g[free])
    new <- pmax(th + step, 0)
    # halve the step until the deviance does not rise
    t <- 1
    # (near the optimum the deviance changes below its rounding, ~1e-12 relative: a step
    # that is not worse beyond that is taken)
    while (devf(new) > devf(th) + 1e-12 * abs(devf(th)) && t > 1e-8) {
      t <- t / 2
      new <- pmax(th + t * step, 0)
    }
    last_step <- max(abs(new - th) / pmax(th, 1e-3))
    th <- new
    if (last_step < 1e-12) break
  }
  free <- th > 0
  gh <- grad_hess(th, rep(TRUE, length(th)))
  m <- model_at(d, th)
  vc <- VarCorr(m)
  list(target = vc$target[1, 1], rater = vc$rater[1, 1], residual = sigma(m)^2,
       intercept = unname(fixef(m)[1]), reml_criterion = unname(deviance(m, REML = TRUE)),
       loglik = as.numeric(logLik(m)), theta = th, gradient = gh$g,
       newton_last_step = last_step, newton_iterations = iter)
}

psych_six <- function(vt, vr, ve, k) {
  MSB <- k * vt + ve
  MSW <- ve + vr
  MSE <- ve
  # MSJ = n vr + ve enters ICC2 and ICC2k only through (MSJ - MSE) / n = vr
  c(ICC1 = (MSB - MSW) / (MSB + (k - 1) * MSW),
    ICC2 = (MSB - MSE) / (MSB + (k - 1) * MSE + k * vr),
    ICC3 = (MSB - MSE) / (MSB + (k - 1) * MSE),
    ICC1k = (MSB - MSW) / MSB,
    ICC2k = (MSB - MSE) / (MSB + vr),
    ICC3k = (MSB - MSE) / MSB)
}

to_rows <- function(x) lapply(seq_len(nrow(x)), function(i) {
  lapply(x[i, ], function(v) if (is.na(v)) NULL else v)
})

case <- function(name, x, note) {
  d <- long(x)
  fits <- lapply(controls, function(ctrl) tryCatch(fit_one(d, ctrl), error = function(e) NULL))
  fits <- Filter(Negate(is.null), fits)
  out <- list(name = name, note = note, data = to_rows(x),
              cells_observed = nrow(d), cells_missing = sum(is.na(x)),
              targets_used = length(unique(d$target)), raters_used = length(unique(d$rater)))
  if (length(fits) == 0) {
    out$lme4 <- NULL
    out$lme4_error <- "lmer failed with every optimizer"
    return(out)
  }
  crit <- sapply(fits, function(f) f$reml_criterion)
  best <- fits[[which.min(crit)]]
  if (!is.finite(best$reml_criterion)) {
    # constant ratings: lme4 returns zero components and an infinite criterion
    m <- lmer(y ~ 1 + (1 | target) + (1 | rater), data = d, REML = TRUE, control = controls$bobyqa)
    vc <- VarCorr(m)
    out$lme4 <- list(target = vc$target[1, 1], rater = vc$rater[1, 1], residual = sigma(m)^2,
                     intercept = unname(fixef(m)[1]), degenerate = TRUE)
  } else {
    pol <- polish(d, best$theta)
    tight <- c(pol$target, pol$rater, pol$residual)
    # how far each lme4 optimizer stopped from the polished optimum (relative, per component)
    pol$optimizer_relative_error <- lapply(fits, function(f) {
      c2 <- components_at(d, pmax(f$theta, 0))
      max(ifelse(tight == 0, abs(c2), abs(c2 - tight) / abs(tight)))
    })
    pol$optimizer_criteria <- as.list(crit)
    out$lme4 <- pol
  }
  if (!anyNA(x) && is.finite(out$lme4$target)) {
    # complete balanced data: REML equals the ANOVA estimator when no component is at 0,
    # an independent check of how far the polished lme4 fit converged
    n <- nrow(x); k <- ncol(x); g <- mean(x)
    ssr <- k * sum((rowMeans(x) - g)^2); ssc <- n * sum((colMeans(x) - g)^2)
    sse <- sum((x - g)^2) - ssr - ssc
    msr <- ssr / (n - 1); msc <- ssc / (k - 1); mse <- sse / ((n - 1) * (k - 1))
    out$anova_components <- list(target = (msr - mse) / k, rater = (msc - mse) / n,
                                 residual = mse)
  }
  out$six_from_components <- as.list(psych_six(out$lme4$target, out$lme4$rater, out$lme4$residual, ncol(x)))
  p <- tryCatch(suppressWarnings(suppressMessages(psych::ICC(x, lmer = TRUE))),
                error = function(e) NULL)
  if (!is.null(p)) {
    out$psych <- list(ICC = p$results$ICC, type = as.character(p$results$type))
  }
  out
}

set.seed(20261129)
sim <- function(n, k, st, sr, se, mu = 4, missing = 0, round_to = NULL) {
  a <- rnorm(n, 0, st)
  b <- rnorm(k, 0, sr)
  x <- outer(a, b, "+") + mu + matrix(rnorm(n * k, 0, se), n, k)
  if (!is.null(round_to)) x <- round(x / round_to) * round_to
  if (missing > 0) {
    drop <- sample(n * k, round(missing * n * k))
    x[drop] <- NA
    # keep every target and rater with at least one rating unless a case wants otherwise
    for (i in seq_len(n)) if (all(is.na(x[i, ]))) x[i, sample(k, 1)] <- round(mu + a[i], 2)
    for (j in seq_len(k)) if (all(is.na(x[, j]))) x[sample(n, 1), j] <- round(mu + b[j], 2)
  }
  x
}

sf <- matrix(c(9, 2, 5, 8, 6, 1, 3, 2, 8, 4, 6, 8, 7, 1, 2, 6, 10, 5, 6, 9, 6, 2, 4, 7),
             ncol = 4, byrow = TRUE)

cases <- list()
add <- function(name, x, note) cases[[length(cases) + 1]] <<- case(name, x, note)

add("shrout_fleiss_1979_table2", sf, "balanced complete, Shrout & Fleiss (1979) Table 2")
add("balanced_20x3", sim(20, 3, 1, 0.5, 0.7), "balanced complete")
add("balanced_50x5_likert", sim(50, 5, 1.2, 0.4, 0.9, round_to = 1), "balanced complete, integer ratings")
add("balanced_8x2_dyad", sim(8, 2, 0.8, 0.3, 0.5, round_to = 0.5), "balanced complete, two raters")
add("unbalanced_30x4_5pct", sim(30, 4, 1, 0.6, 0.8, missing = 0.05), "5% missing")
add("unbalanced_40x4_20pct", sim(40, 4, 1, 0.6, 0.8, missing = 0.20), "20% missing")
add("unbalanced_25x3_40pct", sim(25, 3, 0.9, 0.5, 0.6, missing = 0.40), "40% missing")
add("unbalanced_60x6_30pct_likert", sim(60, 6, 1, 0.5, 1, missing = 0.30, round_to = 1), "30% missing, integer ratings")
add("unbalanced_30x2_10pct_dyad", sim(30, 2, 1, 0.4, 0.6, missing = 0.10), "two raters, 10% missing")
x <- sim(3, 3, 1, 0.5, 0.5); x[2, 3] <- NA
add("tiny_3x3_one_missing", x, "tiny: 3 targets, one missing cell")
x <- sim(15, 4, 1, 0.6, 0.7); x[-1, 4] <- NA
add("rater_rated_one_target", x, "rater 4 rated only target 1")
x <- sim(15, 3, 1, 0.6, 0.7); x[5, 2:3] <- NA
add("target_rated_once", x, "target 5 has one rating")
x <- sim(30, 4, 1, 0, 0.8, missing = 0.1)
add("zero_rater_variance_boundary", x, "no rater effect simulated: REML rater variance on the boundary 0")
# redrawn until lme4's REML target variance is on the boundary (REML is at 0 with probability
# about 1/2 when there is no target effect)
repeat {
  x <- sim(30, 4, 0, 0.8, 1, missing = 0.1)
  if (isSingular(lmer(y ~ 1 + (1 | target) + (1 | rater), data = long(x), control = controls$bobyqa))) break
}
add("zero_target_variance_boundary", x, "no target effect simulated: REML target variance on the boundary 0")
x <- matrix(3, 6, 3); x[2, 1] <- NA; x[5, 3] <- NA
add("constant_ratings", x, "every rating equal: the model is degenerate (residual variance 0)")
add("many_raters_12x15_25pct", sim(12, 15, 1, 0.7, 0.6, missing = 0.25), "15 raters, 25% missing")
x <- sim(20, 3, 1, 0.5, 0.7, missing = 0.1); x[7, ] <- NA
add("target_without_ratings", x, "target 7 has no rating (dropped)")
add("large_offset_1000", sim(25, 4, 1, 0.5, 0.7, mu = 1000, missing = 0.15), "ratings near 1000, 15% missing")
add("small_scale_1e-3", sim(25, 3, 1e-3, 5e-4, 7e-4, mu = 0, missing = 0.15), "ratings of order 1e-3, 15% missing")
add("unbalanced_100x4_10pct", sim(100, 4, 1, 0.5, 0.8, missing = 0.10), "100 targets, 10% missing")
add("many_raters_10x24_30pct", sim(10, 24, 1, 0.6, 0.7, missing = 0.30), "24 raters (beyond 16: hashed patterns), 30% missing")

out <- list(
  provenance = list(
    generator = "tests/reference/icc_reml.R (set.seed(20261129))",
    R = R.version.string,
    lme4 = as.character(packageVersion("lme4")),
    psych = as.character(packageVersion("psych")),
    call = paste("lmer(y ~ 1 + (1 | target) + (1 | rater), REML = TRUE, control = ...) with",
                 "bobyqa (rhoend = 1e-12), nloptwrap (BOBYQA, xtol_abs = ftol_abs = 1e-14) and",
                 "Nelder_Mead (FtolAbs = 1e-15); the fit with the lowest REML criterion is kept;",
                 "psych::ICC(x, lmer = TRUE)"),
    order = "ICC1, ICC2 (A,1), ICC3 (C,1), ICC1k, ICC2k (A,k), ICC3k (C,k)"
  ),
  cases = cases
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, null = "null", pretty = TRUE))
