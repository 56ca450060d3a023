#!/bin/bash
# Submits a sweep to Slurm as a job array of N shards and a merge job that waits for it;
# prints the two job ids. Extra sbatch options may follow N (e.g. --partition=long).
#
#   examples/slurm/submit.sh SWEEP.toml OUT_DIR N [SBATCH_OPTIONS...]
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 SWEEP.toml OUT_DIR N [SBATCH_OPTIONS...]" >&2
    exit 2
fi
sweep=$1 out=$2 shards=$3
shift 3
script="$(dirname "$0")/sweep.sbatch"
array=$(sbatch --parsable "$@" --array="1-$shards" "$script" "$sweep" "$out" "$shards")
array=${array%%;*}
merge=$(sbatch --parsable "$@" --dependency="afterok:$array" --job-name=relocant-merge \
    --output="relocant-merge-%j.log" "$script" "$sweep" "$out" "$shards")
merge=${merge%%;*}
echo "$array $merge"
