#!/usr/bin/env python3
"""Checks of the rendered Alertmanager files with the real Alertmanager 0.25.

  alertmanager_check.py mimir BUNDLE OUTDIR
      writes each mimir/alertmanager/<slug>.yml as OUTDIR/<slug>/alertmanager.yml
      with its template files next to it (for `amtool check-config`).
  alertmanager_check.py routes AMTOOL CONFIG PREFIX
      `amtool config routes test` for every tenant x severity: the receivers
      must be exactly the expected ones of that tenant; alerts without a
      tenant label, or with another value, reach only the platform receiver.
  alertmanager_check.py sharded FLAT_BUNDLE SHARDED_BUNDLE
      the sharded shared tree is the flat one with the tenant routes grouped
      below shard routes: each has only a `tenant=~` matcher (so it inherits
      the root's receiver, grouping and timings), its regex (anchored, as
      Alertmanager anchors it) matches exactly the slugs of its tenant routes,
      and everything else in the config is unchanged.
  alertmanager_check.py e2e ALERTMANAGER BUNDLE PREFIX SLACK_PORT LOG DOCS
      starts Alertmanager on loopback with the bundle's config, posts alerts
      on /api/v2/alerts and checks what the Slack stand-in received.

PREFIX is "" for the examples and "hostile-" for the hostile corpus.
"""
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zoneinfo

import yaml

PLATFORM = "tenant-kit:platform"
SEVERITIES = ["critical", "warning", "info", "page"]

# What the example documents say (examples/tenants/*.yaml); the hostile
# corpus has the same routing under `hostile-` slugs.
ROUTES = {
    "acme-music": {"critical": ["oncall", "team"], "*": ["team"]},
    "beatforge": {"critical": ["studio", "bereitschaft"], "*": ["studio"]},
    "lofi-labs": {"*": None},
}
CHANNELS = {
    "acme-music/oncall": "#acme-oncall",
    "acme-music/team": "#acme-alertes",
    "beatforge/studio": "#beatforge-studio",
    "beatforge/bereitschaft": "#beatforge-bereitschaft",
}
# Localized field titles and severity words by tenant (fr, de).
LANGUAGE = {
    "acme-music": {"field": "Gravité", "critical": "Critique", "warning": "Avertissement",
                   "info": "Information", "resolved": "Résolue"},
    "beatforge": {"field": "Schweregrad", "critical": "Kritisch", "warning": "Warnung",
                  "info": "Hinweis", "resolved": "Behoben"},
}
# Hostile receivers with send_resolved off (tests/render/corpus.rs: the
# second receiver of each tenant).
NO_RESOLVED_HOSTILE = {"acme-music/team", "beatforge/bereitschaft"}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def mimir(bundle, outdir):
    folder = os.path.join(bundle, "mimir", "alertmanager")
    count = 0
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        if set(doc) != {"template_files", "alertmanager_config"}:
            fail(f"{name}: keys {sorted(doc)}")
        target = os.path.join(outdir, name[: -len(".yml")])
        os.makedirs(target)
        with open(os.path.join(target, "alertmanager.yml"), "w", encoding="utf-8") as f:
            f.write(doc["alertmanager_config"])
        for tname, content in doc["template_files"].items():
            with open(os.path.join(target, tname), "w", encoding="utf-8") as f:
                f.write(content)
        count += 1
    print(f"mimir: {count} configs extracted")


def routes(amtool, config, prefix):
    def test(*labels):
        out = subprocess.run(
            [amtool, "config", "routes", "test", "--config.file=" + config, *labels],
            check=True, capture_output=True, text=True).stdout.strip()
        return out.split(",") if out else []

    checked = 0
    for slug, table in ROUTES.items():
        tenant = prefix + slug
        for severity in SEVERITIES:
            names = table.get(severity, table["*"])
            want = [f"{tenant}:none"] if names is None else [f"{tenant}/{n}" for n in names]
            got = test(f"tenant={tenant}", f"severity={severity}")
            if got != want:
                fail(f"{tenant} {severity}: routed to {got}, expected {want}")
            for receiver in got:
                if not (receiver.startswith(tenant + "/") or receiver == tenant + ":none"):
                    fail(f"{tenant} {severity}: reached {receiver}, not one of its receivers")
            checked += 1
    for labels in [("severity=critical",), ("alertname=X",), ("tenant=nobody", "severity=critical"),
                   ("tenant=" + prefix + "acme-musi", "severity=critical"),
                   ("tenant=.*", "severity=critical"),
                   ("tenant=" + prefix + "acme-music|" + prefix + "beatforge", "severity=critical")]:
        got = test(*labels)
        if got != [PLATFORM]:
            fail(f"{labels}: routed to {got}, expected only {PLATFORM}")
        checked += 1
    print(f"routes: {checked} label sets routed as expected ({prefix or 'examples'})")


