# Reference values for src/multilevel: therapist effects (three-level REML), two-level REML,
# and the unbalanced one-way ANOVA ICC(1).
# Usage: Rscript therapist_effects.R therapist_effects.json
#
# REML: lme4::lmer with bobyqa at rhoend = 1e-12 (convergence checked: optimizer code 0 and a
# second fit from another start, Nelder-Mead, must agree to 1e-7 on the deviance).
# One-way ICC(1): mean squares, F and p from R's anova(lm(y ~ factor(g))) (independent of the
# crate's code); n0 = (N - sum(n_i^2)/N)/(k - 1) and the interval
# L = (FL - 1)/(FL + n0 - 1), U = (FU - 1)/(FU + n0 - 1), FL = F/qf(1 - a/2, k - 1, N - k),
# FU = F qf(1 - a/2, N - k, k - 1), transcribed here from Searle (1971) and Donner
# (1986); for balanced data also psych::statsBy's ICC1 and ci1 (psych uses the mean
# group size, equal to n0 only when balanced).
suppressPackageStartupMessages({library(lme4); library(jsonlite); library(psych)})
args <- commandArgs(trailingOnly = TRUE)
out_file <- if (length(args) >= 1) args[1] else "therapist_effects.json"

ctrl <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e6),
                    check.conv.singular = "ignore", calc.derivs = FALSE)
ctrl_nm <- lmerControl(optimizer = "Nelder_Mead",
                       optCtrl = list(FtolAbs = 1e-14, FtolRel = 1e-15, XtolRel = 1e-12, maxfun = 1e6),
                       check.conv.singular = "ignore", calc.derivs = FALSE)

# a nested design: sizes[[t]] = sessions of each client of therapist t; components (a, b, e) SDs
make3 <- function(seed, sizes, sd = c(1, 1, 1), mu = 5, digits = 3, unique_clients = TRUE) {
  set.seed(seed)
  rows <- list(); cid <- 0
  for (t in seq_along(sizes)) {
    at <- rnorm(1, 0, sd[1])
    for (j in seq_along(sizes[[t]])) {
      cid <- cid + 1
      bc <- rnorm(1, 0, sd[2])
      for (s in seq_len(sizes[[t]][j])) {
        rows[[length(rows) + 1]] <- c(t, if (unique_clients) cid else j,
                                      round(mu + at + bc + rnorm(1, 0, sd[3]), digits))
      }
    }
  }
  d <- as.data.frame(do.call(rbind, rows)); names(d) <- c("therapist", "client", "y"); d
}

# lme4 and lm do not centre y: on values near 1e4 with an SD of 0.01 they lose about six
# digits (the "large offset" cases). Every fit is therefore given y - round(mean(y)), an exact
# shift for these data (the components, F, p and the log-likelihood do not change; the
# intercept is shifted back). `uncentred_*` records what lme4 gives on the raw values.
shift <- function(d) round(mean(d$y))

fit3 <- function(d, centre = TRUE) {
  k <- if (centre) shift(d) else 0
  d$y <- d$y - k
  d$therapist <- factor(d$therapist); d$client <- factor(d$client)
  m <- suppressWarnings(lmer(y ~ 1 + (1 | therapist/client), data = d, REML = TRUE, control = ctrl))
  m2 <- suppressWarnings(lmer(y ~ 1 + (1 | therapist/client), data = d, REML = TRUE, control = ctrl_nm,
             start = list(theta = c(0.5, 0.5))))
  agree <- REMLcrit(m) - REMLcrit(m2) < 1e-7
  # bobyqa code 3 (a trust-region step failed to reduce the model) happens at rhoend = 1e-12
  # once the step is at rounding level; it is accepted only when Nelder-Mead finds no lower
  # criterion
  stopifnot(m@optinfo$conv$opt == 0 || (m@optinfo$conv$opt == 3 && agree))
  vc <- as.data.frame(VarCorr(m))
  v <- setNames(vc$vcov, vc$grp)
  list(therapist = unname(v["therapist"]), client = unname(v["client:therapist"]),
       session = unname(v["Residual"]), intercept = unname(fixef(m)[1]) + k, shift = k,
       intercept_se = sqrt(vcov(m)[1, 1]), log_likelihood = as.numeric(logLik(m)),
       theta = unname(getME(m, "theta")), reml_crit = REMLcrit(m),
       bobyqa_code = m@optinfo$conv$opt, second_optimizer_agrees = agree)
}

