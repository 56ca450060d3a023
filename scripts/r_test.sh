#!/usr/bin/env bash
# Tests the R examples (examples/r/) against the real binary: installs R with readr, dplyr
# and ggplot2 from Debian's packages if missing (as root; about 20 s), builds
# target/release/relocant if missing, makes a small run and a small sweep in a temporary
# directory, runs read_run.R and read_sweep.R on them and checks that each exits 0 and
# writes its PNG. Idempotent; removes what it made.
#
#   scripts/r_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
t0=$(date +%s)
passed=0
failed=0

say() { echo "r_test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

r_ready() {
    command -v Rscript >/dev/null &&
        Rscript -e 'for (p in c("readr", "dplyr", "ggplot2")) if (!requireNamespace(p, quietly = TRUE)) quit(status = 1)' \
            >/dev/null 2>&1
}

if ! r_ready; then
    [ "$(id -u)" = 0 ] || fail "R with readr, dplyr and ggplot2 is missing; as root: apt-get install r-base-core r-cran-readr r-cran-dplyr r-cran-ggplot2"
    say "installing R, readr, dplyr and ggplot2 (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # No recommends: they add compilers and documentation the scripts do not need.
    apt-get install -y -qq --no-install-recommends \
        r-base-core r-cran-readr r-cran-dplyr r-cran-ggplot2 >/dev/null
    r_ready || fail "R packages still missing after apt-get install"
fi

. "$repo/scripts/binary.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1 agent = 400 persons: each run takes about 0.1 s.
"$binary" run --quiet --no-plots --replicates 3 --set arrivals.persons_per_agent=400 \
    --out "$work/run" >/dev/null
cat >"$work/tiny.toml" <<'EOF'
name = "tiny"
seed = 20220921
replicates = 2
design = "grid"

[set]
arrivals.persons_per_agent = 400

[params]
policy.border_run_ban.date = [2023-01-27, 2023-07-01]
decisions.money = [1.0, 2.0]
EOF
"$binary" sweep "$work/tiny.toml" --quiet --no-plots --out "$work/sweep" >/dev/null

# check NAME PNG COMMAND...: COMMAND exits 0 and PNG is a non-empty PNG file.
check() {
    local name=$1 png=$2
    shift 2
    if "$@" >"$work/$name.log" 2>&1 && [ -s "$png" ] && [ "$(head -c 4 "$png" | tail -c 3)" = PNG ]; then
        passed=$((passed + 1))
        say "ok: $name"
    else
        failed=$((failed + 1))
        say "FAILED: $name; its output:"
        cat "$work/$name.log" >&2
    fi
}

check read_run "$work/run.png" Rscript examples/r/read_run.R "$work/run" "$work/run.png"
check read_sweep "$work/sweep.png" Rscript examples/r/read_sweep.R "$work/sweep" "$work/sweep.png"
# Without OUT, each writes its default file name into the current directory.
check read_run_default "$work/outcome_shares.png" \
    env -C "$work" Rscript "$repo/examples/r/read_run.R" run
check read_sweep_default "$work/sweep_shares.png" \
    env -C "$work" Rscript "$repo/examples/r/read_sweep.R" sweep

# A directory of the wrong kind is refused with a message, not a stack of R errors.
if ! Rscript examples/r/read_run.R "$work/sweep" >"$work/wrong.log" 2>&1 &&
    grep -q "not a relocant run directory" "$work/wrong.log"; then
    passed=$((passed + 1))
    say "ok: read_run refuses a sweep directory"
else
    failed=$((failed + 1))
    say "FAILED: read_run on a sweep directory should fail with a message"
    cat "$work/wrong.log" >&2
fi

say "done in $(( $(date +%s) - t0 )) s"
echo "r_test: $passed passed, $failed failed"
[ "$failed" = 0 ]
