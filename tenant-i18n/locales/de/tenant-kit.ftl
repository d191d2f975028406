# tenant-kit: Deutsch.
#
# Übersetzung des Referenzkatalogs `en`. Anrede: „Sie“ durchgehend;
# Schaltflächen im Infinitiv („Dashboard öffnen“).
#
# Terminologie (in neuen Nachrichten genauso verwenden):
#   alert          Alarm (m.); firing = aktiv, resolved = behoben
#   tenant         Mandant
#   quota          Kontingent
#   SLO            SLO (n.), Plural SLOs
#   error budget   Fehlerbudget
#   burn rate      Verbrauchsrate; „das 14,4-Fache der nachhaltigen Rate“
#   runbook        Runbook
#   dashboard      Dashboard; panel = Panel
#   seats          Benutzerlizenzen
#   binding        Zuweisung
#   limit          Limit (nicht „Grenze“)
#   status         Status (nicht „Zustand“)
# Wortstellung: „{ $alert } ist für { $tenant } aktiv“, nicht „ist aktiv für“.

## Produktnamen

-brand = tenant-kit
-slack = Slack
-grafana = Grafana

## Schweregrade und Status

severity-critical = Kritisch
severity-warning = Warnung
severity-info = Hinweis

status-firing = Aktiv
status-resolved = Behoben

## Alarme

alert-firing-summary = [{ $severity }] { $alert } ist für { $tenant } aktiv
alert-firing-description = { $alert } ist seit dem { DATETIME($since, dateStyle: "long", timeStyle: "short", timeZoneName: "short") } aktiv.
alert-resolved-summary = [{ status-resolved }] { $alert } ist für { $tenant } behoben
alert-resolved-description = { $alert } wurde am { DATETIME($resolved_at, dateStyle: "long", timeStyle: "short", timeZoneName: "short") } behoben (Dauer: { $duration }).
alerts-firing-count =
    { $count ->
        [0] Keine aktiven Alarme
        [one] { $count } aktiver Alarm
       *[other] { $count } aktive Alarme
    }

## Zeitdauern

duration-minutes =
    { $minutes ->
        [one] { $minutes } Minute
       *[other] { $minutes } Minuten
    }
duration-hours =
    { $hours ->
        [one] { $hours } Stunde
       *[other] { $hours } Stunden
    }
duration-days =
    { $days ->
        [one] { $days } Tag
       *[other] { $days } Tage
    }

## SLO-Burn-Rate-Alarme

slo-burn-page-summary = { $slo } verbraucht sein Fehlerbudget schnell (das { NUMBER($burn_rate, maximumFractionDigits: 1) }-Fache der nachhaltigen Rate)
slo-burn-page-description =
    Bei diesem Tempo ist das Fehlerbudget von { $slo } für { $tenant } in { $hours ->
        [one] { $hours } Stunde
       *[other] { $hours } Stunden
    } aufgebraucht. Handeln Sie jetzt.
slo-burn-ticket-summary = { $slo } verbraucht sein Fehlerbudget langsam (das { NUMBER($burn_rate, maximumFractionDigits: 1) }-Fache der nachhaltigen Rate)
slo-burn-ticket-description = Das Fehlerbudget von { $slo } für { $tenant } wird schneller verbraucht als geplant. Legen Sie ein Ticket an und gehen Sie der Ursache während der Geschäftszeiten nach.
slo-budget-remaining =
    Verbleibendes Fehlerbudget { $days ->
        [one] am letzten Tag
       *[other] in den letzten { $days } Tagen
    }: { NUMBER($ratio, style: "percent", maximumFractionDigits: 1) }

## Kontingente

