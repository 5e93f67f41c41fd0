# Second reference for tests/reference/continuous_reference.py: R psych::ICC and psych::alpha.
# Usage: Rscript continuous_psych.R in.json out.json  (called by continuous_reference.py)
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
input <- fromJSON(args[1], simplifyVector = FALSE)
as_matrix <- function(rows) {
  m <- do.call(rbind, lapply(rows, function(r) sapply(r, function(v) if (is.null(v)) NA_real_ else as.numeric(v))))
  m
}
out <- list(psych_version = as.character(packageVersion("psych")), r_version = R.version.string)
out$icc <- lapply(input$icc, function(rows) {
  x <- as_matrix(rows)
  res <- suppressWarnings(psych::ICC(na.omit(x), alpha = 0.05, lmer = FALSE))$results
  list(type = as.character(res$type), ICC = res$ICC, F = res$F, df1 = res$df1, df2 = res$df2,
       p = res$p, lower = res[["lower bound"]], upper = res[["upper bound"]])
})
out$alpha <- lapply(input$alpha, function(rows) {
  x <- as_matrix(rows)
  a <- suppressWarnings(suppressMessages(psych::alpha(as.data.frame(x), use = "complete.obs", warnings = FALSE)))
  list(raw_alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
       drop_raw_alpha = a$alpha.drop$raw_alpha, r_drop = a$item.stats$r.drop)
})
out$spearman_exact <- lapply(input$spearman, function(xy) {
  x <- as.numeric(unlist(xy$x)); y <- as.numeric(unlist(xy$y))
  list(p = cor.test(x, y, method = "spearman", exact = TRUE)$p.value,
       rho = unname(cor.test(x, y, method = "spearman", exact = TRUE)$estimate))
})
write(toJSON(out, digits = NA, auto_unbox = TRUE), args[2])
