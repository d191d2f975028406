#!/usr/bin/env bash
# Conformance of the Grafana target: `tenantctl render --only grafana` over the
# example tenants, the hostile corpus and a tenant with a panel of every kind
# (tenant-render/tests/data/grafana/every-panel.yaml), then
#
#  1. every dashboard against Grafana's dashboard JSON Schema, every panel's
#     `options` and `fieldConfig.defaults.custom` against its plugin's schema
#     and every panel target against the Prometheus query schema (the Grafana
#     Foundation SDK's schemas, vendored in tenant-render/tests/data/grafana/),
#     checked by an independent validator (Python check-jsonschema);
#  2. every target expression parsed by the real Prometheus 2.42 (promtool
#     check rules over a rule file holding each expression as a recording rule);
#  3. every text panel and panel description rendered by a CommonMark renderer
#     (markdown-it-py): formatting only, no raw HTML, script, link or image.
#
# Before trusting the validator, it must reject a deliberately broken dashboard
# and broken panel options, so a silently broken oracle cannot make this pass.
# (The tenant lock of each expression and the provisioning files' shape are
# checked by `cargo test -p tenant-render --test render grafana`.)
#
# Usage (from anywhere): bash .ci/conformance/grafana.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/conformance/python-env.sh.inc
pip_install 'check-jsonschema>=0.29' 'markdown-it-py>=3'
cj="$CONFORMANCE_VENV/bin/check-jsonschema"
py="$CONFORMANCE_VENV/bin/python"
schemas="tenant-render/tests/data/grafana"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# promtool: from PATH, else from the Debian package (unpacked, not installed).
if command -v promtool >/dev/null 2>&1; then
  promtool="$(command -v promtool)"
else
  (cd "$work" && { apt-get download prometheus >/dev/null 2>&1 \
      || { apt-get update >/dev/null && apt-get download prometheus >/dev/null; }; } \
      && dpkg -x prometheus_*.deb pkg)
  promtool="$work/pkg/usr/bin/promtool"
fi

cargo build -q -p tenant-cli
tenantctl="target/debug/tenantctl"

# The example platform with Mimir, so per-tenant data sources are rendered too.
sed 's|^  datasource_uid: prometheus$|&\n  mimir_url: http://mimir:8080/prometheus|' \
  examples/platform.yaml > "$work/platform.yaml"
grep -q 'mimir_url' "$work/platform.yaml"

"$tenantctl" render examples/tenants "$work/platform.yaml" --only grafana --out "$work/out/examples" >/dev/null
# A tenant with a panel of every kind (the examples have no gauge or table).
"$tenantctl" render tenant-render/tests/data/grafana/every-panel.yaml "$work/platform.yaml" \
  --only grafana --out "$work/out/every-panel" >/dev/null
# The hostile corpus copies the examples' isolation names, so it is rendered
# as a set of its own; its cross-tenant grant names an example tenant, which
# is pointed at that tenant's hostile copy.
mkdir -p "$work/hostile"
for doc in tenant-render/tests/hostile/*.yaml; do
  sed -E 's/^(      tenant: )(acme-music|beatforge|lofi-labs)$/\1hostile-\2/' "$doc" > "$work/hostile/$(basename "$doc")"
done
"$tenantctl" render "$work/hostile" "$work/platform.yaml" --only grafana --out "$work/out/hostile" >/dev/null

# Root schemas for the panel plugin definitions (their files have no root).
"$py" - "$schemas" "$work/schemas" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
for kind in ["timeseries", "stat", "gauge", "bargauge", "table", "text"]:
    schema = json.load(open(f"{src}/{kind}.jsonschema.json"))
    for name in ["Options", "FieldConfig"]:
        if name in schema["definitions"]:
            schema["$ref"] = f"#/definitions/{name}"
            json.dump(schema, open(f"{out}/{kind}.{name}.json", "w"))
PY

# Splits every dashboard into its parts: parts/<schema>/<n>.json, and
# every target expression into a rule file for promtool.
"$py" - "$work/out" "$work/parts" "$work/exprs.rules.yml" <<'PY'
import glob, json, os, sys
out, parts, rules = sys.argv[1], sys.argv[2], sys.argv[3]
n = 0
exprs = []
def put(schema, value):
    global n
    n += 1
    os.makedirs(f"{parts}/{schema}", exist_ok=True)
    json.dump(value, open(f"{parts}/{schema}/{n}.json", "w"))
dashboards = sorted(glob.glob(f"{out}/*/grafana/dashboards/*/*.json"))
for path in dashboards:
    for panel in json.load(open(path))["panels"]:
        kind = panel["type"]
        if kind == "row":
            continue
        put(f"{kind}.Options", panel["options"])
        custom = panel["fieldConfig"]["defaults"].get("custom")
        if custom is not None:
            put(f"{kind}.FieldConfig", custom)
        for target in panel.get("targets", []):
            put("prometheus", target)
            exprs.append(target["expr"])
with open(rules, "w") as f:
    f.write("groups:\n- name: grafana-targets\n  rules:\n")
    for i, e in enumerate(exprs):
        f.write(f"  - record: grafana_target_{i}\n    expr: {json.dumps(e)}\n")
print(f"{len(dashboards)} dashboards, {n} panel parts, {len(exprs)} target expressions")
PY

# 1. The validator must see broken input as broken.
first="$(ls "$work"/out/examples/grafana/dashboards/*/*.json | head -1)"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["colour"]="red"; d["panels"][0]["gridPos"]["w"]=25; json.dump(d,open(sys.argv[2],"w"))' \
  "$first" "$work/broken-dashboard.json"