fit2 <- function(d, centre = TRUE) {
  k <- if (centre) shift(d) else 0
  d$y <- d$y - k
  d$g <- factor(d$g)
  m <- suppressWarnings(lmer(y ~ 1 + (1 | g), data = d, REML = TRUE, control = ctrl))
  m2 <- suppressWarnings(lmer(y ~ 1 + (1 | g), data = d, REML = TRUE, control = ctrl_nm, start = list(theta = 0.5)))
  agree <- REMLcrit(m) - REMLcrit(m2) < 1e-7
  stopifnot(m@optinfo$conv$opt == 0 || (m@optinfo$conv$opt == 3 && agree))
  vc <- as.data.frame(VarCorr(m))
  v <- setNames(vc$vcov, vc$grp)
  list(between = unname(v["g"]), within = unname(v["Residual"]), intercept = unname(fixef(m)[1]) + k,
       shift = k,
       intercept_se = sqrt(vcov(m)[1, 1]), log_likelihood = as.numeric(logLik(m)),
       theta = unname(getME(m, "theta")), reml_crit = REMLcrit(m),
       bobyqa_code = m@optinfo$conv$opt, second_optimizer_agrees = agree)
}

oneway <- function(d, level = 0.95) {
  g <- factor(d$g)
  y <- d$y - shift(d)
  a <- suppressWarnings(anova(lm(y ~ g)))
  msb <- a[1, "Mean Sq"]; msw <- a[2, "Mean Sq"]
  df1 <- a[1, "Df"]; df2 <- a[2, "Df"]
  ni <- as.numeric(table(g)); N <- sum(ni); k <- length(ni)
  n0 <- (N - sum(ni^2) / N) / (k - 1)
  F <- msb / msw
  p <- pf(F, df1, df2, lower.tail = FALSE)
  alpha <- 1 - level
  FL <- F / qf(1 - alpha / 2, df1, df2); FU <- F * qf(1 - alpha / 2, df2, df1)
  res <- list(ms_between = msb, ms_within = msw, df1 = df1, df2 = df2, n0 = n0, F = F, p = p,
              icc1 = (msb - msw) / (msb + (n0 - 1) * msw), between_variance = (msb - msw) / n0,
              lower = (FL - 1) / (FL + n0 - 1), upper = (FU - 1) / (FU + n0 - 1),
              balanced = length(unique(ni)) == 1, level = level)
  if (res$balanced) {
    # statsBy needs two variables besides the group (a dummy z is added)
    sb <- suppressWarnings(psych::statsBy(data.frame(g = as.numeric(g), y = d$y, z = seq_along(d$y)), group = "g",
                                          alpha = alpha))
    res$psych_statsBy <- list(ICC1 = unname(sb$ICC1["y"]), F = unname(sb$F["y"]),
                              lower = unname(sb$ci1["y", 1]), upper = unname(sb$ci1["y", 2]))
  }
  res
}

counts3 <- function(d) {
  cl <- unique(d[, c("therapist", "client")])
  per_t <- table(cl$therapist)
  per_c <- table(paste(d$therapist, d$client))
  list(n = nrow(d), therapists = length(per_t), clients = nrow(cl),
       therapists_with_one_client = sum(per_t == 1), clients_with_one_session = sum(per_c == 1))
}

rows3 <- function(d) unname(lapply(seq_len(nrow(d)), function(i) c(d$therapist[i], d$client[i], d$y[i])))
rows2 <- function(d) unname(lapply(seq_len(nrow(d)), function(i) c(d$g[i], d$y[i])))

# a boundary case: the first seed whose lme4 estimate at `which` is exactly 0
boundary3 <- function(which, sizes, sd, from = 1) {
  for (seed in from:(from + 500)) {
    d <- make3(seed, sizes, sd)
    f <- fit3(d)
    if (all(f[which] == 0) && f$session > 0) return(list(d = d, seed = seed))
  }
  stop("no boundary seed")
}

