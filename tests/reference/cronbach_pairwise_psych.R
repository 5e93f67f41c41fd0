# Reference for alliance::reliability::cronbach_alpha_pairwise: R psych::alpha with pairwise
# deletion, on the "pairwise_cases" of tests/reference/cronbach_reference.json (read only).
#
# Usage (Debian: apt-get install -y r-cran-psych r-cran-jsonlite):
#   Rscript tests/reference/cronbach_pairwise_psych.R tests/reference/cronbach_reference.json \
#     tests/reference/cronbach_pairwise_psych.json
#
# Call: psych::alpha(x, use = "pairwise", warnings = FALSE). Stored per case:
#   raw_alpha, std_alpha     a$total$raw_alpha, a$total$std.alpha (covariances and correlations
#                            from cov/cor(use = "pairwise"): each pair on its own complete rows)
#   feldt_lower, feldt_upper a$feldt$lower.ci, a$feldt$upper.ci: Feldt's interval on
#                            n.obs = nrow(x), every row (FeldtN::AllRespondents), unrounded
#   n_obs                    nrow(x)
#   smoothed                 whether psych smoothed a non-positive-definite correlation
#                            matrix (cor.smooth); then std_alpha is not the plain one
suppressPackageStartupMessages({
  library(jsonlite)
  library(psych)
})
args <- commandArgs(trailingOnly = TRUE)
input <- fromJSON(args[1], simplifyVector = FALSE)
as_matrix <- function(rows) {
  do.call(rbind, lapply(rows, function(r) sapply(r, function(v) if (is.null(v)) NA_real_ else as.numeric(v))))
}
cases <- lapply(input$pairwise_cases, function(case) {
  x <- as.data.frame(as_matrix(case$data))
  smoothed <- FALSE
  a <- withCallingHandlers(
    suppressMessages(psych::alpha(x, use = "pairwise", warnings = FALSE)),
    warning = function(w) {
      if (grepl("smoothing", conditionMessage(w))) smoothed <<- TRUE
      invokeRestart("muffleWarning")
    }
  )
  list(name = case$name, raw_alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
       feldt_lower = a$feldt$lower.ci[[1]], feldt_upper = a$feldt$upper.ci[[1]],
       n_obs = nrow(x), smoothed = smoothed)
})
out <- list(
  provenance = list(generator = "tests/reference/cronbach_pairwise_psych.R",
                    call = "psych::alpha(x, use = 'pairwise', warnings = FALSE)",
                    psych = as.character(packageVersion("psych")), R = R.version.string),
  cases = cases)
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), args[2])