quota-warning = { $tenant } hat { NUMBER($ratio, style: "percent") } des Kontingents „{ $quota }“ verbraucht ({ $used } von { $limit })
quota-exceeded = { $tenant } hat das Kontingent „{ $quota }“ überschritten ({ $used } von { $limit }); neue Anfragen können abgelehnt werden
quota-name-api-requests = API-Anfragen pro Sekunde
quota-name-storage = Speicher
quota-name-seats = Benutzerlizenzen
quota-name-active-series = Aktive Zeitreihen
quota-name-ingestion-rate = Aufnahmerate für Messwerte
quota-name-rules-per-group = Regeln pro Gruppe

## Compliance-Bericht

compliance-report-title = Compliance-Bericht für { $tenant }
compliance-report-generated = Erstellt am { DATETIME($generated_at, dateStyle: "full", timeStyle: "short", timeZoneName: "short") }
compliance-report-summary = { $passed } von { $total } Kontrollen bestanden
compliance-report-failed =
    { $failed ->
        [0] Keine Kontrolle ist fehlgeschlagen.
        [one] Eine Kontrolle ist fehlgeschlagen.
       *[other] { $failed } Kontrollen sind fehlgeschlagen.
    }
compliance-status-pass = Bestanden
compliance-status-fail = Nicht bestanden
compliance-framework-gdpr = DSGVO
compliance-framework-soc2 = SOC 2
compliance-remediation-label = So beheben Sie es

## Compliance-Kontrollen

compliance-data-residency = Datenspeicherung in zulässigen Regionen
    .finding = Die Daten werden in { $region } gespeichert; das ist keine der zulässigen Regionen ({ $allowed }).
    .remediation = Verschieben Sie die Daten des Mandanten in eine der zulässigen Regionen ({ $allowed }) und passen Sie seinen Speicherort an.
compliance-retention-limit = Höchstdauer der Aufbewahrung
    .finding =
        Die Daten werden { $days ->
            [one] { $days } Tag
           *[other] { $days } Tage
        } lang aufbewahrt, länger als das Limit von { $limit_days ->
            [one] { $limit_days } Tag
           *[other] { $limit_days } Tagen
        }.
    .remediation =
        Verkürzen Sie die Aufbewahrungsdauer auf höchstens { $limit_days ->
            [one] { $limit_days } Tag
           *[other] { $limit_days } Tage
        }.
compliance-dpo-contact = Datenschutzbeauftragter für Mandanten in der EU
    .finding = Der Mandant speichert Daten in der EU, nennt aber keinen Datenschutzbeauftragten.
    .remediation = Fügen Sie dem Mandantendokument einen Kontakt mit der Rolle „dpo“ hinzu.
compliance-erasure-on-offboarding = Löschung beim Offboarding
    .finding = Beim Offboarding dieses Mandanten würden seine Daten aufbewahrt statt gelöscht.
    .remediation = Aktivieren Sie die Datenlöschung beim Offboarding.
compliance-audit-logging = Audit-Protokollierung
    .finding = Die Audit-Protokollierung ist ausgeschaltet.
    .remediation = Schalten Sie die Audit-Protokollierung für den Mandanten ein.
compliance-mfa-admin = Multi-Faktor-Authentifizierung für Administratorrollen
    .finding = Die Rolle { $role } gewährt Administratorrechte, ohne Multi-Faktor-Authentifizierung zu verlangen.
    .remediation = Verlangen Sie Multi-Faktor-Authentifizierung in jeder Zuweisung der Rolle { $role }.
compliance-encryption-at-rest = Verschlüsselung ruhender Daten
    .finding = Ruhende Daten sind nicht verschlüsselt.
    .remediation = Schalten Sie die Verschlüsselung ruhender Daten in der Isolationsrichtlinie ein.
compliance-access-review = Zugriffsprüfung innerhalb von 90 Tagen
    .finding =
        Die letzte Zugriffsprüfung liegt { $days ->
            [one] { $days } Tag
           *[other] { $days } Tage
        } zurück; Prüfungen sind alle { $max_days } Tage fällig.
    .remediation = Prüfen Sie jede Rollenzuweisung des Mandanten und halten Sie das Datum der Prüfung fest.