cases3 <- list()
add3 <- function(name, d, seed = NA, note = "") {
  entry <- c(list(name = name, seed = seed, note = note, rows = rows3(d)), counts3(d))
  if (length(unique(d$y)) == 1) {
    entry$constant <- TRUE
  } else {
    entry$constant <- FALSE
    entry$lme4 <- fit3(d)
    if (abs(mean(d$y)) > 100) entry$uncentred_lme4 <- fit3(d, centre = FALSE)
  }
  cases3[[length(cases3) + 1]] <<- entry
}

add3("balanced 4 therapists x 3 clients x 4 sessions", make3(1, rep(list(rep(4, 3)), 4), c(1, 1.5, 1)), 1)
add3("unbalanced 6 therapists", make3(2, list(c(3, 5, 2), c(8, 1), c(4, 4, 6, 2, 3), c(2), c(5, 7, 1, 2), c(3, 3)), c(0.8, 1, 1)), 2)
add3("tiny: 2 therapists, 3 clients, 5 sessions", make3(3, list(c(2, 1), c(2)), c(1, 1, 1)), 3)
add3("a therapist with one client", make3(4, list(c(4), c(3, 5, 2), c(6, 2), c(3)), c(1, 1, 0.7)), 4)
add3("clients with one session", make3(5, list(c(1, 1, 3, 1), c(1, 2, 1), c(1, 1, 1, 4), c(2, 1)), c(1, 1, 1)), 5)
b <- boundary3("therapist", list(c(3, 4, 2), c(5, 2), c(3, 3, 3), c(2, 6), c(4, 1, 3)), c(0, 1, 1))
add3("zero therapist variance (boundary)", b$d, b$seed, "lme4 estimates the therapist variance as exactly 0")
b <- boundary3("client", list(c(3, 4, 2), c(5, 2), c(3, 3, 3), c(2, 6), c(4, 1, 3)), c(1, 0, 1))
add3("zero client variance (boundary)", b$d, b$seed, "lme4 estimates the client variance as exactly 0")
b <- boundary3(c("therapist", "client"), list(c(3, 4), c(5, 2), c(3, 3)), c(0, 0, 1))
add3("zero therapist and client variance (both on the boundary)", b$d, b$seed, "both 0")
d <- make3(9, list(c(3, 2), c(2, 4), c(3)), c(1, 1, 1)); d$y <- 4.5
add3("constant values", d, 9, "every value equal: typed undefined, counts kept")
add3("many small groups: 40 therapists x 2 clients x 2 sessions", make3(10, rep(list(c(2, 2)), 40), c(0.5, 0.7, 1)), 10)
add3("large offset (1e4 + small)", make3(11, list(c(3, 2), c(4, 3, 2), c(2, 5), c(3)), c(0.01, 0.02, 0.015), mu = 10000, digits = 4), 11)
d <- make3(12, list(c(4, 3, 5), c(2, 6), c(3, 3, 4), c(5, 2, 2, 3)), c(0.7, 1, 1.2)); d$y <- pmin(7, pmax(1, round(d$y)))
add3("Likert integers 1-7", d, 12)
add3("client labels repeat across therapists (nested)", make3(13, list(c(3, 2, 4), c(2, 5), c(4, 4), c(3, 1, 2)), c(1, 1, 1), unique_clients = FALSE), 13,
     "client ids 1, 2, ... restart under each therapist: (therapist, client) is the client")
add3("large therapist effect", make3(14, list(c(3, 3), c(2, 4, 3), c(5, 2), c(3, 3, 2), c(4)), c(3, 0.5, 0.5)), 14)
add3("small session variance", make3(15, list(c(3, 3, 2), c(2, 4), c(5, 2, 3), c(3, 3)), c(1, 1, 0.05)), 15)
add3("larger caseload: 20 therapists", make3(16, lapply(1:20, function(t) sample(1:12, sample(1:8, 1), replace = TRUE)), c(0.6, 1, 1.1)), 16)
add3("two therapists, many clients", make3(17, list(sample(1:6, 15, TRUE), sample(1:6, 11, TRUE)), c(1, 1, 1)), 17)
add3("unbalanced, seed 18", make3(18, list(c(1, 2, 3), c(4), c(2, 2, 7, 1), c(3, 1), c(2, 2)), c(0.9, 0.6, 1)), 18)