echo '{"graphMode": "sparkline"}' > "$work/broken-stat.json"
if "$cj" --schemafile "$schemas/dashboard.jsonschema.json" "$work/broken-dashboard.json" >/dev/null 2>&1 \
   || "$cj" --schemafile "$work/schemas/stat.Options.json" "$work/broken-stat.json" >/dev/null 2>&1; then
  echo "check-jsonschema accepted a deliberately broken dashboard or panel"
  echo "grafana: 0 passed, 1 failed"
  exit 1
fi
echo "self-check: check-jsonschema rejects a broken dashboard and broken stat options"

passed=0
failed=0
check() { # name, schema, files...
  local name="$1" schema="$2"
  shift 2
  if "$cj" --schemafile "$schema" "$@" >"$work/cj.log" 2>&1; then
    echo "ok   $name: $# file(s)"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    head -40 "$work/cj.log"
    failed=$((failed + 1))
  fi
}

check "dashboards (dashboard schema)" "$schemas/dashboard.jsonschema.json" \
  "$work"/out/*/grafana/dashboards/*/*.json
for dir in "$work"/parts/*/; do
  part="$(basename "$dir")"
  if [[ "$part" == prometheus ]]; then
    schema="$schemas/prometheus.jsonschema.json"
  else
    schema="$work/schemas/$part.json"
  fi
  check "$part" "$schema" "$dir"*.json
done

# 2. Prometheus' own parser over every expression.
if "$promtool" check rules "$work/exprs.rules.yml" >"$work/promtool.log" 2>&1; then
  echo "ok   promtool check rules: $(grep -o 'SUCCESS: [0-9]* rules found' "$work/promtool.log")"
  passed=$((passed + 1))
else
  echo "FAIL promtool check rules"
  head -40 "$work/promtool.log"
  failed=$((failed + 1))
fi

# 3. Tenant text shown as Markdown (text panels, panel descriptions) rendered
#    by an independent CommonMark renderer (markdown-it-py, raw HTML and every
#    link scheme allowed, as the worst case) gives only formatting tags without attributes: no
#    script, no raw HTML, no link, no image. The renderer must flag the same
#    text unescaped first.
"$py" - "$work/out" <<'PY' && passed=$((passed + 1)) || failed=$((failed + 1))
import glob, json, sys
from html.parser import HTMLParser
from markdown_it import MarkdownIt

md = MarkdownIt("commonmark", {"html": True})
# Its own link sanitizing off: the escaping, not the renderer, must stop them.
md.validateLink = lambda url: True
FORMATTING = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "ul", "ol",
              "li", "code", "pre", "blockquote", "hr", "br"}

class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad = []
    def handle_starttag(self, tag, attrs):
        attrs = [a for a in attrs if a != ("start", a[1]) or tag != "ol"]
        if tag not in FORMATTING or attrs:
            self.bad.append((tag, attrs))

def bad(text):
    t = Tags()
    t.feed(md.render(text))
    return t.bad

hostile = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](https://t/x) <javascript:alert(1)>"
if len(bad(hostile)) < 3:
    print("FAIL markdown self-check: markdown-it-py did not see raw markup as markup")
    sys.exit(1)

texts = 0
problems = []
for path in sorted(glob.glob(f"{sys.argv[1]}/*/grafana/dashboards/*/*.json")):
    for panel in json.load(open(path))["panels"]:
        shown = []
        if panel["type"] == "text":
            shown.append(panel["options"]["content"])
        if "description" in panel:
            shown.append(panel["description"])
        for text in shown:
            texts += 1
            found = bad(text)
            if found:
                problems.append(f"{path}: panel {panel['id']}: {found[:3]}")
for p in problems[:20]:
    print("FAIL", p)
if problems:
    sys.exit(1)
print(f"ok   markdown: {texts} texts render as formatting only (self-check flags raw markup)")
PY

# The provisioning files are written, with one Mimir data source per tenant.
for set in examples hostile; do
  for f in dashboards datasources; do
    test -s "$work/out/$set/grafana/provisioning/$f/tenants.yml"
  done
  orgids="$(grep -c 'httpHeaderName1: X-Scope-OrgID' "$work/out/$set/grafana/provisioning/datasources/tenants.yml")"
  if [[ "$orgids" -ne 3 ]]; then
    echo "FAIL datasources ($set): ${orgids} Mimir data sources for 3 tenants"
    failed=$((failed + 1))
  fi
done

echo "grafana: ${passed} passed, ${failed} failed"
(( failed == 0 ))