def sharded(flat_bundle, sharded_bundle):
    def load(bundle):
        with open(os.path.join(bundle, "alertmanager", "alertmanager.yml"), encoding="utf-8") as f:
            return yaml.safe_load(f)

    flat, tree = load(flat_bundle), load(sharded_bundle)
    tenants = flat["route"].pop("routes")
    shards = tree["route"].pop("routes")
    if flat != tree:
        fail("the sharded config differs from the flat one outside the tenant routes")
    slugs = {}
    for route in tenants:
        (m,) = route["matchers"]
        slug = re.fullmatch(r'tenant="([a-z0-9-]+)"', m).group(1)
        slugs[slug] = route
    below = []
    for shard in shards:
        if set(shard) != {"matchers", "routes"}:
            fail(f"shard route sets {sorted(shard)}: it must inherit all but its matcher")
        (m,) = shard["matchers"]
        pattern = re.fullmatch(r'tenant=~"(.+)"', m).group(1).replace("\\\\", "\\")
        regex = re.compile(f"^(?:{pattern})$")
        mine = {re.fullmatch(r'tenant="(.+)"', r["matchers"][0]).group(1) for r in shard["routes"]}
        matched = {slug for slug in slugs if regex.match(slug)}
        if mine != matched:
            fail(f"shard {pattern}: holds {sorted(mine)} but matches {sorted(matched)}")
        if regex.match(""):
            fail(f"shard {pattern} matches an alert without a tenant label")
        below.extend(shard["routes"])
    if sorted(below, key=repr) != sorted(tenants, key=repr):
        fail("the tenant routes below the shards are not the flat tree's tenant routes")
    print(f"sharded: {len(shards)} shard routes hold the {len(tenants)} tenant routes unchanged")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_window(now, tz, days, start, end):
    local = now.astimezone(zoneinfo.ZoneInfo(tz))
    minutes = local.hour * 60 + local.minute
    return local.weekday() in days and start <= minutes < end


def beatforge_expectation(now):
    """Which beatforge receiver takes a critical alert, and whether warnings are muted."""
    business = in_window(now, "Europe/Berlin", range(5), 8 * 60, 18 * 60)
    deploy = in_window(now, "Europe/Berlin", [1], 2 * 60, 3 * 60 + 30)
    starts = datetime.datetime(2026, 12, 5, 22, tzinfo=datetime.timezone.utc)
    ends = datetime.datetime(2026, 12, 6, 2, tzinfo=datetime.timezone.utc)
    # e2e.sh renders a copy whose one-off window is around now (the same
    # instants given here), so that muting is checked whatever the date.
    if os.environ.get("BEATFORGE_ONCE_WINDOW"):
        starts, ends = (datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
                        for t in os.environ["BEATFORGE_ONCE_WINDOW"].split(","))
    migration = starts <= now < ends
    critical = [] if migration else ["studio" if business else "bereitschaft"]
    warning = [] if (migration or deploy) else ["studio"]
    return critical, warning


def expected_receivers(tenant, severity, now):
    """The receivers (below the tenant's slug) an alert of this severity reaches."""
    bf_critical, bf_warning = beatforge_expectation(now)
    if tenant == "acme-music":
        return ["oncall", "team"] if severity == "critical" else ["team"]
    if tenant == "beatforge":
        if severity == "critical":
            return bf_critical
        if severity in ("warning", "info"):
            return bf_warning
        # Other severities: muted by the one-off window only.
        return [] if not bf_critical else ["studio"]
    return []


