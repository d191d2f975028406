#!/usr/bin/env bash
# Conformance of `tenantctl compliance`:
# - the compliance fixtures (the two non-compliant documents and the
#   three-version history) are valid tenant documents for an independent
#   JSON Schema validator (check-jsonschema): they fail compliance, not
#   validation;
# - the Markdown report (examples, fixtures, and a copy of acme-music with
#   a hostile reviewer) parses, with markdown-it-py's GFM tables (an
#   independent CommonMark parser), into one 6-column table per tenant with
#   one row per rule, and hostile text in a reviewer's name (`|`, HTML, a
#   backtick) neither adds a column nor reaches the output as HTML.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/conformance/python-env.sh.inc
pip_install 'check-jsonschema>=0.29' 'markdown-it-py>=3,<5'
py="$CONFORMANCE_VENV/bin/python"

cargo build -q -p tenant-cli --bin tenantctl
tenantctl="$PWD/target/debug/tenantctl"
fixtures=tenant-policy/tests/fixtures/compliance

"$CONFORMANCE_VENV/bin/check-jsonschema" --schemafile schemas/tenant_base.json \
  "$fixtures"/*.yaml "$fixtures"/history/v*.yaml

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed 's/    reviewer: Claire Martin/    reviewer: "Eve | <script>alert(1)<\/script> `x` \&amp;"/' \
  examples/tenants/acme-music.yaml > "$work/acme-music.yaml"
grep -q 'reviewer: "Eve |' "$work/acme-music.yaml"

set +e
"$tenantctl" compliance examples/tenants/beatforge.yaml examples/tenants/lofi-labs.yaml "$fixtures/silent.yaml" "$fixtures/offshore.yaml" \
  "$work/acme-music.yaml" examples/platform.yaml --format markdown --at 2026-12-01T00:00:00Z \
  > "$work/report.md" 2>/dev/null
status=$?
set -e
# Not every tenant is compliant: exit 1, with a report.
[ "$status" -eq 1 ] || { echo "expected exit 1, got $status"; exit 1; }

"$py" - "$work/report.md" <<'PY'
import sys
from markdown_it import MarkdownIt

text = open(sys.argv[1], encoding="utf-8").read()
md = MarkdownIt("commonmark").enable("table")
tokens = md.parse(text)
assert not [t for t in tokens if t.type in ("html_block", "html_inline")], "raw HTML in the report"
for t in tokens:
    for c in t.children or []:
        assert c.type != "html_inline", f"inline HTML: {c.content!r}"

headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
tables = []
current = None
for t in tokens:
    if t.type == "table_open":
        current = []
    elif t.type == "tr_open" and current is not None:
        current.append([])
    elif t.type == "inline" and current:
        current[-1].append(t.content)
    elif t.type == "table_close":
        tables.append(current)
        current = None

expected_tenants = ["acme-music", "beatforge", "lofi-labs", "silent-studio", "offshore-music"]
assert sorted(headings) == sorted(expected_tenants), headings
assert len(tables) == len(headings), (len(tables), headings)
outcomes = {"pass", "fail", "not applicable", "no evidence"}
for name, table in zip(headings, tables):
    header, *rows = table
    assert header == ["rule", "reference", "outcome", "evidence", "value", "remediation"], header
    assert len(rows) == 12, (name, len(rows))
    for row in rows:
        assert len(row) == 6, (name, row)
        assert row[2] in outcomes, (name, row)
by_rule = {}
for name, table in zip(headings, tables):
    for row in table[1:]:
        by_rule[(name, row[0])] = row
assert by_rule[("offshore-music", "soc2-cc6-1-privileged-access")][2] == "fail"
assert "/access_control/bindings/0/conditions/require_mfa" in by_rule[("offshore-music", "soc2-cc6-1-privileged-access")][3]
assert by_rule[("silent-studio", "gdpr-art-28-3-g-erasure")][2] == "no evidence"
hostile = [t for n, t in zip(headings, tables) if n == "acme-music"]
values = [row[4] for t in hostile for row in t[1:] if row[0] == "soc2-cc6-2-access-review"]
rendered = [md.renderInline(v) for v in values]
assert len(rendered) == 1 and "Eve | " in rendered[0], rendered
assert "<script>" not in rendered[0] and "Eve | &lt;script&gt;alert(1)&lt;/script&gt; `x` &amp;amp;`" in rendered[0], rendered
# Every cell renders as the text it holds: nothing is lost to markup.
for table in tables:
    for row in table:
        for c in row:
            assert "<" not in md.renderInline(c), c
print(f"compliance: {len(tables)} Markdown tables, 12 rules each, hostile reviewer contained")
PY
echo "compliance: fixtures valid against the schema, Markdown report parses"
