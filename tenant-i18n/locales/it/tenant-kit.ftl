# tenant-kit: italiano.
#
# Traduzione del catalogo di riferimento `en`.
#
# Registro: un'unica forma per ogni istruzione e per ogni pulsante,
# l'infinito («Intervenire subito.», «Aprire un ticket…», «Silenziare»);
# niente voi («Aprite») né tu («Apri»).
#
# Terminologia (da usare così nei nuovi messaggi):
#   alert          allarme (m.); firing = attivo, resolved = risolto
#   tenant         cliente
#   quota          quota (solo per le quote del prodotto; per «share» usare
#                  «percentuale»)
#   SLO            SLO (m., invariabile): «lo SLO», «degli SLO»
#   error budget   budget di errore
#   runbook        procedura operativa
#   dashboard      dashboard (f.); panel = pannello
#   seats          licenze
#   binding        assegnazione
#   limit          limite
# Percentuali senza articolo davanti al numero («utilizzata: 85%»), perché
# «al 85%» e «all'85%» dipendono dal numero (8, 11, 80–89 %).

## Nomi dei prodotti

-brand = tenant-kit
-slack = Slack
-grafana = Grafana

## Gravità e stati

severity-critical = Critico
severity-warning = Avviso
severity-info = Informazione

status-firing = Attivo
status-resolved = Risolto

## Allarmi

alert-firing-summary = [{ $severity }] { $alert } è attivo per { $tenant }
alert-firing-description = { $alert } è attivo. Inizio: { DATETIME($since, dateStyle: "long", timeStyle: "short", timeZoneName: "short") }.
alert-resolved-summary = [{ status-resolved }] { $alert } è risolto per { $tenant }
alert-resolved-description = { $alert } è stato risolto dopo { $duration }. Risoluzione: { DATETIME($resolved_at, dateStyle: "long", timeStyle: "short", timeZoneName: "short") }.
alerts-firing-count =
    { $count ->
        [0] Nessun allarme attivo
        [one] { $count } allarme attivo
       *[other] { $count } allarmi attivi
    }

## Durate

duration-minutes =
    { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minuti
    }
duration-hours =
    { $hours ->
        [one] { $hours } ora
       *[other] { $hours } ore
    }
duration-days =
    { $days ->
        [one] { $days } giorno
       *[other] { $days } giorni
    }

## Allarmi di consumo degli SLO

slo-burn-page-summary = { $slo } sta consumando rapidamente il budget di errore ({ NUMBER($burn_rate, maximumFractionDigits: 1) } volte il ritmo sostenibile)
slo-burn-page-description =
    A questo ritmo il budget di errore di { $slo } per { $tenant } si esaurirà tra { $hours ->
        [one] { $hours } ora
       *[other] { $hours } ore
    }. Intervenire subito.
slo-burn-ticket-summary = { $slo } sta consumando lentamente il budget di errore ({ NUMBER($burn_rate, maximumFractionDigits: 1) } volte il ritmo sostenibile)
slo-burn-ticket-description = Il budget di errore di { $slo } per { $tenant } viene consumato più in fretta del previsto. Aprire un ticket e analizzare il problema in orario lavorativo.
slo-budget-remaining =
    Budget di errore rimasto: { NUMBER($ratio, style: "percent", maximumFractionDigits: 1) } { $days ->
        [one] nell'ultimo giorno
       *[other] negli ultimi { $days } giorni
    }

## Quote

quota-warning = Quota «{ $quota }» di { $tenant } utilizzata: { NUMBER($ratio, style: "percent") } ({ $used } su { $limit })
quota-exceeded = { $tenant } ha superato la quota «{ $quota }» ({ $used } su { $limit }); le nuove richieste potrebbero essere rifiutate
quota-name-api-requests = Richieste API al secondo
quota-name-storage = Archiviazione
quota-name-seats = Licenze
quota-name-active-series = Serie attive
quota-name-ingestion-rate = Velocità di acquisizione dei campioni
quota-name-rules-per-group = Regole per gruppo

## Rapporto di conformità

compliance-report-title = Rapporto di conformità per { $tenant }
compliance-report-generated = Generato il { DATETIME($generated_at, dateStyle: "full", timeStyle: "short", timeZoneName: "short") }
compliance-report-summary = Controlli superati: { $passed } su { $total }
compliance-report-failed =
    { $failed ->
        [0] Tutti i controlli sono stati superati.
        [one] Un controllo non superato.
       *[other] { $failed } controlli non superati.
    }
compliance-status-pass = Superato
compliance-status-fail = Non superato
compliance-framework-gdpr = GDPR
compliance-framework-soc2 = SOC 2
compliance-remediation-label = Come correggere

## Controlli di conformità

compliance-data-residency = Residenza dei dati nelle regioni consentite
    .finding = I dati sono archiviati in { $region }, che non è tra le regioni consentite ({ $allowed }).
    .remediation = Spostare i dati del cliente in una delle regioni consentite ({ $allowed }) e aggiornare l'impostazione di residenza dei dati.
compliance-retention-limit = Limite di conservazione dei dati
    .finding =
        I dati vengono conservati per { $days ->
            [one] { $days } giorno
           *[other] { $days } giorni
        }, oltre il limite di { $limit_days ->
            [one] { $limit_days } giorno
           *[other] { $limit_days } giorni
        }.
    .remediation =
        Ridurre il periodo di conservazione a non più di { $limit_days ->
            [one] { $limit_days } giorno
           *[other] { $limit_days } giorni
        }.
