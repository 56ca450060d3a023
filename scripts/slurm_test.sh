#!/usr/bin/env bash
# Tests the cluster path against a real Slurm on this machine: installs munge and Slurm if
# missing (Debian packages, as root), starts munged (unless one runs), slurmctld and slurmd
# on localhost with a throw-away configuration, submits scenarios/sweeps/smoke.toml as a
# 4-task job array plus the dependent merge job with examples/slurm/submit.sh, waits for
# both, and checks that the merged runs.csv and points.csv are byte-identical to a sweep run
# locally. Every daemon it started is stopped on exit, whatever happens.
#
#   scripts/slurm_test.sh            # needs root; builds target/release/relocant if absent
#
# Environment: SWEEP (default scenarios/sweeps/smoke.toml), SHARDS (default 4),
# TIMEOUT seconds to wait for the jobs (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
sweep=${SWEEP:-scenarios/sweeps/smoke.toml}
shards=${SHARDS:-4}
timeout=${TIMEOUT:-300}
t0=$(date +%s)

say() { echo "slurm_test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it starts munged, slurmctld and slurmd)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    say "installing munge and slurm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null
fi
if [ ! -x target/release/relocant ]; then
    cargo build --release
fi

work=$(mktemp -d /tmp/relocant-slurm.XXXXXX)
started_munge=""
cleanup() {
    local rc=$?
    # slurmd deletes its pid file as it exits: read both before stopping either.
    local pids=()
    for f in "$work/slurmd.pid" "$work/slurmctld.pid"; do
        [ -s "$f" ] && pids+=("$(cat "$f")")
    done
    [ -n "$started_munge" ] && [ -s "$started_munge" ] && pids+=("$(cat "$started_munge")")
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 0.1
    done
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    if [ $rc -ne 0 ]; then
        for log in "$work"/*.log; do [ -f "$log" ] && { say "--- $log"; tail -20 "$log" >&2; }; done
    fi
    rm -rf "$work"
    exit $rc
}
trap cleanup EXIT INT TERM

# munge: reuse a running munged, else start one (and stop it at the end).
if [ ! -S /run/munge/munge.socket.2 ] || ! munge -n >/dev/null 2>&1; then
    [ -f /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || create-munge-key; }
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged
    started_munge=/run/munge/munged.pid
    for _ in $(seq 50); do [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
    munge -n >/dev/null || fail "munged does not answer"
fi

# A one-node cluster on localhost, on ports of its own.
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/state" "$work/spool"
cat >"$work/slurm.conf" <<EOF
ClusterName=relocanttest
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ReturnToService=2
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=4000
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost
for _ in $(seq 100); do
    [ "$(sinfo -h -o %T 2>/dev/null | head -1)" = idle ] && break
    sleep 0.1
done
[ "$(sinfo -h -o %T | head -1)" = idle ] || fail "the node did not come up: $(sinfo -h -o %T)"
say "cluster up after $(($(date +%s) - t0)) s"

# The sweep as a job array plus merge, and the same sweep run here.
out="$work/cluster"
export RELOCANT="$repo/target/release/relocant"
cd "$work"
read -r array merge < <("$repo/examples/slurm/submit.sh" "$repo/$sweep" "$out" "$shards" --cpus-per-task=1)
say "submitted array $array and merge $merge"
"$RELOCANT" sweep "$repo/$sweep" --out "$work/local" --quiet
deadline=$(($(date +%s) + timeout))
while [ -n "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt $deadline ] || fail "jobs still queued or running after $timeout s: $(squeue -h)"
    sleep 0.5
done
for k in $(seq 1 "$shards"); do
    grep -q '"status": "complete"' "$out/shard-$k-of-$shards/manifest.json" \
        || fail "shard $k/$shards did not finish; see relocant-sweep-${array}_$k.log"
done
[ -f "$out/runs.csv" ] || fail "the merge job wrote no runs.csv: $(cat "$work"/relocant-merge-*.log 2>/dev/null)"
cmp "$out/runs.csv" "$work/local/runs.csv" || fail "runs.csv differs from the local sweep"
cmp "$out/points.csv" "$work/local/points.csv" || fail "points.csv differs from the local sweep"
grep -q "merged $shards directories" "$work"/relocant-merge-"$merge".log || fail "merge log: $(cat "$work"/relocant-merge-*.log)"
say "ok: $shards shards + merge on Slurm equal the local sweep ($(($(wc -l <"$out/runs.csv") - 1)) runs, $(($(date +%s) - t0)) s in all)"
echo "slurm_test: 1 passed, 0 failed"
