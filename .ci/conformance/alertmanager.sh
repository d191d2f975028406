#!/usr/bin/env bash
# Conformance of the alerting renderers (tenant-render's alertmanager,
# mimir/alertmanager and kubernetes/alertmanagerconfig) against the real
# Alertmanager 0.25 (Debian bookworm's prometheus-alertmanager):
#
# 1. `amtool check-config` on the shared tree of the examples and of the
#    hostile corpus, on the same with SLACK_WEBHOOKS_ENABLED=false, and on
#    every Mimir per-tenant config (extracted with its template files).
# 2. `amtool config routes test` for every tenant x severity: exactly that
#    tenant's receivers; no tenant label (or an unknown or regex-looking
#    value) reaches only the platform receiver.
#    1 and 2 also run on the sharded layout of the shared tree
#    (`alertmanager_route_tree: sharded`), which must differ from the flat
#    one only in the shard routes (alertmanager_check.py sharded); the
#    examples' sharded tree goes through 3 as well.
# 3. A real Alertmanager on loopback with the rendered config, a Python
#    stand-in for Slack (slack-stand-in.py) that the webhook URL files point
#    at: each tenant's alerts arrive only at its receivers, in its language;
#    a critical alert of one tenant inhibits its own warning but not another
#    tenant's; resolved notifications arrive where send_resolved is on.
#
# Usage: bash .ci/conformance/alertmanager.sh   (tools from PATH, or
# installed with apt-get when missing; CI runs as root)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
here="$root/.ci/conformance"

# Debian names the server prometheus-alertmanager.
find_alertmanager() { command -v prometheus-alertmanager || command -v alertmanager || true; }
need_install=0
if ! command -v amtool >/dev/null || [ -z "$(find_alertmanager)" ]; then need_install=1; fi
python3 -c 'import yaml, zoneinfo; zoneinfo.ZoneInfo("Europe/Berlin")' 2>/dev/null || need_install=1
if [ "$need_install" = 1 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends prometheus-alertmanager tzdata python3 python3-yaml \
        || { apt-get update && apt-get install -y --no-install-recommends prometheus-alertmanager tzdata python3 python3-yaml; }
fi
amtool="$(command -v amtool)"
alertmanager="$(find_alertmanager)"
# Debian's alertmanager reads its default template from this folder; after a
# bare `dpkg -x` it is next to the binary instead.
if [ ! -f /usr/share/prometheus/alertmanager/default.tmpl ]; then
    share="$(dirname "$alertmanager")/../share/prometheus/alertmanager"
    if [ -f "$share/default.tmpl" ]; then
        mkdir -p /usr/share/prometheus
        cp -r "$share" /usr/share/prometheus/
    fi
fi
"$alertmanager" --version 2>&1 | head -1

work="$(mktemp -d)"
slack_pid=""
cleanup() {
    if [ -n "$slack_pid" ]; then kill "$slack_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cargo build -q -p tenant-cli
tenantctl="$root/target/debug/tenantctl"

# The Slack stand-in.
python3 "$here/slack-stand-in.py" "$work/slack.port" "$work/slack.log" &
slack_pid=$!
for _ in $(seq 50); do [ -s "$work/slack.port" ] && break; sleep 0.1; done
port="$(cat "$work/slack.port")"
hook="http://127.0.0.1:$port"

# The webhook references of the documents, pointed at the stand-in.
SLACK_HOOK="$hook"
source .ci/conformance/slack-urls.sh.inc

platform=examples/platform.yaml
render() { # OUT DOCS...
    local out="$1"; shift
    "$tenantctl" render "$@" "$platform" --out "$out" --only alertmanager,mimir,kubernetes >/dev/null
}
render "$work/examples" examples/tenants/*.yaml
render "$work/hostile" tenant-render/tests/hostile
# The sharded layout of the shared tree, forced (three tenants are far below
# the `auto` threshold): the same oracles run on it.
sed 's/^  tenant_label: tenant$/&\n  alertmanager_route_tree: sharded/' examples/platform.yaml >"$work/platform-sharded.yaml"
grep -q 'alertmanager_route_tree: sharded' "$work/platform-sharded.yaml"
platform="$work/platform-sharded.yaml"
render "$work/sharded" examples/tenants/*.yaml
render "$work/sharded-hostile" tenant-render/tests/hostile
platform=examples/platform.yaml
python3 "$here/alertmanager_check.py" sharded "$work/examples" "$work/sharded"
python3 "$here/alertmanager_check.py" sharded "$work/hostile" "$work/sharded-hostile"
SLACK_WEBHOOKS_ENABLED=false render "$work/no-slack" examples/tenants/*.yaml
if ls "$work/no-slack/alertmanager/secrets" >/dev/null 2>&1 || grep -q slack_configs "$work/no-slack/alertmanager/alertmanager.yml"; then
    echo "FAIL: SLACK_WEBHOOKS_ENABLED=false still wrote Slack configs or URL files"; exit 1
fi

checked=0
for bundle in examples hostile no-slack sharded sharded-hostile; do
    "$amtool" check-config "$work/$bundle/alertmanager/alertmanager.yml" >"$work/check.out" 2>&1 \
        || { cat "$work/check.out"; echo "FAIL: amtool check-config $bundle"; exit 1; }
    checked=$((checked + 1))
    mkdir -p "$work/mimir-$bundle"
    python3 "$here/alertmanager_check.py" mimir "$work/$bundle" "$work/mimir-$bundle"
    for config in "$work/mimir-$bundle"/*/alertmanager.yml; do
        "$amtool" check-config "$config" >"$work/check.out" 2>&1 \
            || { cat "$work/check.out"; echo "FAIL: amtool check-config $config"; exit 1; }
        checked=$((checked + 1))
    done
done
echo "amtool check-config: $checked configs pass"

python3 "$here/alertmanager_check.py" routes "$amtool" "$work/examples/alertmanager/alertmanager.yml" ""
python3 "$here/alertmanager_check.py" routes "$amtool" "$work/hostile/alertmanager/alertmanager.yml" "hostile-"
python3 "$here/alertmanager_check.py" routes "$amtool" "$work/sharded/alertmanager/alertmanager.yml" ""
python3 "$here/alertmanager_check.py" routes "$amtool" "$work/sharded-hostile/alertmanager/alertmanager.yml" "hostile-"

python3 "$here/alertmanager_check.py" e2e "$alertmanager" "$work/examples" "" "$port" "$work/slack.log" examples/tenants
python3 "$here/alertmanager_check.py" e2e "$alertmanager" "$work/sharded" "" "$port" "$work/slack.log" examples/tenants
[ -n "${E2E_ONLY_EXAMPLES:-}" ] || python3 "$here/alertmanager_check.py" e2e "$alertmanager" "$work/hostile" "hostile-" "$port" "$work/slack.log" tenant-render/tests/hostile
echo "alertmanager conformance: pass"