def post(url, alerts):
    request = urllib.request.Request(url, data=json.dumps(alerts).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 200:
            fail(f"POST {url}: {response.status}")


def read_log(log):
    if not os.path.exists(log):
        return []
    with open(log, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


DISPLAY_NAMES = {}


def e2e(alertmanager, bundle, prefix, slack_port, log, docs):
    for name in os.listdir(docs):
        if name.endswith(".yaml"):
            with open(os.path.join(docs, name), encoding="utf-8") as f:
                doc = yaml.safe_load(f)
            DISPLAY_NAMES[doc["slug"]] = doc["display_name"]
    run = tempfile.mkdtemp()
    try:
        shutil.copytree(os.path.join(bundle, "alertmanager"), os.path.join(run, "am"))
        # Point every webhook file at the stand-in. The env references were
        # resolved by tenantctl already (checked here); the inline URL of
        # acme-music's oncall receiver is replaced.
        secrets = os.path.join(run, "am", "secrets")
        for name in sorted(os.listdir(secrets)):
            path = os.path.join(secrets, name)
            with open(path, encoding="utf-8") as f:
                url = f.read()
            if not prefix and name == "acme-music-oncall.url":
                if not url.startswith("https://hooks.slack.com/"):
                    fail(f"{name}: the inline URL was not written: {url[:30]}...")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(f"http://127.0.0.1:{slack_port}/{prefix}acme-music/oncall")
            elif not url.startswith(f"http://127.0.0.1:{slack_port}/{prefix}"):
                fail(f"{name}: not the URL from the environment")
        # Shorter group timings, only so that the test does not wait
        # minutes; routing, receivers and templates are as rendered.
        config = os.path.join(run, "am", "alertmanager.yml")
        with open(config, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("group_wait: 30s", "group_wait: 1s").replace(
            "group_interval: 5m", "group_interval: 2s")
        with open(config, "w", encoding="utf-8") as f:
            f.write(text)
        port = free_port()
        am = subprocess.Popen(
            [alertmanager, "--config.file=" + config, "--storage.path=" + os.path.join(run, "data"),
             "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address=",
             "--log.level=warn"],
            # api_url_file is read relative to the working directory (unlike
            # `templates`, which Alertmanager resolves against the config's
            # folder): Alertmanager runs in the folder of its config.
            cwd=os.path.join(run, "am"),
            stdout=open(os.path.join(run, "am.log"), "w"), stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    with urllib.request.urlopen(base + "/-/ready", timeout=1):
                        break
                except OSError:
                    if am.poll() is not None:
                        fail("alertmanager exited: " + open(os.path.join(run, "am.log")).read())
                    time.sleep(0.2)
            else:
                fail("alertmanager did not become ready")
            check_notifications(base, prefix, log)
        finally:
            am.terminate()
            am.wait(timeout=10)
            if os.environ.get("AM_LOG"):
                print(open(os.path.join(run, "am.log")).read())
    finally:
        shutil.rmtree(run, ignore_errors=True)


def check_notifications(base, prefix, log):
    now = datetime.datetime.now(datetime.timezone.utc)
    bf_critical, bf_warning = beatforge_expectation(now)
    acme, bf, lofi = prefix + "acme-music", prefix + "beatforge", prefix + "lofi-labs"

    def alert(tenant, name, severity, ends=None):
        labels = {"alertname": name, "severity": severity}
        if tenant:
            labels["tenant"] = tenant
        a = {"labels": labels,
             "annotations": {"summary": f"summary {tenant or 'none'} {name} {severity}"},
             "startsAt": now.isoformat()}
        if ends:
            a["endsAt"] = ends.isoformat()
        return a

    sent = [alert(acme, "SharedAlert", "critical"), alert(acme, "SharedAlert", "warning"),
            alert(bf, "SharedAlert", "warning"), alert(bf, "NightAlert", "critical"),
            alert(lofi, "SharedAlert", "critical"), alert(None, "PlatformAlert", "critical")]
    # Expected firing notifications: (path, summary).
    expected = {(f"/{acme}/oncall", f"summary {acme} SharedAlert critical"),
                (f"/{acme}/team", f"summary {acme} SharedAlert critical")}
    expected |= {(f"/{bf}/{r}", f"summary {bf} SharedAlert warning") for r in bf_warning}
    expected |= {(f"/{bf}/{r}", f"summary {bf} NightAlert critical") for r in bf_critical}
    # Every tenant x severity, one alert name per severity (inhibition needs
    # the same alert name, so none of these inhibits another).
    for tenant in ("acme-music", "beatforge", "lofi-labs"):
        for severity in SEVERITIES:
            name = f"Matrix{severity.capitalize()}"
            sent.append(alert(prefix + tenant, name, severity))
            expected |= {(f"/{prefix}{tenant}/{r}", f"summary {prefix}{tenant} {name} {severity}")
                         for r in expected_receivers(tenant, severity, now)}
    start = len(read_log(log))
    post(base + "/api/v2/alerts", sent)

    def collect(want, seconds):
        deadline = time.time() + seconds
        while True:
            got = read_log(log)[start:]
            if want <= received(got) or time.time() > deadline:
                return got
            time.sleep(0.5)

    def received(entries):
        out = set()
        for e in entries:
            for att in e["body"].get("attachments", []):
                for line in att.get("text", "").splitlines():
                    if line.startswith("• *summary "):
                        out.add((e["path"], line[len("• *"):].split("*")[0]))
        return out

    got = collect(expected, 40)
    time.sleep(3)  # anything unexpected still on its way
    got = read_log(log)[start:]
    firing = received(got)
    if firing != expected:
        fail(f"firing notifications {sorted(firing)}, expected {sorted(expected)}")
    for e in got:
        check_payload(e, prefix, "firing")
    print(f"e2e firing: {len(got)} notifications, each only at its tenant's receivers, in its language;"
          f" {acme}'s critical inhibited its own warning, not {bf}'s")

    # Resolve everything.
    start = len(read_log(log))
    resolved_at = datetime.datetime.now(datetime.timezone.utc)
    post(base + "/api/v2/alerts", [dict(a, endsAt=resolved_at.isoformat()) for a in sent])
    want = {(p, s) for (p, s) in expected
            if not (prefix and p[1 + len(prefix):] in NO_RESOLVED_HOSTILE)}
    got = collect(want, 40)
    time.sleep(4)
    got = read_log(log)[start:]
    resolved = received(got)
    if resolved != want:
        fail(f"resolved notifications {sorted(resolved)}, expected {sorted(want)}")
    for e in got:
        check_payload(e, prefix, "resolved")
    print(f"e2e resolved: {len(got)} notifications, where send_resolved is on"
          f"{' (and none where it is off)' if prefix else ''}")


def check_payload(entry, prefix, status):
    path = entry["path"]
    body = entry["body"]
    _, tenant, receiver = path.split("/", 2)
    slug = tenant[len(prefix):]
    key = f"{slug}/{receiver}"
    if body.get("channel") != CHANNELS.get(key):
        fail(f"{path}: channel {body.get('channel')!r}, expected {CHANNELS.get(key)!r}")
    for s in strings(body):
        low = s.lower()
        if "<!" in low or "<@" in low or any(w in low for w in ("@here", "@channel", "@everyone")):
            fail(f"{path}: a mention or control sequence survived: {s!r}")
    attachments = body.get("attachments", [])
    if len(attachments) != 1:
        fail(f"{path}: {len(attachments)} attachments")
    att = attachments[0]
    for line in att.get("text", "").splitlines():
        if line.startswith("• *summary ") and f"summary {tenant} " not in line:
            fail(f"{path}: an alert of another tenant: {line}")
    # The tenant's display name comes out as written (mrkdwn-escaped): had
    # any of it run as template code, it would differ.
    name = DISPLAY_NAMES[tenant].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    name = re.sub(r"(?i)@(?=channel|here|everyone)", "@\u2060", name)
    values = [f.get("value") for f in att.get("fields", [])]
    if name not in values:
        fail(f"{path}: no field holds the display name {name!r}: {values}")
    lang = LANGUAGE[slug]
    titles = [f.get("title") for f in att.get("fields", [])]
    if lang["field"] not in titles:
        fail(f"{path}: fields {titles}, expected the localized {lang['field']!r}")
    if status == "resolved" and lang["resolved"].lower() not in att.get("title", "").lower():
        fail(f"{path}: resolved title {att.get('title')!r} is not localized")
    if status == "firing":
        # The severity of this notification's alerts (from their summaries):
        # a catalog word in the tenant's language, or a severity outside the
        # catalog (`page`) as written.
        severities = {line.split("*")[1].split()[-1] for line in att.get("text", "").splitlines()
                      if line.startswith("• *summary ")}
        values = [f.get("value") for f in att.get("fields", [])]
        for severity in severities:
            word = lang.get(severity, severity)
            if word not in values:
                fail(f"{path}: severity field {values} is not {word!r} ({severity})")


def main():
    command = sys.argv[1]
    if command == "mimir":
        mimir(sys.argv[2], sys.argv[3])
    elif command == "routes":
        routes(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "sharded":
        sharded(sys.argv[2], sys.argv[3])
    elif command == "e2e":
        e2e(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7])
    else:
        fail("unknown command " + command)


if __name__ == "__main__":
    main()