# two levels: sizes of groups
make2 <- function(seed, sizes, sd = c(1, 1), mu = 5, digits = 3) {
  set.seed(seed)
  rows <- list()
  for (g in seq_along(sizes)) {
    a <- rnorm(1, 0, sd[1])
    for (s in seq_len(sizes[g])) rows[[length(rows) + 1]] <- c(g, round(mu + a + rnorm(1, 0, sd[2]), digits))
  }
  d <- as.data.frame(do.call(rbind, rows)); names(d) <- c("g", "y"); d
}
cases2 <- list()
add2 <- function(name, d, seed = NA, note = "") {
  ni <- table(d$g)
  entry <- list(name = name, seed = seed, note = note, rows = rows2(d), n = nrow(d),
                groups = length(ni), groups_with_one = sum(ni == 1))
  if (length(unique(d$y)) == 1) {
    entry$constant <- TRUE
  } else {
    entry$constant <- FALSE
    entry$lme4 <- fit2(d)
    if (abs(mean(d$y)) > 100) entry$uncentred_lme4 <- fit2(d, centre = FALSE)
    entry$oneway <- oneway(d)
    entry$oneway_90 <- oneway(d, 0.90)
  }
  cases2[[length(cases2) + 1]] <<- entry
}
add2("balanced 6 x 4", make2(21, rep(4, 6)), 21)
add2("balanced 10 x 2", make2(22, rep(2, 10), c(0.5, 1)), 22)
add2("balanced 3 x 5", make2(23, rep(5, 3)), 23)
add2("unbalanced 8 groups", make2(24, c(3, 5, 2, 8, 1, 4, 6, 2)), 24)
add2("tiny: 2 groups, 3 values", make2(25, c(2, 1)), 25)
add2("groups with one value", make2(26, c(1, 1, 3, 1, 2, 1, 4)), 26)
for (seed in 27:400) { d <- make2(seed, c(3, 4, 2, 5, 3), c(0, 1)); if (fit2(d)$between == 0) break }
add2("zero between variance (boundary)", d, seed, "lme4 estimates the between variance as exactly 0")
d <- make2(28, c(3, 2, 4)); d$y <- 6
add2("constant values", d, 28)
add2("many small groups: 60 x 2", make2(29, rep(2, 60), c(0.7, 1)), 29)
add2("large offset", make2(30, c(4, 3, 5, 2), c(0.02, 0.01), mu = 1e4, digits = 4), 30)
d <- make2(31, c(5, 3, 4, 6, 2, 3)); d$y <- pmin(7, pmax(1, round(d$y)))
add2("Likert integers", d, 31)
add2("large ICC", make2(32, c(4, 2, 3, 5, 3), c(5, 0.5)), 32)
add2("small ICC, unbalanced", make2(33, c(6, 2, 9, 3, 4, 5, 2, 7), c(0.3, 1)), 33)
add2("unbalanced, seed 34", make2(34, sample(1:10, 12, TRUE)), 34)
add2("two groups, unbalanced", make2(35, c(7, 3)), 35)
add2("balanced 2 x 2", make2(36, c(2, 2)), 36)
d <- data.frame(g = c(1, 1, 2, 2, 3, 3), y = c(1, 2, 1, 2, 1, 2))
add2("equal group means (MSB = 0)", d, NA, "F = 0, ICC(1) = -1/(n0 - 1)")

out <- list(
  r_version = R.version.string,
  lme4_version = as.character(packageVersion("lme4")),
  psych_version = as.character(packageVersion("psych")),
  calls = list(
    three_level = "lmer(y ~ 1 + (1 | therapist/client), data, REML = TRUE, control = lmerControl(optimizer = 'bobyqa', optCtrl = list(rhoend = 1e-12, maxfun = 1e6)))",
    two_level = "lmer(y ~ 1 + (1 | g), data, REML = TRUE, same control)",
    oneway = "anova(lm(y ~ factor(g))); n0 and interval from Searle (1971) / Donner (1986) transcribed in R; psych::statsBy(ICC1, ci1) for balanced data"),
  three_level = cases3, two_level = cases2)
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = FALSE), out_file)
