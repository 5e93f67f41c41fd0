# Reference values of alliance::reliability::omega / omega_from_covariance: one-factor loadings,
# uniquenesses and omega total by ML and minres.
#   nice Rscript tests/reference/omega.R > tests/reference/omega.json
#
# psych::fa(r, nfactors = 1, fm = "ml" | "minres") optimises the uniquenesses with L-BFGS-B at
# R's default tolerance (factr = 1e7) and takes no control argument (psych:::fac sets
# control <- NULL), so its loadings can be off in the 5th-7th decimal. The tight reference
# re-minimises psych's own objectives (psych:::fac's FAfn/FAgr for ML, fit.residuals/
# FAgr.minres for minres, restated below) with L-BFGS-B at factr = 0, pgtol = 0 started from
# fa's solution, polishes that by Newton on psych's gradient (FAgr / FAgr.minres) to a zero
# gradient, then forms the loadings as fa does (FAout / FAout.wls); the script checks
# that fa agrees with it to fa's own tolerance (stored: fa_max_diff). The ML loadings are also
# checked against lavaan::cfa on the correlation matrix (std.lv = TRUE, standardized solution;
# optim.method = "BFGS", reltol 1e-16, restarted 5 times from its own estimates: lavaan's
# default nlminb stops about 1e-6 from the optimum, even at rel.tol 1e-15).
# omega_total = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)).
suppressPackageStartupMessages({library(psych); library(lavaan); library(jsonlite)})
set.seed(20261129)

# ---- psych's objectives, as in psych:::fac (psych 2.2.9) ----
FAfn <- function(Psi, S, nf) {
  sc <- diag(1 / sqrt(Psi)); Sstar <- sc %*% S %*% sc
  E <- eigen(Sstar, symmetric = TRUE, only.values = TRUE)
  e <- E$values[-(1:nf)]
  -(sum(log(e) - e) - nf + nrow(S))
}
FAgr <- function(Psi, S, nf) {
  sc <- diag(1 / sqrt(Psi)); Sstar <- sc %*% S %*% sc
  E <- eigen(Sstar, symmetric = TRUE)
  L <- E$vectors[, 1:nf, drop = FALSE]
  load <- diag(sqrt(Psi)) %*% (L %*% diag(sqrt(pmax(E$values[1:nf] - 1, 0)), nf))
  g <- load %*% t(load) + diag(Psi) - S
  diag(g) / Psi^2
}
fit.residuals <- function(Psi, S, nf) {
  diag(S) <- 1 - Psi
  E <- eigen(S)
  E$values[E$values < .Machine$double.eps] <- 100 * .Machine$double.eps
  l <- E$vectors[, 1] * sqrt(E$values[1])
  res <- (S - l %*% t(l))[lower.tri(S)]
  sum(res^2)
}
FAgr.minres <- function(Psi, S, nf) {
  Sstar <- S - diag(Psi)
  E <- eigen(Sstar, symmetric = TRUE)
  load <- E$vectors[, 1, drop = FALSE] * sqrt(max(E$values[1], 0))
  g <- load %*% t(load) + diag(Psi) - S
  diag(g)
}
FAout <- function(Psi, S) {
  sc <- diag(1 / sqrt(Psi)); E <- eigen(sc %*% S %*% sc, symmetric = TRUE)
  as.vector(diag(sqrt(Psi)) %*% (E$vectors[, 1] * sqrt(max(E$values[1] - 1, 0))))
}
FAout.wls <- function(Psi, S) {
  diag(S) <- diag(S) - Psi; E <- eigen(S, symmetric = TRUE)
  E$vectors[, 1] * sqrt(max(E$values[1], 0))
}
signed <- function(l) if (sum(l) < 0) -l else l
omega_total <- function(l) sum(l)^2 / (sum(l)^2 + sum(1 - l^2))

