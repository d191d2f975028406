#!/usr/bin/env bash
# End to end: `tenantctl render` and `tenantctl deploy` with the real
# Prometheus 2.42 and Alertmanager 0.25 (Debian bookworm's packages) on free
# loopback ports, in a temporary directory, and a stand-in for Slack
# (slack-stand-in.py) that the rendered webhook URL files point at.
#
# 1. Render the example tenants (prometheus, alertmanager) into one tree.
# 2. Alertmanager routing with the rendered config (alertmanager_check.py
#    e2e, shared with alertmanager.sh): an alert for every example tenant x
#    severity plus one without a tenant; each tenant's alerts reach only its
#    receivers, in its language; resolved where send_resolved is on; A's
#    critical does not inhibit B's warning; the tenant-less alert reaches
#    only the platform receiver (no Slack message at all). Then the same
#    check on a copy whose beatforge one-off maintenance window is moved
#    around now: its alerts are muted (the first run, outside the window,
#    expected them delivered: the control).
# 3. A long-running Prometheus (prometheus.yml written here: the renderer
#    emits rule files, not the server's own config) loads every rendered rule
#    file; after evaluation /api/v1/rules shows every group healthy; an alert
#    it fires (a harness rule labelled with acme-music's tenant, since the
#    tenants' own rules need minutes of data) reaches the long-running
#    Alertmanager, which delivers it to acme-music's receiver only.
# 4. `tenantctl deploy` after a change (acme-music's queue threshold) reloads
#    both servers: /api/v1/rules serves the new expression (and did not
#    before: the control), Alertmanager reports the written config.
# 5. A change Prometheus refuses (a broken rule file injected where its
#    config reads rules) is reported with the server's message, exit 1, and
#    the previous tree is restored (`render --check` against the previous
#    documents finds it up to date; Prometheus still serves the old rules).
#
# Usage: bash .ci/conformance/e2e.sh   (root for apt-get; PROMETHEUS_BIN_DIR
# may name a folder with prometheus and promtool)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="$root/.ci/conformance"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Tools: Alertmanager installed as alertmanager.sh does; Prometheus unpacked
# from its package as prometheus.sh does (installing it would start the
# service).
find_alertmanager() { command -v prometheus-alertmanager || command -v alertmanager || true; }
if [ -z "$(find_alertmanager)" ] || ! python3 -c 'import yaml, zoneinfo' 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends prometheus-alertmanager tzdata python3 python3-yaml \
        || { apt-get update && apt-get install -y --no-install-recommends prometheus-alertmanager tzdata python3 python3-yaml; }
fi
alertmanager="$(find_alertmanager)"
if [ ! -f /usr/share/prometheus/alertmanager/default.tmpl ]; then
    share="$(dirname "$alertmanager")/../share/prometheus/alertmanager"
    if [ -f "$share/default.tmpl" ]; then mkdir -p /usr/share/prometheus && cp -r "$share" /usr/share/prometheus/; fi
fi
if [[ -n "${PROMETHEUS_BIN_DIR:-}" ]]; then
    bin="$PROMETHEUS_BIN_DIR"
else
    (cd "$work" && { apt-get download prometheus >/dev/null 2>&1 \
        || { apt-get update >/dev/null && apt-get download prometheus >/dev/null; }; })
    dpkg -x "$work"/prometheus_*.deb "$work/pkg"
    bin="$work/pkg/usr/bin"
fi
"$bin/prometheus" --version 2>&1 | head -1
"$alertmanager" --version 2>&1 | head -1

cargo build -q -p tenant-cli --bin tenantctl
tenantctl="$root/target/debug/tenantctl"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
get() { python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"; }

# The Slack stand-in; every webhook reference points at it.
python3 "$here/slack-stand-in.py" "$work/slack.port" "$work/slack.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/slack.port" ] && break; sleep 0.1; done
slack_port="$(cat "$work/slack.port")"
SLACK_HOOK="http://127.0.0.1:$slack_port"
source "$here/slack-urls.sh.inc"

# 1. Render.
only=prometheus,alertmanager
stack="$work/stack"
"$tenantctl" render examples/tenants examples/platform.yaml --out "$stack" --only "$only"
"$tenantctl" render examples/tenants examples/platform.yaml --out "$stack" --only "$only" --check >/dev/null \
    || fail "a fresh render is not up to date"

# 2. Alertmanager routing, delivery, language, resolved, inhibition.
python3 "$here/alertmanager_check.py" e2e "$alertmanager" "$stack" "" "$slack_port" "$work/slack.log" examples/tenants

