#!/usr/bin/env bash
# Opens `relocant report` pages in a real browser: installs Debian's Chromium if missing
# (as root) and websocket-client into target/browser-venv, builds
# target/release/relocant if missing, makes a small run, a comparison and an experiment in
# a temporary directory, writes their reports, and checks each in headless Chromium over
# the DevTools protocol (scripts/browser_check.py): no console error, the embedded font
# loaded, every figure visible with its text drawn, a PDF when printed. Screenshots and
# PDFs are kept in target/browser-test/ (run.png is README's screenshot of a report).
#
#   scripts/browser_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
t0=$(date +%s)
out=${CARGO_TARGET_DIR:-$repo/target}/browser-test
venv=${CARGO_TARGET_DIR:-$repo/target}/browser-venv

say() { echo "browser_test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
    [ "$(id -u)" = 0 ] || fail "Chromium is missing; as root: apt-get install chromium"
    say "installing Chromium (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
    chromium=$(command -v chromium) || fail "no chromium after apt-get install"
fi
say "$("$chromium" --version 2>/dev/null | head -1)"

if ! "$venv/bin/python" -c 'import websocket' >/dev/null 2>&1; then
    say "creating $venv with websocket-client"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check websocket-client
fi

. "$repo/scripts/binary.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
small=(--replicates 3 --set arrivals.persons_per_agent=100 --quiet --no-plots)
"$binary" run "${small[@]}" --out "$work/baseline" >/dev/null
"$binary" run "${small[@]}" --set policy.border_run_ban.enabled=false --out "$work/no_ban" >/dev/null
cat > "$work/exp.toml" <<TOML
base = "$repo/scenarios/baseline.toml"
replicates = 3
outcomes = ["share_integrated", "share_returned"]
dates = [2023-07-01, 2024-12-31]
[set]
arrivals.persons_per_agent = 200
[arms.no_mutual_aid]
label = "mutual aid"
set = { "social.mutual_aid_enabled" = false }
[arms.strict_rvp]
label = "legal routes"
scenario = "$repo/scenarios/rvp_strict.toml"
TOML
"$binary" experiment "$work/exp.toml" --out "$work/experiment" --quiet --no-plots >/dev/null
"$binary" report "$work/baseline" --quiet
"$binary" report "$work/baseline" "$work/no_ban" --out "$work/comparison" --quiet
"$binary" report "$work/experiment" --quiet

rm -rf "$out"
"$venv/bin/python" "$repo/scripts/browser_check.py" "$chromium" "$out" \
    "$work/baseline/report.html=run" \
    "$work/comparison/report.html=comparison" \
    "$work/experiment/report.html=experiment" || fail "a report did not render cleanly"
# The check itself can fail: a page that throws, logs an error and hides a figure must be
# refused, each for its reason.
sed -e 's|</body>|<script>console.error("planted"); throw new Error("planted")</script></body>|' \
    -e 's|<figure>|<figure style="display:none">|' \
    "$work/baseline/report.html" > "$work/broken.html"
if "$venv/bin/python" "$repo/scripts/browser_check.py" "$chromium" "$work/broken" \
    "$work/broken.html=broken" 2> "$work/broken.log"; then
    fail "a broken page passed the browser check"
fi
for reason in "uncaught exception" "console error" "figure 1 is not visible"; do
    grep -q "$reason" "$work/broken.log" || fail "the broken page was not refused for: $reason ($(cat "$work/broken.log"))"
done
for n in run comparison experiment; do
    [ -s "$out/$n.png" ] || fail "no screenshot $out/$n.png"
done
say "ok: 3 reports render in Chromium; screenshots in $out ($(($(date +%s) - t0)) s)"