tight <- function(R, fm, start) {
  ctl <- list(factr = 0, pgtol = 0, maxit = 100000, parscale = rep(0.01, ncol(R)))
  if (fm == "ml") {
    o <- optim(start, FAfn, FAgr, method = "L-BFGS-B", lower = 1e-6, upper = 1, control = ctl, S = R, nf = 1)
    l <- FAout(o$par, R)
  } else {
    o <- optim(start, fit.residuals, FAgr.minres, method = "L-BFGS-B", lower = 1e-6, upper = 1, control = ctl, S = R, nf = 1)
    l <- FAout.wls(o$par, R)
  }
  # L-BFGS-B stops on the objective, whose flatness leaves the uniquenesses about 1e-6 off
  # even at factr = 0; polish by Newton on psych's own gradient (FAgr / FAgr.minres = 0),
  # Jacobian by central differences, while the solution is interior
  gr <- if (fm == "ml") function(p) FAgr(p, R, 1) else function(p) FAgr.minres(p, R, 1)
  par <- o$par
  if (all(par > 1e-5)) {
    for (i in 1:30) {
      g <- gr(par)
      J <- sapply(seq_along(par), function(k) {
        h <- 1e-6 * max(1, abs(par[k])); e <- replace(numeric(length(par)), k, h)
        (gr(par + e) - gr(par - e)) / (2 * h)
      })
      step <- tryCatch(solve(J, g), error = function(e) rep(0, length(par)))
      if (any(par - step <= 0)) break
      par <- par - step
      if (max(abs(step)) < 1e-15) break
    }
  }
  l <- if (fm == "ml") FAout(par, R) else FAout.wls(par, R)
  list(loadings = signed(l), psi = par, value = o$value, convergence = o$convergence,
       gradient = max(abs(gr(par))))
}

lavaan_ml <- function(S, n) {
  p <- ncol(S); nm <- paste0("x", 1:p); dimnames(S) <- list(nm, nm)
  model <- paste("f =~", paste(nm, collapse = " + "))
  S <- cov2cor(S)
  fit <- tryCatch(suppressWarnings(cfa(model, sample.cov = S, sample.nobs = n, std.lv = TRUE,
                                       optim.method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))),
                  error = function(e) NULL)
  if (is.null(fit)) return(NULL)
  # BFGS restarted from its own estimates until the loadings settle (each restart resets
  # the Hessian approximation)
  for (i in 1:5) {
    fit <- suppressWarnings(cfa(model, sample.cov = S, sample.nobs = n, std.lv = TRUE, start = fit,
                                optim.method = "BFGS", control = list(reltol = 1e-16, maxit = 10000)))
  }
  ss <- standardizedSolution(fit)
  l <- ss$est.std[ss$op == "=~"]
  list(loadings = signed(l), version = as.character(packageVersion("lavaan")))
}

one_case <- function(name, x = NULL, S = NULL, n = NULL, note = NULL) {
  if (!is.null(x)) {
    xc <- na.omit(x); n <- nrow(xc); S <- cov(xc)
  }
  R <- cov2cor(S)
  out <- list(name = name, n = n, items = ncol(S))
  if (!is.null(x)) {
    x <- unname(x)
    out$data <- lapply(seq_len(nrow(x)), function(i) lapply(x[i, ], function(v) if (is.na(v)) NULL else v))
  } else {
    out$covariance <- lapply(seq_len(nrow(S)), function(i) as.list(unname(S[i, ])))
  }
  if (!is.null(note)) out$note <- note
  for (fm in c("ml", "minres")) {
    f <- tryCatch(suppressWarnings(suppressMessages(fa(R, nfactors = 1, fm = fm, n.obs = n))),
                  error = function(e) conditionMessage(e))
    if (is.character(f)) {
      out[[fm]] <- list(psych_error = f)
      next
    }
    fl <- signed(as.vector(f$loadings))
    t <- tryCatch(tight(R, fm, pmin(pmax(1 - f$communalities, 1e-6), 1)), error = function(e) NULL)
    if (is.null(t)) {
      out[[fm]] <- list(psych_error = "the tight re-minimisation of psych's objective failed (non-finite objective)",
                        fa_loadings = signed(as.vector(f$loadings)))
      next
    }
    heywood <- any(t$psi <= 1e-6 * 1.0001) || any(1 - t$loadings^2 <= 0)
    m <- list(
      fa_loadings = fl, fa_uniquenesses = as.vector(f$uniquenesses),
      fa_max_diff = max(abs(fl - t$loadings)),
      loadings = t$loadings, uniquenesses = 1 - t$loadings^2,
      omega = if (heywood) "heywood" else omega_total(t$loadings),
      psych_par = t$psi, objective = t$value, max_abs_gradient = t$gradient, heywood = heywood
    )
    if (fm == "ml" && !heywood) {
      lv <- lavaan_ml(S, n)
      if (!is.null(lv)) {
        m$lavaan_loadings <- lv$loadings
        m$lavaan_max_diff <- max(abs(lv$loadings - t$loadings))
      }
    }
    out[[fm]] <- m
  }
  out
}

