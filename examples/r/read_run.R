#!/usr/bin/env Rscript
# Reads a relocant run directory (from `relocant run`) and draws the outcome shares of
# arrivals over time: for each day, present, integrated, moved on and returned as shares of
# those who had arrived by then, the mean over replicates with the 5-95% range as a band,
# the scenario's policy events as dashed lines. Prints the end-of-run shares of summary.csv.
#
#   Rscript examples/r/read_run.R RUN_DIR [OUT.png]      # default OUT: outcome_shares.png
#
# Needs readr, dplyr and ggplot2 (R >= 4.1); uses arrow's CSV reader when arrow is
# installed (faster on full-scale runs), readr otherwise.

suppressPackageStartupMessages({
  library(readr)
  library(dplyr)
  library(ggplot2)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1 || length(args) > 2) {
  stop("usage: Rscript read_run.R RUN_DIR [OUT.png]", call. = FALSE)
}
run_dir <- args[[1]]
out_png <- if (length(args) == 2) args[[2]] else "outcome_shares.png"
if (!file.exists(file.path(run_dir, "daily.csv"))) {
  stop(run_dir, " has no daily.csv: not a relocant run directory", call. = FALSE)
}

# One relocant CSV file as a tibble, a `date` column as Date.
read_relocant <- function(path) {
  if (requireNamespace("arrow", quietly = TRUE)) {
    table <- tibble::as_tibble(arrow::read_csv_arrow(path))
  } else {
    # guess_max = Inf: guess column types from every row, not the first 1000 (columns such
    # as ties_* are 0 for the first days of a replicate).
    table <- read_csv(path, guess_max = Inf, show_col_types = FALSE, progress = FALSE)
  }
  if ("date" %in% names(table)) table$date <- as.Date(table$date)
  table
}

daily <- read_relocant(file.path(run_dir, "daily.csv"))
summary_table <- read_relocant(file.path(run_dir, "summary.csv"))
events_path <- file.path(run_dir, "events.csv")
events <- if (file.exists(events_path)) read_relocant(events_path) else NULL

# daily.csv column -> label, and the colours relocant's own figures give each outcome
# (Okabe-Ito, colour-blind safe).
outcomes <- c(present = "present", integrated = "integrated",
              moved_on = "moved on", returned = "returned")
colours <- c("present" = "#0072B2", "integrated" = "#009E73",
             "moved on" = "#E69F00", "returned" = "#D55E00")

# Shares of arrivals to date, per replicate and day (day 0, before anyone arrives, has none).
arrived <- filter(daily, arrived > 0)
long <- bind_rows(lapply(names(outcomes), function(column) {
  tibble(replicate = arrived$replicate, date = arrived$date,
         outcome = outcomes[[column]], share = arrived[[column]] / arrived$arrived)
}))
shares <- long |>
  group_by(outcome, date) |>
  summarise(mean = mean(share), low = quantile(share, 0.05), high = quantile(share, 0.95),
            .groups = "drop") |>
  mutate(outcome = factor(outcome, levels = unname(outcomes)))

plot <- ggplot(shares, aes(date, mean, colour = outcome, fill = outcome)) +
  geom_ribbon(aes(ymin = low, ymax = high), alpha = 0.2, colour = NA) +
  geom_line(linewidth = 0.6) +
  scale_colour_manual(values = colours, name = NULL) +
  scale_fill_manual(values = colours, name = NULL) +
  scale_y_continuous(labels = scales::percent, limits = c(0, 1)) +
  labs(x = NULL, y = "share of arrivals to date",
       caption = sprintf("mean and 5-95%% range over %d replicates",
                         length(unique(daily$replicate)))) +
  theme_minimal(base_size = 10) +
  theme(legend.position = "bottom")
if (!is.null(events) && nrow(events) > 0) {
  plot <- plot + geom_vline(xintercept = events$date, linetype = "dashed",
                            colour = "grey60", linewidth = 0.3)
}
ggsave(out_png, plot, width = 170, height = 100, units = "mm", dpi = 300, bg = "white")

# End-of-run shares: mean and 5-95% range over the replicates' rows of summary.csv (those
# with a replicate number: older versions of relocant also put rows of statistics there).
per_replicate <- summary_table |>
  filter(!is.na(replicate)) |>
  select(starts_with("share_"))
end_of_run <- data.frame(
  stat = c("mean", "q05", "q95"),
  rbind(colMeans(per_replicate),
        apply(per_replicate, 2, quantile, probs = 0.05),
        apply(per_replicate, 2, quantile, probs = 0.95)),
  check.names = FALSE
)
print(end_of_run, digits = 3, row.names = FALSE)
message("wrote ", out_png)
