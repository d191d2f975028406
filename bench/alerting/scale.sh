#!/usr/bin/env bash
# Routing-scale measurement of the shared Alertmanager tree (issue 9, point 5).
# For N tenants (bench/src/bin/render.rs: slugs t00000-acme, ... made from
# examples/tenants/acme-music.yaml), renders alertmanager/ with the release
# `render` bench binary (in-process render time, one run) and measures:
#   - amtool check-config: wall time and peak RSS (config load + template parse)
#   - amtool config routes test for the last tenant (worst case in a flat list)
#   - a real Alertmanager: start-to-ready time, RSS once ready, and the time
#     until a batch of ALERTS alerts (random tenants) shows up in its groups;
#   - then, in the same server, ROUNDS rounds (default 5) in which the same
#     alerts are posted again, ROUTING_ALERTS updates a round (default
#     20000): each update is routed again and joins its existing
#     aggregation group, so a round costs mostly the route walk. Median of
#     the rounds: the server's CPU time (user+sys from /proc) per 1 000
#     updates, and the dispatcher's own mean time per update
#     (alertmanager_dispatcher_alert_processing_duration_seconds: the route
#     walk and the group insert). Both count the server's own work, so
#     they move far less with the machine's load than wall times.
# Usage: bash bench/alerting/scale.sh [N...]   (default: 100 1000 10000)
# ROUTES=auto|flat|sharded picks the tree's layout (the platform's
# monitoring.alertmanager_route_tree; default auto).
# TEMPLATES=one concatenates the rendered template shards into one file first
# (the alternative layout, measured for comparison).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
amtool="$(command -v amtool)"
am="$(command -v prometheus-alertmanager || command -v alertmanager)"
alerts="${ALERTS:-2000}"
routing_alerts="${ROUTING_ALERTS:-20000}"
layout="${ROUTES:-auto}"
work="$(mktemp -d)"
am_pid=""
trap '[ -n "$am_pid" ] && kill "$am_pid" 2>/dev/null; rm -rf "$work"' EXIT
[ -n "$amtool" ] && [ -n "$am" ] || { echo "needs amtool and alertmanager (apt-get install prometheus-alertmanager)"; exit 1; }
(cd bench && cargo build -q --release --bin render)
render_bin="$root/bench/target/release/render"
echo "layout: $layout; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "| tenants | layout | outer routes | config lines | render s | check-config s / MB | routes test (last tenant) s | AM ready s | AM RSS MB | %s alerts routed s | AM CPU ms / 1000 updates | dispatch µs / update |\n" "$alerts"
printf "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
for n in ${@:-100 1000 10000}; do
    render=$("$render_bin" "$n" --only alertmanager --runs 1 --route-tree "$layout" --out "$work/o$n" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["seconds"])')
    if [ "${TEMPLATES:-shards}" = one ]; then
      cat "$work/o$n"/alertmanager/templates/*.tmpl >"$work/all.tmpl"
      rm "$work/o$n"/alertmanager/templates/*.tmpl
      mv "$work/all.tmpl" "$work/o$n/alertmanager/templates/all.tmpl"
    fi
    cfg="$work/o$n/alertmanager/alertmanager.yml"
    lines=$(wc -l <"$cfg")
    # Children of the root: tenant routes (flat) or shard routes (sharded).
    # (the only lines indented by two spaces, a dash and one of these keys: a parse of the
    # YAML would take minutes at 10 000 tenants).
    outer=$(grep -cE '^  - (receiver|matchers):' "$cfg")
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
    measured=$(python3 - "$port" "$n" "$alerts" "$routing_alerts" "$am_pid" <<'PY'
import json, os, random, re, statistics, sys, time, urllib.request
port, n, count, routing, pid = map(int, sys.argv[1:6])
base = f"http://127.0.0.1:{port}"
rng = random.Random(1)
tick = os.sysconf("SC_CLK_TCK")

def post(alerts):
    req = urllib.request.Request(base + "/api/v2/alerts", data=json.dumps(alerts).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()

def batch(name, size):
    return [{"labels": {"alertname": f"{name}{i}", "severity": "warning",
                        "tenant": f"t{rng.randrange(n):05d}-acme"}} for i in range(size)]

def cpu():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

def dispatch():
    text = urllib.request.urlopen(base + "/metrics").read().decode()
    get = lambda m: float(re.search(rf"^{m} (\S+)$", text, re.M).group(1))
    name = "alertmanager_dispatcher_alert_processing_duration_seconds"
    return get(name + "_sum"), get(name + "_count")

# Batch 1: wall time until every alert is in a group (as before).
alerts = batch("A", count)
start = time.time()
post(alerts)
while True:
    groups = json.load(urllib.request.urlopen(base + "/api/v2/alerts/groups"))
    if sum(len(g["alerts"]) for g in groups) >= count:
        break
    time.sleep(0.02)
routed = time.time() - start
# Routing rounds: the same alerts posted again, ROUTING_ALERTS updates a
# round in posts of `count`. Each update is routed again by the dispatcher
# and lands in its existing aggregation group (no group is created), so
# what a round costs is mostly the route walk. The median of ROUNDS rounds:
# the server's CPU time (user+sys) per 1 000 updates, and the dispatcher's
# own mean time per update.
def rounds():
    cpu_costs, dispatch_costs = [], []
    for _ in range(rounds_count):
        while dispatch()[1] < done[0]:
            time.sleep(0.05)
        s0, c0 = dispatch()
        cpu0 = cpu()
        for _ in range(max(1, routing // count)):
            post(alerts)
            done[0] += count
        deadline = time.time() + 300
        while True:
            s1, c1 = dispatch()
            if c1 >= done[0]:
                break
            if time.time() > deadline:
                sys.exit(f"the dispatcher processed {c1:.0f} of {done[0]} alerts")
            time.sleep(0.05)
        cpu1 = cpu()
        cpu_costs.append(1e6 * (cpu1 - cpu0) / (c1 - c0))
        dispatch_costs.append(1e6 * (s1 - s0) / (c1 - c0))
    return statistics.median(cpu_costs), statistics.median(dispatch_costs)

rounds_count = int(os.environ.get("ROUNDS", "5"))
done = [count]
cpu_cost, dispatch_cost = rounds()
print(f"{routed:.2f} {cpu_cost:.0f} {dispatch_cost:.1f}")
PY
)
    kill "$am_pid"; wait "$am_pid" 2>/dev/null || true; am_pid=""
    set -- $check $measured
    printf "| %s | %s | %s | %s | %.2f | %s / %.0f | %.2f | %.2f | %s | %s | %s | %s |\n" "$n" "$layout" "$outer" "$lines" "$render" "$1" "$(echo "$2/1024" | bc -l)" "$routes" "$ready" "$rss" "$3" "$4" "$5"
    rm -rf "$work/o$n" "$work/data$n"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
