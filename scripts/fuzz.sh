#!/usr/bin/env bash
# Runs the fuzzer of tests/fuzz.rs (every input kind: scenario files and --set, sweep,
# targets, params and experiment files, the result files plot, table, merge, analyze and
# sweep --resume read) with new seeds until the time is up, and stops at the first case
# that breaks the promise (exit 0/1/2, never a panic or a signal; rejections located;
# nothing left behind on failure), printing its seed, input and message.
#
#   scripts/fuzz.sh [MINUTES] [CASES_PER_KIND_PER_ROUND]     # default: 10 minutes, 200
#
# A failing round is reproduced with
#   RELOCANT_FUZZ_SEED=<seed> RELOCANT_FUZZ_CASES=<cases> cargo test --release --test fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
cases=${2:-200}
cargo build --release --tests -q
deadline=$(( $(date +%s) + 60 * minutes ))
seed=$(( $(date +%s) % 1000000 ))
rounds=0
while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! RELOCANT_FUZZ_SEED=$seed RELOCANT_FUZZ_CASES=$cases \
        cargo test --release -q --test fuzz 2>&1 | tail -40; then
        echo "fuzz: seed $seed broke the promise (RELOCANT_FUZZ_SEED=$seed RELOCANT_FUZZ_CASES=$cases)" >&2
        exit 1
    fi
    rounds=$(( rounds + 1 ))
    seed=$(( seed + 1 ))
done
echo "fuzz: $rounds rounds of $cases cases per input kind, no broken promise" >&2
