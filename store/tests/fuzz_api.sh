#!/usr/bin/env bash
# Fuzzes tact-store's HTTP API from its own OpenAPI document with schemathesis (PyPI):
# a fresh SQLite store on a free loopback port, an admin token, a bounded number of
# generated requests per operation, and failure on any 5xx (or a crash of the server).
#
#   store/tests/fuzz_api.sh            # from the repository root
#   FUZZ_EXAMPLES=50 store/tests/fuzz_api.sh
#   TACT_STORE_BIN=target/debug/tact-store store/tests/fuzz_api.sh   # use a built binary
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
examples="${FUZZ_EXAMPLES:-40}"
version="4.32.5"
venv="$root/target/fuzz-venv"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  echo "fuzz: installing schemathesis $version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

# `--tests` builds the binary with the same features as `cargo test`, so running this
# after the test suite reuses its build instead of rebuilding. TACT_STORE_BIN overrides.
if [ -z "${TACT_STORE_BIN:-}" ]; then
  cargo build --quiet -p tact-store --tests
fi
bin="${TACT_STORE_BIN:-$root/target/debug/tact-store}"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db="sqlite://$work/fuzz.db"
admin_token="$("$bin" team create fuzz --db "$db" 2>/dev/null)"
"$bin" serve --db "$db" --listen 127.0.0.1:0 --rate-limit 0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
base=""
for _ in $(seq 1 100); do
  base="$(sed -n 's/^tact-store listening on //p' "$work/server.out")"
  [ -n "$base" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.err" >&2; echo "fuzz: tact-store did not start" >&2; exit 1; fi
  sleep 0.1
done
[ -n "$base" ] || { echo "fuzz: tact-store did not report its address" >&2; exit 1; }
echo "fuzz: tact-store at $base, $examples examples per operation"

status=0
# Run from the scratch dir: schemathesis writes its reports under the working directory.
(cd "$work" && "$venv/bin/schemathesis" run "$base/v1/openapi.json" \
  --url "$base" \
  --checks not_a_server_error \
  --max-examples "$examples" \
  --header "Authorization: Bearer $admin_token" \
  --seed 20240501 \
  --generation-database none \
  --no-color) || status=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "fuzz: FAILED: tact-store died during fuzzing" >&2
  cat "$work/server.err" >&2
  exit 1
fi
if grep -q "database error" "$work/server.err"; then
  echo "fuzz: FAILED: the store logged database errors:" >&2
  grep "database error" "$work/server.err" | head -20 >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED: schemathesis found server errors (exit $status)" >&2
  exit "$status"
fi
echo "fuzz: no 5xx"
