#!/usr/bin/env bash
# Tact's one entry point: set-up, build, test, demo and bench.
#
#   ./build.sh          set up the machine (idempotent) and build dist/extension + dist/tact-extension.zip
#   ./build.sh test     everything that proves the project works (native, wasm in Chromium, end to end)
#   ./build.sh demo     build, serve the fixture pages and open Chromium with the extension on them
#   ./build.sh bench    benchmarks: criterion natively, timing harnesses in Node and Chromium
#   ./build.sh extension   rebuild only dist/extension (quick iteration on the wasm and pages)
#
# Every step installs what it needs on a fresh Debian 12 machine with rustup and Node 20
# (run as root for the apt-get steps) and skips what is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
DIST="$ROOT/dist"
WASM_TARGET=wasm32-unknown-unknown
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }
warn() { printf '\033[1;33mbuild.sh: %s\033[0m\n' "$*" >&2; }

# ---------------------------------------------------------------- set-up

# The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

apt_updated=""
apt_install() { # apt_install PACKAGE... (only the missing ones)
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
  fi
  say "Installing Debian packages: ${missing[*]}"
  if [ -z "$apt_updated" ]; then
    apt-get update -qq || die "apt-get update failed; check the network, then run again"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed; install them by hand, then run again"
}

# The machine's nightly toolchain, when there is one, builds the shipped module (see
# build_extension); everything else uses stable.
shrink_toolchain_present() {
  rustup toolchain list 2>/dev/null | grep -q '^nightly'
}

shrink_toolchain_ready() {
  shrink_toolchain_present \
    && rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'
}

setup_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "Adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
  fi
  if shrink_toolchain_present && ! rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    say "Adding rust-src to the nightly toolchain (the shipped wasm rebuilds std for size)"
    rustup component add rust-src --toolchain nightly \
      || warn "could not add rust-src to nightly; the wasm will be built with stable (larger)"
  fi
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want have=""
  want="$(locked_wasm_bindgen)"
  [ -n "$want" ] || die "Cargo.lock does not pin wasm-bindgen"
  command -v wasm-bindgen >/dev/null && have="$(wasm-bindgen --version | awk '{print $2}')"
  if [ "$have" != "$want" ]; then
    say "Installing wasm-bindgen-cli $want (Cargo.lock's version; found '${have:-none}')"
    # Not --locked: the CLI's own lock file pins crates this toolchain may not build.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