compliance-wildcard-admin-binding = Keine Administrator-Zuweisung mit Platzhalter ohne Ablaufdatum
    .finding = Die Zuweisung { $binding } gibt { $subject } Administratorrechte mit Platzhalter, die nie ablaufen.
    .remediation = Schränken Sie die Rechte der Zuweisung { $binding } ein oder versehen Sie sie mit einem Ablaufdatum.

## Dashboards und Panels

dashboard-tenant-overview = { $tenant }: Mandantenübersicht
    .description = Datenverkehr, Fehler, Latenz, SLOs und Kontingente von { $tenant }
dashboard-slo = { $tenant }: Service-Level-Ziele
    .description = Fehlerbudgets und Verbrauchsraten der SLOs von { $tenant }
panel-request-rate = Anfragerate
    .description = Anfragen pro Sekunde, nach Statuscode
panel-error-ratio = Fehlerquote
    .description = Anteil der fehlgeschlagenen Anfragen
panel-latency-p99 = Latenz p99
    .description = Zeit, in der 99 % der Anfragen beantwortet wurden
panel-slo-error-budget = SLO-Fehlerbudget
    .description = Verbleibender Anteil des Fehlerbudgets im SLO-Zeitfenster
panel-quota-usage = Kontingentnutzung
    .description = Nutzung jedes Kontingents als Anteil seines Limits
panel-alerts-firing = Aktive Alarme
    .description = Alarme dieses Mandanten, die gerade aktiv sind
panel-legend-limit = Limit
panel-legend-used = Verbraucht

## Slack-Nachrichten

slack-more-alerts =
    { $count ->
        [one] …und { $count } weiterer Alarm
       *[other] …und { $count } weitere Alarme
    }
slack-button-dashboard = Dashboard öffnen
slack-button-runbook = Runbook
slack-button-silence = Stummschalten
slack-field-severity = Schweregrad
slack-field-status = Status
slack-field-tenant = Mandant
slack-field-started = Beginn
slack-footer = Gesendet von { -brand } für { $tenant } · { DATETIME($sent_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }
slack-maintenance-active = Wartungsfenster läuft bis { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }: Alarme von { $tenant } sind stummgeschaltet.
slack-maintenance-planned = Wartungsfenster geplant von { DATETIME($starts_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") } bis { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }.
slack-open-in-grafana = In { -grafana } öffnen
slack-truncated = Diese Nachricht wurde gekürzt, damit sie die Limits von { -slack } einhält.

## Generierte Grafana-Dashboards

dashboard-quotas = { $tenant }: Kontingentnutzung
    .description = Aktive Zeitreihen und Aufnahmerate für Messwerte von { $tenant } im Vergleich zu den Limits
dashboard-links = Dashboards von { $tenant }
dashboard-variable-slo = SLO
panel-slo-current-burn-rate = Aktuelle Verbrauchsrate
    .description = Fehlerquote der letzten 5 Minuten geteilt durch das Fehlerbudget; bei 1 reicht das Budget genau für den SLO-Zeitraum
panel-slo-error-ratio = Fehlerquote und Fehlerbudget
    .description = Anteil fehlgeschlagener Ereignisse über 5 Minuten im Vergleich zum Anteil, den das Ziel erlaubt
panel-slo-burn-rate = Verbrauchsrate je Zeitfenster
    .description = Fehlerquote in jedem Zeitfenster geteilt durch das Fehlerbudget
panel-slo-objective = Ziel
    .description = Anteil der Ereignisse, die gelingen müssen
panel-series-usage = Aktive Zeitreihen
    .description = Zeitreihen dieses Mandanten im Vergleich zu seinem Limit
panel-ingestion-rate = Aufnahmerate für Messwerte
    .description = Pro Sekunde erfasste Samples dieses Mandanten im Vergleich zu seinem Limit
panel-legend-error-budget = Fehlerbudget