compliance-dpo-contact = Contatto del responsabile della protezione dei dati per i clienti UE
    .finding = Il cliente archivia dati nell'UE ma non indica alcun responsabile della protezione dei dati.
    .remediation = Aggiungere al documento del cliente un contatto con il ruolo «dpo».
compliance-erasure-on-offboarding = Cancellazione alla dismissione del cliente
    .finding = Alla dismissione di questo cliente i suoi dati verrebbero conservati invece di essere cancellati.
    .remediation = Attivare la cancellazione dei dati alla dismissione del cliente.
compliance-audit-logging = Registro di audit
    .finding = Il registro di audit è disattivato.
    .remediation = Attivare il registro di audit per il cliente.
compliance-mfa-admin = Autenticazione a più fattori per i ruoli di amministrazione
    .finding = Il ruolo { $role } concede permessi di amministrazione senza richiedere l'autenticazione a più fattori.
    .remediation = Richiedere l'autenticazione a più fattori in ogni assegnazione del ruolo { $role }.
compliance-encryption-at-rest = Crittografia dei dati inattivi
    .finding = I dati inattivi non sono crittografati.
    .remediation = Attivare la crittografia dei dati inattivi nel criterio di isolamento.
compliance-access-review = Revisione degli accessi entro 90 giorni
    .finding =
        L'ultima revisione degli accessi risale a { $days ->
            [one] { $days } giorno
           *[other] { $days } giorni
        } fa; le revisioni vanno fatte ogni { $max_days } giorni.
    .remediation = Rivedere ogni assegnazione di ruolo del cliente e registrare la data della revisione.
compliance-wildcard-admin-binding = Nessuna assegnazione di amministrazione con carattere jolly senza scadenza
    .finding = L'assegnazione { $binding } dà a { $subject } permessi di amministrazione con carattere jolly che non scadono mai.
    .remediation = Restringere i permessi dell'assegnazione { $binding } o assegnarle una data di scadenza.

## Dashboard e pannelli

dashboard-tenant-overview = { $tenant }: panoramica del cliente
    .description = Traffico, errori, latenza, SLO e quote di { $tenant }
dashboard-slo = { $tenant }: obiettivi del livello di servizio
    .description = Budget di errore e ritmi di consumo degli SLO di { $tenant }
panel-request-rate = Frequenza delle richieste
    .description = Richieste al secondo, per codice di stato
panel-error-ratio = Tasso di errore
    .description = Percentuale di richieste non riuscite
panel-latency-p99 = Latenza p99
    .description = Tempo entro cui ha ricevuto risposta il 99% delle richieste
panel-slo-error-budget = Budget di errore degli SLO
    .description = Percentuale del budget di errore rimasta nella finestra dello SLO
panel-quota-usage = Utilizzo delle quote
    .description = Utilizzo di ogni quota rispetto al suo limite
panel-alerts-firing = Allarmi attivi
    .description = Allarmi di questo cliente attivi in questo momento
panel-legend-limit = Limite
panel-legend-used = Utilizzato

## Messaggi Slack

slack-more-alerts =
    { $count ->
        [one] …e { $count } altro allarme
       *[other] …e altri { $count } allarmi
    }
slack-button-dashboard = Aprire la dashboard
slack-button-runbook = Procedura operativa
slack-button-silence = Silenziare
slack-field-severity = Gravità
slack-field-status = Stato
slack-field-tenant = Cliente
slack-field-started = Inizio
slack-footer = Inviato da { -brand } per { $tenant } · { DATETIME($sent_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }
slack-maintenance-active = Finestra di manutenzione in corso (fine: { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }): gli allarmi di { $tenant } sono silenziati.
slack-maintenance-planned = Finestra di manutenzione prevista (inizio: { DATETIME($starts_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }, fine: { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }).
slack-open-in-grafana = Aprire in { -grafana }
slack-truncated = Questo messaggio è stato accorciato per rispettare i limiti di { -slack }.

## Dashboard Grafana generate

dashboard-quotas = { $tenant }: uso delle quote
    .description = Serie attive e velocità di acquisizione dei campioni di { $tenant } rispetto ai suoi limiti
dashboard-links = Dashboard di { $tenant }
dashboard-variable-slo = SLO
panel-slo-current-burn-rate = Velocità di consumo attuale
    .description = Tasso di errore degli ultimi 5 minuti diviso per il budget di errore; a 1 il budget dura esattamente il periodo dello SLO
panel-slo-error-ratio = Tasso di errore e budget di errore
    .description = Percentuale di eventi falliti su 5 minuti, rispetto a quella consentita dall'obiettivo
panel-slo-burn-rate = Velocità di consumo per finestra
    .description = Tasso di errore su ogni finestra diviso per il budget di errore
panel-slo-objective = Obiettivo
    .description = Percentuale di eventi che devono riuscire
panel-series-usage = Serie attive
    .description = Serie di questo cliente, rispetto al suo limite
panel-ingestion-rate = Velocità di acquisizione dei campioni
    .description = Campioni al secondo raccolti per questo cliente, rispetto al suo limite
panel-legend-error-budget = Budget di errore