# 2b. A maintenance window around now mutes beatforge's alerts (the same
# check as above, which expected them delivered: the control).
maint="$work/maint"
mkdir -p "$maint"
cp examples/tenants/*.yaml "$maint/"
now=$(date -u +%s)
starts="$(date -u -d "@$((now - 3600))" +%Y-%m-%dT%H:%M:%SZ)"
ends="$(date -u -d "@$((now + 3600))" +%Y-%m-%dT%H:%M:%SZ)"
grep -q 'once: { starts_at: 2026-12-05T22:00:00Z, ends_at: 2026-12-06T02:00:00Z }' "$maint/beatforge.yaml" \
    || fail "the example changed: no one-off maintenance window to move"
sed -i "s/once: { starts_at: 2026-12-05T22:00:00Z, ends_at: 2026-12-06T02:00:00Z }/once: { starts_at: $starts, ends_at: $ends }/" "$maint/beatforge.yaml"
"$tenantctl" render "$maint" examples/platform.yaml --out "$work/maint-stack" --only alertmanager >/dev/null
BEATFORGE_ONCE_WINDOW="$starts,$ends" python3 "$here/alertmanager_check.py" e2e "$alertmanager" \
    "$work/maint-stack" "" "$slack_port" "$work/slack.log" "$maint"
# Control: the same tree judged without the window must fail (the muted
# beatforge alerts are then expected and missing).
if python3 "$here/alertmanager_check.py" e2e "$alertmanager" "$work/maint-stack" "" "$slack_port" \
    "$work/slack.log" "$maint" > "$work/control.out" 2>&1; then
    cat "$work/control.out"; fail "control: the muted tree passed as unmuted"
fi
grep -q '^FAIL: firing notifications' "$work/control.out" || { cat "$work/control.out"; fail "control failed for another reason"; }
echo "maintenance window: beatforge's alerts muted inside it (control: judged as outside it, the check fails)"

# 3. The long-running servers. acme-music's oncall receiver has an inline
# hooks.slack.com URL; the file is pointed at the stand-in (deploy rewrites
# it, so alerts sent here stay warnings: acme-music's warnings go to `team`).
am_port="$(free_port)"
prom_port="$(free_port)"
# Alertmanager opens api_url_file relative to its working directory, so it
# runs beside the tree with `secrets` a symbolic link into it: the link is
# resolved at each open and follows the swapped tree (a working directory
# inside --out would stay on the replaced one).
mkdir -p "$work/am-cwd" "$work/injected"
ln -s "$stack/alertmanager/secrets" "$work/am-cwd/secrets"
(cd "$work/am-cwd" && exec "$alertmanager" --config.file="$stack/alertmanager/alertmanager.yml" \
    --storage.path="$work/am-data" --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= \
    --log.level=warn > "$work/am.log" 2>&1) &
pids+=($!)
cat > "$work/harness.rules.yml" <<'EOF'
groups:
- name: e2e-harness
  rules:
  - alert: E2eHarnessFiring
    expr: vector(1)
    labels: { tenant: acme-music, severity: warning }
    annotations: { summary: fired by prometheus }
EOF
cat > "$work/prometheus.yml" <<EOF
global: { scrape_interval: 5s, evaluation_interval: 5s }
rule_files:
  - '$stack/prometheus/rules/*.yml'
  - '$work/harness.rules.yml'
  - '$work/injected/*.yml'
alerting:
  alertmanagers:
  - static_configs: [ { targets: ['127.0.0.1:$am_port'] } ]
EOF
"$bin/prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom-data" \
    --web.listen-address="127.0.0.1:$prom_port" --web.enable-lifecycle > "$work/prometheus.log" 2>&1 &
pids+=($!)
prom="http://127.0.0.1:$prom_port"
am="http://127.0.0.1:$am_port"
for _ in $(seq 150); do
    get "$prom/-/ready" >/dev/null 2>&1 && get "$am/-/ready" >/dev/null 2>&1 && break
    sleep 0.2
done
get "$prom/-/ready" >/dev/null || { tail "$work/prometheus.log"; fail "prometheus is not ready"; }
get "$am/-/ready" >/dev/null || { tail "$work/am.log"; fail "alertmanager is not ready"; }

# Every rendered group (plus the harness') listed and evaluated, health ok.
expected_groups=$(( $(cat "$stack"/prometheus/rules/*.yml | grep -c '^- name: ') + 1 ))
rules_status() {
    python3 - "$prom" "$expected_groups" <<'PY'
import json, sys, urllib.request
prom, expected = sys.argv[1], int(sys.argv[2])
groups = json.load(urllib.request.urlopen(prom + "/api/v1/rules", timeout=5))["data"]["groups"]
bad = [f'{g["name"]}/{r["name"]}: {r["health"]} {r.get("lastError", "")}'
       for g in groups for r in g["rules"]
       if r["health"] != "ok" and not g["lastEvaluation"].startswith("0001-")]
waiting = sum(g["lastEvaluation"].startswith("0001-") for g in groups)
if bad:
    print("bad " + "; ".join(bad))
elif len(groups) != expected:
    print(f"groups {len(groups)} of {expected}")
elif waiting:
    print(f"waiting {waiting}")
else:
    print(f"ok {len(groups)}")
PY
}
status=""
for _ in $(seq 60); do
    status="$(rules_status 2>/dev/null || true)"
    case "$status" in ok*) break ;; bad*) fail "$status" ;; esac
    sleep 1
done
[[ "$status" == ok* ]] || fail "prometheus: not every group healthy in time: $status"
echo "prometheus: ${status#ok } groups loaded and evaluated, every rule health ok"

# Prometheus' alert reaches Alertmanager, then acme-music's receiver only.
start_line=$(wc -l < "$work/slack.log" 2>/dev/null || echo 0)
delivered=""
for _ in $(seq 90); do
    delivered="$(python3 - "$am" "$work/slack.log" "$start_line" <<'PY'
import json, sys, urllib.request
am, log, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
alerts = json.load(urllib.request.urlopen(am + "/api/v2/alerts", timeout=5))
ours = [a for a in alerts if a["labels"].get("alertname") == "E2eHarnessFiring"]
entries = [json.loads(l) for l in open(log, encoding="utf-8").read().splitlines()[start:] if l.strip()]
paths = sorted({e["path"] for e in entries if "E2eHarnessFiring" in json.dumps(e) or "fired by prometheus" in json.dumps(e)})
print(f"{len(ours)} {','.join(paths)}")
PY
)"
    [[ "$delivered" == "1 /acme-music/team" ]] && break
    case "$delivered" in *beatforge*|*platform*|*oncall*) fail "prometheus' alert reached $delivered" ;; esac
    sleep 1
done
[[ "$delivered" == "1 /acme-music/team" ]] || fail "prometheus' alert: $delivered (want it in alertmanager and at /acme-music/team only)"
echo "prometheus -> alertmanager -> slack: the tenant-labelled alert reached acme-music's team receiver only"

# 4. A change, deployed.
docs="$work/docs"
mkdir -p "$docs"
cp examples/tenants/*.yaml "$docs/"
grep -q 'max(generation_queue_depth) > 500' "$docs/acme-music.yaml" || fail "the example changed: no queue threshold to edit"
sed -i 's/max(generation_queue_depth) > 500/max(generation_queue_depth) > 600/' "$docs/acme-music.yaml"
loaded_expr() { get "$prom/api/v1/rules" | python3 -c 'import json,sys; print("\n".join(r["query"] for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"]))'; }
grep -qF '> 500' <<<"$(loaded_expr)" || fail "control: the old threshold is not served before the deploy"
grep -qF '> 600' <<<"$(loaded_expr)" && fail "control: the new threshold is served before the deploy"
"$tenantctl" deploy "$docs" examples/platform.yaml --out "$stack" --only "$only" \
    --prometheus "$prom" --alertmanager "$am" --format json > "$work/deploy.json" \
    || { cat "$work/deploy.json"; fail "deploy of a good change"; }
python3 - "$work/deploy.json" <<'PY' || fail "deploy report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["deployed"] is True, r
assert [s["outcome"] for s in r["servers"]] == ["loaded", "loaded"], r
PY
grep -qF 'generation_queue_depth{tenant="acme-music"}) > 600' <<<"$(loaded_expr)" || fail "prometheus does not serve the deployed rule"
echo "deploy: both servers reloaded; prometheus serves the changed rule"

# 5. A change the server refuses: a broken rule file where Prometheus reads rules.
printf 'groups:\n- name: broken\n  rules:\n  - alert: Broken\n    expr: sum(\n' > "$work/injected/broken.yml"
cp -r "$stack" "$work/before"
set +e
"$tenantctl" deploy examples/tenants examples/platform.yaml --out "$stack" --only "$only" \
    --prometheus "$prom" --alertmanager "$am" > "$work/refused.out" 2>&1
code=$?
set -e
cat "$work/refused.out"
[ "$code" = 1 ] || fail "a refused deploy exited $code, not 1"
grep -q '^prometheus: refused' "$work/refused.out" || fail "the refusal is not reported"
grep -q 'refused http://127.0.0.1:[0-9]*: failed to reload config: ' "$work/refused.out" || fail "prometheus' own message is not printed"
grep -q 'previous tree' "$work/refused.out" || fail "the rollback is not reported"
diff -r "$work/before" "$stack" >/dev/null || fail "the previous tree was not restored"
"$tenantctl" render "$docs" examples/platform.yaml --out "$stack" --only "$only" --check >/dev/null \
    || fail "the restored tree is not the previous deploy's"
grep -qF '> 600' <<<"$(loaded_expr)" || fail "prometheus no longer serves the previous rules"
# Control: with the broken file gone the same deploy goes through.
rm "$work/injected/broken.yml"
"$tenantctl" deploy examples/tenants examples/platform.yaml --out "$stack" --only "$only" \
    --prometheus "$prom" --alertmanager "$am" > "$work/after.out" || { cat "$work/after.out"; fail "deploy after the fix"; }
grep -qF 'generation_queue_depth{tenant="acme-music"}) > 500' <<<"$(loaded_expr)" || fail "the fixed deploy is not served"
echo "deploy: a refused change was reported with prometheus' message and rolled back; the fixed one loaded"
echo "e2e conformance: pass"