one_factor <- function(n, loadings) {
  f <- rnorm(n)
  sapply(loadings, function(l) l * f + rnorm(n, sd = sqrt(1 - l^2)))
}
likert <- function(x, points = 5) {
  apply(x, 2, function(v) as.numeric(cut(v, breaks = quantile(v, seq(0, 1, length.out = points + 1)),
                                         include.lowest = TRUE)))
}
data(bfi)
cases <- list(
  one_case("bfi_agreeableness_A1_A5_first_300", x = as.matrix(bfi[1:300, 1:5]),
           note = "psych::bfi rows 1-300, A1 is reverse keyed (negative loading); listwise"),
  one_case("bfi_conscientiousness_C1_C5_first_300", x = as.matrix(bfi[1:300, 6:10])),
  one_case("bfi_neuroticism_N1_N5_first_300", x = as.matrix(bfi[1:300, 16:20])),
  one_case("ability_cov_6", S = ability.cov$cov, n = ability.cov$n.obs,
           note = "datasets::ability.cov (covariances of 6 tests, n = 112): scaled to correlations"),
  one_case("congeneric_6_n200", x = round(one_factor(200, c(0.8, 0.75, 0.7, 0.6, 0.5, 0.4)), 4)),
  one_case("congeneric_4_n60", x = round(one_factor(60, c(0.7, 0.65, 0.6, 0.3)), 4)),
  one_case("high_loading_6_n100", x = round(one_factor(100, c(0.95, 0.8, 0.7, 0.6, 0.5, 0.4)), 4),
           note = "population loading 0.95 on item 1: near the boundary but proper in this sample"),
  one_case("wai_like_12_likert_n150", x = likert(one_factor(150, seq(0.5, 0.85, length.out = 12)))),
  one_case("three_items_n40", x = round(one_factor(40, c(0.7, 0.6, 0.5)), 3),
           note = "3 items: the one-factor model is just identified (exact fit when proper)"),
  one_case("weak_items_5_n80", x = round(one_factor(80, c(0.35, 0.3, 0.3, 0.25, 0.4)), 3)),
  one_case("many_items_20_n300", x = round(one_factor(300, seq(0.3, 0.8, length.out = 20)), 3)),
  one_case("large_scale_values_4_n50", x = 1000 + 50 * round(one_factor(50, c(0.7, 0.8, 0.6, 0.75)), 3)),
  one_case("parallel_matrix_5", S = { R <- matrix(0.36, 5, 5); diag(R) <- 1; R }, n = 100,
           note = "exact parallel items, loading 0.6: omega equals the standardized alpha"),
  one_case("heywood_matrix_3", S = matrix(c(1, 0.8, 0.7, 0.8, 1, 0.5, 0.7, 0.5, 1), 3), n = 100,
           note = "r12 r13 / r23 = 1.12 > 1: a Heywood case (lambda_1^2 above 1 for minres)"),
  one_case("heywood_matrix_4", S = matrix(c(1, 0.9, 0.85, 0.3, 0.9, 1, 0.8, 0.25, 0.85, 0.8, 1, 0.2, 0.3, 0.25, 0.2, 1), 4), n = 150,
           note = "one item nearly determined by the others"),
  one_case("tiny_n3_k3", x = matrix(c(1, 2, 2, 3, 3, 5, 5, 4, 4), 3, byrow = TRUE),
           note = "n = 3 < 4: R singular"),
  one_case("tiny_n5_k4", x = matrix(c(1, 2, 2, 1, 3, 3, 4, 2, 5, 4, 4, 5, 2, 1, 3, 2, 4, 5, 5, 4), 5, byrow = TRUE),
           note = "n = 5"),
  one_case("nearly_perfect_correlation_n30", x = { z <- rnorm(30); round(cbind(z, z + rnorm(30, sd = 0.01), z + rnorm(30, sd = 0.02), z + rnorm(30, sd = 1)), 5) })
)
write(toJSON(list(
  provenance = list(
    generator = "tests/reference/omega.R (set.seed(20261129))",
    R = R.version.string, psych = as.character(packageVersion("psych")),
    lavaan = as.character(packageVersion("lavaan")),
    call = "psych::fa(cor(na.omit(x)), nfactors = 1, fm = fm, n.obs = n); tight: psych's objective re-minimised (see the header)",
    omega = "(sum l)^2 / ((sum l)^2 + sum(1 - l^2)) on the tight loadings; McDonald (1999) eq. 6.20b",
    errors = "constant items, 1 and 2 items are refused by the crate (tests/reliability_extra.rs), not stored here"
  ),
  cases = cases
), auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), stdout())
