#!/usr/bin/env bash
# Tests the Python package (python/) against the real binary: makes a virtualenv under
# target/python-venv (git-ignored with target/), installs ./python with its test extras
# (pytest, pandas, polars, ema_workbench), builds target/release/relocant if it is missing
# (it does not rebuild a stale one: CI runs `cargo test --release` first), and runs pytest
# with RELOCANT_BIN set to it. Idempotent: a second run reuses the venv (about 10 s).
#
#   scripts/python_test.sh [PYTEST_ARGS...]     # e.g. -k sweep, -x
#
# Environment: PYTHON (default python3, 3.9 or newer) makes the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
venv=$repo/target/python-venv
python=${PYTHON:-python3}
t0=$(date +%s)

say() { echo "python_test: $*" >&2; }

# A venv left half-made (killed during creation) or made by a Python that is gone is
# made again rather than trusted.
if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    say "creating $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi
# pip rebuilds and reinstalls a local directory every time (a few seconds), so the tests
# never run an older copy of the package than the source; installed dependencies stay.
say "installing ./python[test]"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$repo/python[test]"

# The binary (under CARGO_TARGET_DIR, if set, else target/), built if missing.
. "$repo/scripts/binary.sh"

say "running pytest (RELOCANT_BIN=$binary)"
# -p no:cacheprovider: no .pytest_cache written into the source tree.
RELOCANT_BIN=$binary "$venv/bin/python" -m pytest -p no:cacheprovider "$repo/python/tests" "$@"
say "done in $(( $(date +%s) - t0 )) s"
