#!/usr/bin/env bash
# Routing-scale measurement of the shared Alertmanager tree (issue 9, point 5).
# For N tenants (bench/src/bin/render.rs: slugs t00000-acme, ... made from
# examples/tenants/acme-music.yaml), renders alertmanager/ with the release
# `render` bench binary (in-process render time, one run) and measures:
#   - amtool check-config: wall time and peak RSS (config load + template parse)
#   - amtool config routes test for the last tenant (worst case in a flat list)
#   - a real Alertmanager: start-to-ready time, RSS once ready, and the time
#     until a batch of ALERTS alerts (random tenants) shows up in its groups.
# Usage: bash bench/alerting/scale.sh [N...]   (default: 100 1000 10000)
# TEMPLATES=one concatenates the rendered template shards into one file first
# (the alternative layout, measured for comparison).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
amtool="$(command -v amtool)"
am="$(command -v prometheus-alertmanager || command -v alertmanager)"
alerts="${ALERTS:-2000}"
work="$(mktemp -d)"
am_pid=""
trap '[ -n "$am_pid" ] && kill "$am_pid" 2>/dev/null; rm -rf "$work"' EXIT
[ -n "$amtool" ] && [ -n "$am" ] || { echo "needs amtool and alertmanager (apt-get install prometheus-alertmanager)"; exit 1; }
(cd bench && cargo build -q --release --bin render)
render_bin="$root/bench/target/release/render"
printf "| tenants | config lines | render s | check-config s / MB | routes test (last tenant) s | AM ready s | AM RSS MB | %s alerts routed s |\n" "$alerts"
printf "|---|---|---|---|---|---|---|---|\n"
for n in "${@:-100 1000 10000}"; do
  for n in $n; do
    render=$("$render_bin" "$n" --only alertmanager --runs 1 --out "$work/o$n" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["seconds"])')
    if [ "${TEMPLATES:-shards}" = one ]; then
      cat "$work/o$n"/alertmanager/templates/*.tmpl >"$work/all.tmpl"
      rm "$work/o$n"/alertmanager/templates/*.tmpl
      mv "$work/all.tmpl" "$work/o$n/alertmanager/templates/all.tmpl"
    fi
    cfg="$work/o$n/alertmanager/alertmanager.yml"
    lines=$(wc -l <"$cfg")
    /usr/bin/time -o "$work/time" -f "%e %M" "$amtool" check-config "$cfg" >/dev/null 2>&1
    check=$(tail -1 "$work/time")
    last=$(printf "t%05d-acme" $((n - 1)))
    start=$(date +%s.%N)
    out=$("$amtool" config routes test --config.file="$cfg" tenant="$last" severity=critical 2>/dev/null)
    routes=$(echo "$(date +%s.%N) - $start" | bc)
    [ "$out" = "$last/oncall,$last/team" ] || { echo "unexpected route: $out"; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    start=$(date +%s.%N)
    (cd "$work/o$n/alertmanager" && exec "$am" --config.file=alertmanager.yml --storage.path="$work/data$n" \
        --web.listen-address=127.0.0.1:$port --cluster.listen-address= --log.level=error) &
    am_pid=$!
    until curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null; do sleep 0.05; done
    ready=$(echo "$(date +%s.%N) - $start" | bc)
    rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$am_pid/status)
    routed=$(python3 - "$port" "$n" "$alerts" <<'PY'
import json, random, sys, time, urllib.request
port, n, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(1)
alerts = [{"labels": {"alertname": f"A{i}", "severity": "warning", "tenant": f"t{rng.randrange(n):05d}-acme"}}
          for i in range(count)]
base = f"http://127.0.0.1:{port}/api/v2"
start = time.time()
req = urllib.request.Request(base + "/alerts", data=json.dumps(alerts).encode(), method="POST",
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req).read()
while True:
    groups = json.load(urllib.request.urlopen(base + "/alerts/groups"))
    if sum(len(g["alerts"]) for g in groups) >= count:
        break
    time.sleep(0.02)
print(f"{time.time() - start:.2f}")
PY
)
    kill "$am_pid"; wait "$am_pid" 2>/dev/null || true; am_pid=""
    set -- $check
    printf "| %s | %s | %.2f | %s / %.0f | %.2f | %.2f | %s | %s |\n" "$n" "$lines" "$render" "$1" "$(echo "$2/1024" | bc -l)" "$routes" "$ready" "$rss" "$routed"
  done
done