setup_node() {
  command -v npm >/dev/null || die "npm not found: install Node.js 20 and npm"
  # Reinstall when package-lock.json changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing the pinned npm tools (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

setup_browser() {
  # Chromium and its driver for the browser tests; PostgreSQL for the store's tests,
  # which start their own throwaway cluster.
  apt_install chromium chromium-driver postgresql python3-venv
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after install"
  [ -x /usr/bin/chromedriver ] || die "/usr/bin/chromedriver missing after install"
}

setup() {
  setup_rust
  setup_node
}

# ---------------------------------------------------------------- build

# wasm SIMD (every Chrome the manifest admits, 116+, and Node have it) for the modules
# built at opt-level z: LLVM uses it for byte loops and copies, and the page and worker
# modules are 1-2 KB gzipped smaller, no slower. The reply module (opt-level 2) would
# vectorise more and grow 2 KB for no faster learning.
WASM_SIMD="-Ctarget-feature=+simd128"

# Builds one wasm module of the tact crate with `feature` (page | replies | worker) and a
# Cargo profile (wasm: opt-level z; wasm-speed: see Cargo.toml) into
# $DIST/extension/pkg/<name>.js + <name>_bg.wasm.
build_wasm_module() {
  local feature="$1" name="$2" profile="${3:-wasm}" features=""
  [ "$profile" = wasm ] && features="$WASM_SIMD"
  say "Building the $name wasm module (feature $feature; profile $profile: fat LTO, panic=abort)"
  # The wasm crate is built on its own: with --workspace cargo unifies features across
  # members (the store's) and the module grows.
  if shrink_toolchain_ready; then
    # std itself rebuilt at opt-level z with panics that abort at once: no panic
    # formatting or source paths in the module (about 35 KB gzipped less). `tact_speed`
    # optimises the per-keystroke functions for speed (see src/lib.rs).
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg tact_speed $features" \
      cargo +nightly build -p tact --lib --target "$WASM_TARGET" --profile "$profile" \
      --no-default-features --features "$feature" -Z build-std=std,panic_abort
  else
    warn "no nightly toolchain with rust-src: building the wasm with stable (larger module)"
    RUSTFLAGS="$features" \
      cargo build -p tact --lib --target "$WASM_TARGET" --profile "$profile" \
      --no-default-features --features "$feature"
  fi
  wasm-bindgen --target web --no-typescript --out-dir "$DIST/pkg" --out-name "$name" \
    "target/$WASM_TARGET/$profile/tact.wasm"
  # wasm-opt from npm (binaryen >= 120): Debian's 108 breaks reference-type modules.
  # -O3 rather than -Oz: the per-keystroke check runs 8-9 % faster and, once gzipped,
  # every module is smaller (its inlined code compresses better; page module 248.6 KB
  # instead of 249.6 KB). --low-memory-unused lets it fold constant offsets into loads:
  # Rust lays the 1 MB stack out first (data from 1 MB up), so the low 1 KB is touched
  # only by a stack about to overflow.
  node_modules/.bin/wasm-opt -O3 --low-memory-unused \
    --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-simd --strip-debug --strip-producers \
    "$DIST/pkg/${name}_bg.wasm" -o "$DIST/extension/pkg/${name}_bg.wasm"
  cp "$DIST/pkg/$name.js" "$DIST/extension/pkg/$name.js"
}

build_extension() {
  local out="$DIST/extension"
  rm -rf "$DIST/pkg" "$out"
  mkdir -p "$DIST/pkg" "$out/pkg"
  # Three modules: what every page loads (guard, quick-tag, the suggestion box) stays
  # small; the reply model is loaded when a page goes idle; the inbox service (exports,
  # stats, charts) only runs in the background worker.
  build_wasm_module page tact
  build_wasm_module replies tact_replies wasm-speed
  build_wasm_module worker tact_worker
  # Everything in extension/ ships except the site packs, which are embedded in the wasm.
  (cd extension && find . -type f ! -path './sites/*' -print0 | while IFS= read -r -d '' f; do
    mkdir -p "$out/$(dirname "$f")" && cp "$f" "$out/$f"
  done)
  python3 - "$out" "$DIST/tact-extension.zip" <<'PY'
import os, sys, zipfile
src, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for base, _, files in sorted(os.walk(src)):
        for name in sorted(files):
            path = os.path.join(base, name)
            z.write(path, os.path.relpath(path, src))
PY
  print_sizes
}

print_sizes() {
  local budget=250000 name wasm raw gz
  say "Built dist/extension and dist/tact-extension.zip"
  for name in tact tact_replies tact_worker; do
    wasm="$DIST/extension/pkg/${name}_bg.wasm"
    raw=$(stat -c %s "$wasm")
    gz=$(gzip -9c "$wasm" | wc -c)
    if [ "$name" = tact ]; then
      printf 'wasm size (pages: guard, quick-tag, suggestion box): %d bytes raw, %d bytes gzipped (budget %d gzipped)\n' "$raw" "$gz" "$budget"
    else
      printf 'wasm size (%s, loaded on demand): %d bytes raw, %d bytes gzipped (budget %d gzipped)\n' "$name" "$raw" "$gz" "$budget"
    fi
    if [ "$gz" -gt "$budget" ]; then
      printf '\033[1;31mwasm module %s OVER BUDGET by %d bytes gzipped\033[0m (see README, "Size")\n' "$name" "$((gz - budget))"
    fi
  done
}

build() {
  build_extension
  say "Building the native CLI and store (release)"
  cargo build --release -p tact -p tact-store
  printf 'CLI: target/release/tact   store: target/release/tact-store\n'
}

# ---------------------------------------------------------------- test

test_native() {
  say "Formatting and lints"
  cargo fmt --all -- --check || die "code is not formatted: run cargo fmt --all"
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy -p tact --lib --target "$WASM_TARGET" -- -D warnings
  cargo clippy -p tact --lib --target "$WASM_TARGET" --no-default-features --features page -- -D warnings
  cargo clippy -p tact --lib --target "$WASM_TARGET" --no-default-features --features replies -- -D warnings
  cargo clippy -p tact --lib --target "$WASM_TARGET" --no-default-features --features worker -- -D warnings
  say "Native tests (workspace)"
  cargo test --workspace
}

test_wasm() {
  say "wasm-bindgen tests in headless Chromium"
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test -p tact --target "$WASM_TARGET" --test wasm_browser
}

test_store() {
  say "Store: API fuzzing from its OpenAPI document (schemathesis) and the dashboard in Chromium"
  TACT_STORE_BIN="$ROOT/target/debug/tact-store" store/tests/fuzz_api.sh
  TACT_STORE_BIN="$ROOT/target/debug/tact-store" node store/tests/dashboard.mjs
}

test_e2e() {
  say "End-to-end tests: dist/extension in Chromium on the fixture pages"
  node tests/e2e/build-fixtures.mjs
  node --test --test-concurrency=1 tests/e2e/
}

run_tests() {
  setup
  setup_browser
  build_extension
  test_native
  test_wasm
  test_store
  test_e2e
}

# ---------------------------------------------------------------- demo and bench

demo() {
  setup
  setup_browser
  build_extension
  node tests/e2e/build-fixtures.mjs
  node tests/e2e/demo.mjs
}

bench() {
  setup
  setup_browser
  build_extension
  local out="$DIST/bench"
  mkdir -p "$out"
  say "Native benchmarks (criterion): text, charter, inbox"
  cargo bench -p tact 2>&1 | tee "$out/native.txt"
  say "Node: npm twitter-text parseTweet on the same drafts"
  node benches/node/twitter_text.mjs | tee "$out/twitter-text.txt"
  say "Ratio twitter-text / tact (median parseTweet)"
  awk '
    /^tact parseTweet/        { for (i = 3; i <= NF; i++) if ($i ~ /^median_us=/) { sub("median_us=", "", $i); tact[$3] = $i } }
    /^twitter-text parseTweet/ { for (i = 3; i <= NF; i++) if ($i ~ /^median_us=/) { sub("median_us=", "", $i); peer[$3] = $i } }
    END { for (d in tact) if (d in peer && tact[d] > 0) printf "%s: tact %.2f us, twitter-text %.2f us, ratio %.1fx\n", d, tact[d], peer[d], peer[d] / tact[d] }
  ' "$out/native.txt" "$out/twitter-text.txt"
  say "Node: the charter check in the shipped wasm, and harper.js on the same drafts"
  node benches/node/check_wasm.mjs | tee "$out/check-wasm.txt"
  say "Chromium: guard start-up and input-to-badge latency on the X fixture"
  node tests/e2e/build-fixtures.mjs
  node tests/e2e/bench-guard.mjs | tee "$out/guard.txt"
  say "Chromium: quick-tag buttons on an infinite feed (1,000 tweets in batches of 20)"
  node tests/e2e/bench-inbox.mjs | tee "$out/quick-tag.txt"
  say "Node: reply model learning and ranking in the replies module"
  node benches/node/replies_wasm.mjs | tee "$out/replies-wasm.txt"
  say "Node: inbox listing and filtering over 50,000 items in the worker module"
  node benches/node/inbox_worker.mjs | tee "$out/inbox-worker.txt"
  say "Store: push throughput and pull latency (SQLite and PostgreSQL)"
  cargo bench -p tact-store --bench load 2>&1 | tee "$out/store.txt"
}

case "${1:-all}" in
  all) setup; build ;;
  setup) setup ;;
  build) build ;;
  extension) build_extension ;;
  test) run_tests ;;
  demo) demo ;;
  bench) bench ;;
  -h|--help|help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1'; try ./build.sh help" ;;
esac
