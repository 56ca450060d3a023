# Sourced by the test scripts: sets `binary` to target/release/relocant (under
# CARGO_TARGET_DIR if set), building it if it is missing. It does not rebuild a stale one:
# CI runs `cargo test --release` first. Expects `repo` and a `say` function.
binary=${CARGO_TARGET_DIR:-$repo/target}/release/relocant
if [ ! -x "$binary" ]; then
    say "building $binary"
    (cd "$repo" && cargo build --release)
    [ -x "$binary" ] || { say "FAILED: cargo build --release made no $binary"; exit 1; }
fi
