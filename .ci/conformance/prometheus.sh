#!/usr/bin/env bash
# Conformance of the prometheus, mimir and kubernetes renderers' rules,
# checked by Prometheus 2.42 itself (Debian bookworm's `prometheus` package,
# the compatibility floor):
#
# 1. `tenantctl render` the example tenants, the hostile corpus
#    (`tenant-render/tests/hostile/`) and the SLI shapes
#    (`tenant-render/tests/slo-shapes/`), prometheus, mimir and kubernetes
#    only (they need no secrets);
# 2. `promtool check rules` on every rendered rule file;
# 3. `promtool test rules` on every generated SLO test file, after checking
#    that a deliberately broken copy of one SLO rule file fails its test (so
#    a silently passing oracle cannot make this pass);
# 4. a real Prometheus on a free loopback port, in a temporary directory,
#    loads every rule file; /api/v1/rules must list every group, each with
#    health `ok` after its first evaluation (polled, 150 s at most).
#
# Binaries: Debian's package, fetched with `apt-get download` and unpacked
# with `dpkg -x` (installing it would start the service); set
# PROMETHEUS_BIN_DIR to a folder holding promtool and prometheus to skip that.
#
# Usage (from anywhere):
#   bash .ci/conformance/prometheus.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [[ -n "${PROMETHEUS_BIN_DIR:-}" ]]; then
    bin="$PROMETHEUS_BIN_DIR"
else
    (cd "$work" && { apt-get download prometheus >/dev/null 2>&1 \
        || { apt-get update >/dev/null && apt-get download prometheus >/dev/null; }; })
    dpkg -x "$work"/prometheus_*.deb "$work/pkg"
    bin="$work/pkg/usr/bin"
fi
promtool="$bin/promtool"
"$promtool" --version 2>&1 | head -1

cargo build --quiet -p tenant-cli --bin tenantctl
tenantctl="$root/target/debug/tenantctl"
only="--only prometheus,mimir,kubernetes"
source .ci/conformance/slack-urls.sh.inc
# shellcheck disable=SC2086
"$tenantctl" render examples/tenants examples/platform.yaml --out "$work/examples" $only
# shellcheck disable=SC2086
"$tenantctl" render tenant-render/tests/hostile examples/platform.yaml --out "$work/hostile" $only
# shellcheck disable=SC2086
"$tenantctl" render tenant-render/tests/slo-shapes examples/platform.yaml --out "$work/shapes" $only

rule_files=("$work"/{examples,hostile,shapes}/prometheus/rules/*.yml)
test_files=("$work"/{examples,hostile,shapes}/prometheus/tests/*.yml)
echo "rule files: ${#rule_files[@]}, test files: ${#test_files[@]}"
[[ ${#rule_files[@]} -ge 6 && ${#test_files[@]} -ge 5 ]]

# 2. Every rule file is valid for promtool.
for f in "${rule_files[@]}"; do
    "$promtool" check rules "$f" > "$work/check.log" 2>&1 || { cat "$work/check.log"; exit 1; }
done
echo "promtool check rules: ${#rule_files[@]} files ok"

# 3a. A broken copy must fail: every burn-rate threshold made 10x larger,
#     so the 20x burn no longer pages.
mkdir -p "$work/broken/rules" "$work/broken/tests"
sed 's/ > (\([0-9.]*\) \* / > (10 * \1 * /g' "$work/examples/prometheus/rules/acme-music.slo.rules.yml" \
    > "$work/broken/rules/acme-music.slo.rules.yml"
cp "$work/examples/prometheus/tests/acme-music.slo.test.yml" "$work/broken/tests/"
if (cd "$work/broken/tests" && "$promtool" test rules acme-music.slo.test.yml > "$work/broken.log" 2>&1); then
    echo "the oracle passed a broken SLO rule file" >&2
    exit 1
fi
grep -q 'SloErrorBudgetBurnPage' "$work/broken.log"

# 3b. Every generated test passes (rule_files are relative to the test file).
for f in "${test_files[@]}"; do
    (cd "$(dirname "$f")" && "$promtool" test rules "$(basename "$f")" > "$work/test.log" 2>&1) \
        || { cat "$work/test.log"; exit 1; }
done
echo "promtool test rules: ${#test_files[@]} files ok"

# 4. A real Prometheus loads everything; every group evaluates with health ok.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
{
    echo "global: { scrape_interval: 15s, evaluation_interval: 15s }"
    echo "rule_files:"
    for f in "${rule_files[@]}"; do echo "  - '$f'"; done
} > "$work/prometheus.yml"
expected_groups="$(cat "${rule_files[@]}" | grep -c '^- name: ')"
"$bin/prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address="127.0.0.1:$port" > "$work/prometheus.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + 150))
status=""
while (( SECONDS < deadline )); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$work/prometheus.log" >&2
        echo "prometheus exited" >&2
        exit 1
    fi
    status="$(python3 - "$port" "$expected_groups" <<'PY' 2>/dev/null || true
import json, sys, urllib.request
port, expected = sys.argv[1], int(sys.argv[2])
rules = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/rules", timeout=5))
groups = rules["data"]["groups"]
bad = []
waiting = 0
for g in groups:
    if g["lastEvaluation"].startswith("0001-"):
        waiting += 1
    for r in g["rules"]:
        if r["health"] != "ok" and not g["lastEvaluation"].startswith("0001-"):
            bad.append(f'{g["name"]}/{r["name"]}: {r["health"]} {r.get("lastError", "")}')
if bad:
    print("bad " + "; ".join(bad))
elif len(groups) != expected:
    print(f"groups {len(groups)} of {expected}")
elif waiting:
    print(f"waiting {waiting}")
else:
    print(f"ok {len(groups)}")
PY
)"
    case "$status" in
        ok*) break ;;
        bad*) echo "$status" >&2; exit 1 ;;
    esac
    sleep 2
done
if [[ "$status" != ok* ]]; then
    echo "prometheus: no healthy evaluation of every group in time: ${status:-no answer}" >&2
    tail -20 "$work/prometheus.log" >&2
    exit 1
fi
echo "prometheus: ${status#ok } groups loaded and evaluated, every rule health ok"
