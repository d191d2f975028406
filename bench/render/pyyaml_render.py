"""Python baseline for the render benchmark: the same files as tenant-render's
prometheus, mimir and kubernetes targets, from the same tenants (dumped by
`render N --dump FILE`), written as a straightforward generator with PyYAML's
C dumper (the seed's stack).

It does what a hand-written generator does: the tenant matcher is inserted
into the PromQL text with regular expressions (no parser, so no 2.42 check and
no refusal of a conflicting matcher), the promtool series come from the
metric names found the same way. The timing covers building the documents
and dumping them to strings, not loading the JSON.

Usage: python pyyaml_render.py TENANTS.json
Prints one line of JSON: tenants, files, bytes, seconds (best of 3 after one
warm-up; one run after the warm-up at 10 000 tenants and more), peak RSS (ru_maxrss).
"""

import json
import re
import resource
import sys
import time

import yaml

DUMPER = yaml.CSafeDumper
WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
SELECTOR_WITH_BRACES = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\{")
SELECTOR_WITH_RANGE = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\[")
PERIODS = {"d": 86400000, "h": 3600000, "m": 60000, "s": 1000}


def lock(expr, slug):
    matcher = 'tenant="%s"' % slug
    expr = SELECTOR_WITH_BRACES.sub(lambda m: "%s{%s," % (m.group(1), matcher), expr)
    return SELECTOR_WITH_RANGE.sub(lambda m: "%s{%s}[" % (m.group(1), matcher), expr)


def millis(d):
    return int(d[:-1]) * PERIODS[d[-1]]


def template(text):
    return text.replace("{{", '{{ "{{" }}')


def dump(doc):
    return "# Rendered by the Python baseline.\n" + yaml.dump(
        doc, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=1 << 30
    )


def tenant_groups(t, locked=True):
    slug = t["slug"]
    m = t.get("monitoring", {})
    interval = m.get("evaluation_interval", "1m")
    l = (lambda e: lock(e, slug)) if locked else (lambda e: e)
    alerts = []
    for r in m.get("alert_rules", []):
        labels = {k: template(v) for k, v in r.get("labels", {}).items()}
        labels["tenant"] = slug
        labels["severity"] = r["severity"]
        ann = {"summary": template(r["summary"])}
        if "description" in r:
            ann["description"] = template(r["description"])
        if "runbook_url" in r:
            ann["runbook_url"] = r["runbook_url"]
        ann["dashboard_url"] = "/d/tk-x/%s-overview" % slug
        rule = {"alert": r["alert"], "expr": l(r["expr"])}
        if "for" in r:
            rule["for"] = r["for"]
        rule["labels"] = labels
        rule["annotations"] = ann
        alerts.append(rule)
    records = []
    for r in m.get("recording_rules", []):
        labels = dict(r.get("labels", {}))
        labels["tenant"] = slug
        records.append({"record": r["record"], "expr": l(r["expr"]), "labels": labels})
    groups = [
        {"name": slug + "-alerts", "interval": interval, "rules": alerts},
        {"name": slug + "-records", "interval": interval, "rules": records},
    ]
    slo_groups = []
    tests = []
    for s in m.get("slos", []):
        name = s["name"]
        labels = {"slo": name, "tenant": slug}
        budget = round(100 - s["objective"], 9) / 100
        rules = []
        for w in WINDOWS + [s["period"]]:
            rec = "slo:sli_error:ratio_rate" + w if w in WINDOWS else "slo:sli_error:ratio_period"
            e = l(s["sli"]["error_query"].replace("$window", w))
            tot = l(s["sli"]["total_query"].replace("$window", w))
            rules.append({"record": rec, "expr": "(%s) / (%s)" % (e, tot), "labels": labels})
        sel = '{slo="%s",tenant="%s"}' % (name, slug)
        rules.append({"record": "slo:objective:ratio", "expr": "vector(%s)" % (1 - budget), "labels": labels})
        rules.append({"record": "slo:error_budget:ratio", "expr": "vector(%s)" % budget, "labels": labels})
        rules.append({"record": "slo:current_burn_rate:ratio", "expr": "slo:sli_error:ratio_rate5m%s / %s" % (sel, budget), "labels": labels})
        rules.append({"record": "slo:period_burn_rate:ratio", "expr": "slo:sli_error:ratio_period%s / %s" % (sel, budget), "labels": labels})
        rules.append({"record": "slo:period_error_budget_remaining:ratio", "expr": "1 - slo:period_burn_rate:ratio%s" % sel, "labels": labels})
        p = millis(s["period"])
        for alert, sev, burns in [
            ("SloErrorBudgetBurnPage", "critical", [("1h", "5m", 2, 3600000), ("6h", "30m", 5, 21600000)]),
            ("SloErrorBudgetBurnTicket", "warning", [("1d", "2h", 10, 86400000), ("3d", "6h", 10, 259200000)]),
        ]:
            parts = []
            for long, short, pct, ms in burns:
                th = "(%s * %s)" % (pct * p / (100 * ms), budget)
                parts.append("(slo:sli_error:ratio_rate%s%s > %s and slo:sli_error:ratio_rate%s%s > %s)" % (long, sel, th, short, sel, th))
            ann = {"summary": "SLO %s is burning its error budget" % name}
            if "description" in s:
                ann["description"] = template(s["description"])
            rules.append({"alert": alert, "expr": " or ".join(parts), "labels": dict(labels, severity=sev), "annotations": ann})
        slo_groups.append({"name": "%s-slo-%s" % (slug, name), "interval": interval, "rules": rules})
        if locked:
            metrics = sorted(set(SELECTOR_WITH_BRACES.findall(s["sli"]["error_query"] + s["sli"]["total_query"])
                                 + SELECTOR_WITH_RANGE.findall(s["sli"]["error_query"] + s["sli"]["total_query"])))
            for burn, what in [(20, "page and ticket fire"), (4, "ticket fires"), (0.5, "nothing fires")]:
                ratio = burn * budget
                series = [{"series": '%s{tenant="%s"}' % (mm, slug), "values": "0+%sx150" % (600 * ratio)} for mm in metrics]
                exp = [{"exp_labels": dict(labels, severity="critical"), "exp_annotations": {"summary": name}}] if burn > 6 else []
                tests.append({"name": "SLO %s burns %sx: %s" % (name, burn, what), "interval": "1m", "input_series": series,
                              "alert_rule_test": [{"eval_time": "2h", "alertname": "SloErrorBudgetBurnPage", "exp_alerts": exp},
                                                  {"eval_time": "2h", "alertname": "SloErrorBudgetBurnTicket", "exp_alerts": exp}]})
    return groups, slo_groups, tests


def render(tenants):
    files = {}
    overrides = {}
    for t in tenants:
        slug = t["slug"]
        groups, slo_groups, tests = tenant_groups(t)
        files["prometheus/rules/%s.rules.yml" % slug] = dump({"groups": groups})
        files["prometheus/rules/%s.slo.rules.yml" % slug] = dump({"groups": slo_groups})
        files["prometheus/tests/%s.slo.test.yml" % slug] = dump({
            "rule_files": ["../rules/%s.slo.rules.yml" % slug], "evaluation_interval": "1m", "tests": tests})
        ug, us, _ = tenant_groups(t, locked=False)
        files["mimir/rules/%s.yml" % slug] = dump({"namespace": slug, "groups": ug + us})
        files["kubernetes/%s/prometheusrule.yml" % slug] = dump({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
            "metadata": {"name": slug + "-rules", "namespace": slug, "labels": {"tenant": slug}},
            "spec": {"groups": groups + slo_groups}})
        overrides[slug] = {"ingestion_rate": 200000, "ingestion_burst_size": 400000,
                           "max_global_series_per_user": 2000000, "ruler_max_rules_per_rule_group": 100,
                           "ruler_max_rule_groups_per_tenant": 200}
    files["mimir/runtime.yml"] = dump({"overrides": overrides})
    return files


def main():
    tenants = json.load(open(sys.argv[1]))
    best = float("inf")
    files = {}
    runs = 4 if len(tenants) < 10000 else 2
    for run in range(runs):
        start = time.perf_counter()
        files = render(tenants)
        secs = time.perf_counter() - start
        if run > 0:
            best = min(best, secs)
    print(json.dumps({"impl": "python-pyyaml-cdumper", "tenants": len(tenants), "files": len(files),
                      "bytes": sum(len(v) for v in files.values()), "seconds": round(best, 4),
                      "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
