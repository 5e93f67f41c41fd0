# R side of repeated_reference.py: rmcorr() of CRAN rmcorr 0.7.0 and agree_nest() of CRAN
# SimplyAgree 0.3.0 on every case, their R files source()d (rmcorr needs stats and psych;
# agree_nest needs dplyr and tidyr, and lme4/emmeans only for prop_bias = TRUE, not used).
# Usage: Rscript repeated_r.R rmcorr.R agree_nest.R bland1995.rda cases.json out.json
suppressMessages({
  library(dplyr)
  library(tidyr)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
source(args[1])
source(args[2])
load(args[3])
cases <- fromJSON(args[4], simplifyVector = FALSE)
num <- function(v) if (is.null(v)) NA_real_ else as.numeric(v)
out <- list()
for (c in cases) {
  d <- data.frame(
    id = factor(unlist(c$subjects), levels = unique(unlist(c$subjects))),
    x = vapply(c$first, num, 0.0),
    y = vapply(c$second, num, 0.0)
  )
  res <- list()
  rm <- tryCatch(suppressWarnings(rmcorr(id, x, y, d)), error = function(e) NULL)
  if (!is.null(rm) && is.finite(rm$r)) {
    res$rmcorr <- list(
      call = "rmcorr(id, x, y, d)", r = unname(rm$r), df = rm$df, p = rm$p,
      ci = if (all(is.finite(rm$CI))) unname(rm$CI) else NULL
    )
  }
  complete <- d[stats::complete.cases(d), ]
  sizes <- table(droplevels(complete$id))
  if (length(sizes) >= 2 && all(sizes >= 2)) {
    an <- tryCatch(
      suppressWarnings(agree_nest(x = "x", y = "y", id = "id", data = d, TOST = FALSE, ccc = FALSE)),
      error = function(e) NULL
    )
    if (!is.null(an)) {
      res$agree_nest <- list(
        call = "agree_nest(x = 'x', y = 'y', id = 'id', data = d, TOST = FALSE, ccc = FALSE)",
        bias = an$loa["Bias", "estimate"],
        bias_ci = c(an$loa["Bias", "lower.ci"], an$loa["Bias", "upper.ci"]),
        lower_limit = an$loa["Lower LoA", "estimate"],
        lower_limit_ci = c(an$loa["Lower LoA", "lower.ci"], an$loa["Lower LoA", "upper.ci"]),
        upper_limit = an$loa["Upper LoA", "estimate"],
        upper_limit_ci = c(an$loa["Upper LoA", "lower.ci"], an$loa["Upper LoA", "upper.ci"]),
        variance = an$var_comp$var_tot,
        within_variance = an$var_comp$sdw2
      )
    }
  }
  out[[c$name]] <- res
}
versions <- list(
  R = paste(R.version$major, R.version$minor, sep = "."),
  rmcorr = "0.7.0 (R/rmcorr.R source()d)",
  SimplyAgree = "0.3.0 (R/agree_nest.R source()d)",
  psych = as.character(packageVersion("psych")),
  dplyr = as.character(packageVersion("dplyr")),
  tidyr = as.character(packageVersion("tidyr"))
)
writeLines(toJSON(list(cases = out, versions = versions), auto_unbox = TRUE, digits = NA, null = "null"), args[5])
