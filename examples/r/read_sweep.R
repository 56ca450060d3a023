#!/usr/bin/env Rscript
# Reads a finished relocant sweep directory (from `relocant sweep`, or `relocant merge` of
# its shards) and draws the end-of-run shares of arrivals that integrated, moved on and
# returned against the sweep's first parameter, one line per value of the second (if any),
# from points.csv: the mean over replicates, with the 5-95% range over replicates as error
# bars. With more than two parameters each point is the mean over the other parameters'
# values (and has no error bar, since quantiles do not average). Prints the points' means.
#
#   Rscript examples/r/read_sweep.R SWEEP_DIR [OUT.png]    # default OUT: sweep_shares.png
#
# Needs readr, dplyr and ggplot2 (R >= 4.1); uses arrow's CSV reader when arrow is
# installed, readr otherwise.

suppressPackageStartupMessages({
  library(readr)
  library(dplyr)
  library(ggplot2)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1 || length(args) > 2) {
  stop("usage: Rscript read_sweep.R SWEEP_DIR [OUT.png]", call. = FALSE)
}
sweep_dir <- args[[1]]
out_png <- if (length(args) == 2) args[[2]] else "sweep_shares.png"
for (file in c("points.csv", "design.csv")) {
  if (!file.exists(file.path(sweep_dir, file))) {
    stop(sweep_dir, " has no ", file, ": not a finished sweep directory", call. = FALSE)
  }
}

read_relocant <- function(path) {
  if (requireNamespace("arrow", quietly = TRUE)) {
    tibble::as_tibble(arrow::read_csv_arrow(path))
  } else {
    read_csv(path, guess_max = Inf, show_col_types = FALSE, progress = FALSE)
  }
}

points <- read_relocant(file.path(sweep_dir, "points.csv"))
design <- read_relocant(file.path(sweep_dir, "design.csv"))
runs <- read_relocant(file.path(sweep_dir, "runs.csv"))

# The varied parameters, in the sweep's order: design.csv's columns other than `point` and
# the `<path>:unit` coordinates. Their names are dotted scenario keys.
params <- setdiff(names(design), "point")
params <- params[!endsWith(params, ":unit")]
x <- params[[1]]
group <- if (length(params) >= 2) params[[2]] else NULL

outcomes <- c(share_integrated = "integrated", share_moved_on = "moved on",
              share_returned = "returned")

# points.csv has five rows per point (stat = mean, sd, q05, q50, q95); this keeps one
# row per point and outcome with its mean and 5-95% range (tidyr is not needed).
stat_of <- function(name, column) {
  p <- points[points$stat == name, ]
  tibble(point = p$point, outcome = outcomes[[column]], x = p[[x]],
         group = if (is.null(group)) "all" else as.character(p[[group]]),
         !!name := p[[column]])
}
per_point <- bind_rows(lapply(names(outcomes), function(column) {
  stat_of("mean", column) |>
    inner_join(stat_of("q05", column), by = c("point", "outcome", "x", "group")) |>
    inner_join(stat_of("q95", column), by = c("point", "outcome", "x", "group"))
}))
shown <- per_point |>
  group_by(outcome, x, group) |>
  summarise(n = n(), mean = mean(mean), q05 = mean(q05), q95 = mean(q95), .groups = "drop") |>
  mutate(outcome = factor(outcome, levels = unname(outcomes)))

plot <- ggplot(shown, aes(x, mean, colour = group, group = group)) +
  geom_line(linewidth = 0.5) +
  geom_point(size = 1.5) +
  facet_wrap(~outcome, nrow = 1, scales = "free_y") +  # each outcome its own range
  scale_y_continuous(labels = scales::percent) +
  scale_colour_viridis_d(end = 0.85, name = if (is.null(group)) NULL else group) +
  labs(x = x, y = "share of arrivals, end of run",
       caption = sprintf("mean over %d replicates per point%s", max(runs$replicate) + 1,
                         if (length(params) > 2) ", and over the other parameters" else
                           "; bars: 5-95% range over replicates")) +
  theme_minimal(base_size = 10) +
  theme(legend.position = "bottom", panel.spacing = unit(6, "mm"))
if (length(params) <= 2) {
  plot <- plot + geom_errorbar(aes(ymin = q05, ymax = q95), width = 0, alpha = 0.6)
}
# A grid's few values as the axis breaks; otherwise a few round ones (dates as year-month).
# Room at the panels' sides so that the end labels of neighbouring panels do not collide.
values <- sort(unique(shown$x))
few <- length(values) <= 4
breaks <- if (few) values else scales::breaks_pretty(n = 3)
room <- expansion(mult = 0.15)
if (inherits(shown$x, "Date")) {
  plot <- plot + scale_x_date(breaks = breaks, date_labels = if (few) "%Y-%m-%d" else "%Y-%m",
                              expand = room) +
    theme(axis.text.x = element_text(angle = 30, hjust = 1))
} else if (is.numeric(shown$x)) {
  plot <- plot + scale_x_continuous(breaks = breaks, expand = room)
}
if (is.null(group)) plot <- plot + guides(colour = "none")
ggsave(out_png, plot, width = 170, height = 90, units = "mm", dpi = 300, bg = "white")

means <- points[points$stat == "mean", c("point", params, names(outcomes))]
print(as.data.frame(means), digits = 3, row.names = FALSE)
message("wrote ", out_png)
