# tenant-kit : français.
#
# Traduction du catalogue de référence `en`. Les espaces insécables avant « : »
# et à l'intérieur des guillemets sont voulues.
#
# Registre : vouvoiement partout (« Intervenez », « Ouvrez »), boutons à
# l'infinitif (« Voir le tableau de bord »).
#
# Terminologie (à reprendre telle quelle dans les nouveaux messages) :
#   alert          alerte (f.) ; firing = en cours / déclenchée, resolved = résolue
#   tenant         client
#   quota          quota (m.)
#   SLO            SLO (m., invariable) : « du SLO { $slo } »
#   error budget   budget d'erreur
#   runbook        procédure (bouton « Procédure »)
#   dashboard      tableau de bord ; panel = panneau
#   seats          licences utilisateur
#   binding        attribution (f.) : « de l'attribution { $binding } »
#   wildcard       avec caractère générique (*)
#   limit          limite
# Dates avec le mois en lettres : dateStyle « long » dans les phrases
# (« 9 mars 2025 à 03:00 ») ; le 1er du mois s'écrit « 1er » (voir
# conventions.rs).

## Noms de produits

-brand = tenant-kit
-slack = Slack
-grafana = Grafana

## Gravités et statuts

severity-critical = Critique
severity-warning = Avertissement
severity-info = Information

status-firing = En cours
status-resolved = Résolue

## Alertes

alert-firing-summary = [{ $severity }] { $alert } est déclenchée pour { $tenant }
alert-firing-description = { $alert } est déclenchée depuis le { DATETIME($since, dateStyle: "long", timeStyle: "short", timeZoneName: "short") }.
alert-resolved-summary = [{ status-resolved }] { $alert } est résolue pour { $tenant }
alert-resolved-description = { $alert } a été résolue le { DATETIME($resolved_at, dateStyle: "long", timeStyle: "short", timeZoneName: "short") } après { $duration }.
alerts-firing-count =
    { $count ->
        [0] Aucune alerte en cours
        [one] { $count } alerte en cours
       *[other] { $count } alertes en cours
    }

## Durées

duration-minutes =
    { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
duration-hours =
    { $hours ->
        [one] { $hours } heure
       *[other] { $hours } heures
    }
duration-days =
    { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    }

## Alertes de consommation des SLO

slo-burn-page-summary = { $slo } consomme son budget d'erreur rapidement ({ NUMBER($burn_rate, maximumFractionDigits: 1) } fois le rythme soutenable)
slo-burn-page-description =
    À ce rythme, le budget d'erreur du SLO { $slo } pour { $tenant } sera épuisé dans { $hours ->
        [one] { $hours } heure
       *[other] { $hours } heures
    }. Intervenez maintenant.
slo-burn-ticket-summary = { $slo } consomme son budget d'erreur lentement ({ NUMBER($burn_rate, maximumFractionDigits: 1) } fois le rythme soutenable)
slo-burn-ticket-description = Le budget d'erreur du SLO { $slo } pour { $tenant } est consommé plus vite que prévu. Ouvrez un ticket et analysez le problème pendant les heures ouvrées.
slo-budget-remaining =
    Il reste { NUMBER($ratio, style: "percent", maximumFractionDigits: 1) } du budget d'erreur sur { $days ->
        [one] le dernier jour
       *[other] les { $days } derniers jours
    }

## Quotas

quota-warning = { $tenant } a utilisé { NUMBER($ratio, style: "percent") } de son quota « { $quota } » ({ $used } sur { $limit })
quota-exceeded = { $tenant } a dépassé son quota « { $quota } » ({ $used } sur { $limit }) ; de nouvelles requêtes pourront être refusées
quota-name-api-requests = Requêtes d'API par seconde
quota-name-storage = Stockage
quota-name-seats = Licences utilisateur
quota-name-active-series = Séries actives
quota-name-ingestion-rate = Débit d'ingestion d'échantillons
quota-name-rules-per-group = Règles par groupe

## Rapport de conformité

compliance-report-title = Rapport de conformité pour { $tenant }
compliance-report-generated = Généré le { DATETIME($generated_at, dateStyle: "full", timeStyle: "short", timeZoneName: "short") }
compliance-report-summary = Contrôles réussis : { $passed } sur { $total }
compliance-report-failed =
    { $failed ->
        [0] Aucun contrôle n'a échoué.
        [one] Un contrôle a échoué.
       *[other] { $failed } contrôles ont échoué.
    }
compliance-status-pass = Réussi
compliance-status-fail = Échoué
compliance-framework-gdpr = RGPD
compliance-framework-soc2 = SOC 2
compliance-remediation-label = Comment corriger

## Contrôles de conformité

compliance-data-residency = Résidence des données dans les régions autorisées
    .finding = Les données sont stockées dans la région { $region }, qui ne fait pas partie des régions autorisées ({ $allowed }).
    .remediation = Déplacez les données du client vers l'une des régions autorisées ({ $allowed }) et mettez à jour sa résidence des données.
compliance-retention-limit = Durée de conservation maximale
    .finding =
        Les données sont conservées { $days ->
            [one] { $days } jour
           *[other] { $days } jours
        }, au-delà de la limite de { $limit_days ->
            [one] { $limit_days } jour
           *[other] { $limit_days } jours
        }.
    .remediation =
        Réduisez la durée de conservation à { $limit_days ->
            [one] { $limit_days } jour
           *[other] { $limit_days } jours
        } au plus.
compliance-dpo-contact = Contact du délégué à la protection des données pour les clients de l'UE
    .finding = Le client stocke des données dans l'UE mais ne désigne aucun délégué à la protection des données.
    .remediation = Ajoutez au document du client un contact ayant le rôle « dpo ».
compliance-erasure-on-offboarding = Effacement lors du départ du client
    .finding = Au départ de ce client, ses données seraient conservées au lieu d'être effacées.
    .remediation = Activez l'effacement des données lors du départ du client.
compliance-audit-logging = Journal d'audit
    .finding = Le journal d'audit est désactivé.
    .remediation = Activez le journal d'audit pour ce client.
compliance-mfa-admin = Authentification multifacteur pour les rôles d'administration
    .finding = Le rôle { $role } accorde des droits d'administration sans exiger d'authentification multifacteur.
    .remediation = Exigez l'authentification multifacteur dans chaque attribution du rôle { $role }.
compliance-encryption-at-rest = Chiffrement au repos
    .finding = Les données au repos ne sont pas chiffrées.
    .remediation = Activez le chiffrement au repos dans la politique d'isolation.
compliance-access-review = Revue des accès sous 90 jours
    .finding =
        La dernière revue des accès remonte à { $days ->
            [one] { $days } jour
           *[other] { $days } jours
        } ; une revue est due tous les { $max_days } jours.
    .remediation = Passez en revue chaque attribution de rôle du client et consignez la date de la revue.
compliance-wildcard-admin-binding = Aucune attribution de droits d'administration avec caractère générique (*) sans expiration
    .finding = L'attribution { $binding } donne à { $subject } des droits d'administration avec caractère générique (*) qui n'expirent jamais.
    .remediation = Restreignez les droits de l'attribution { $binding } ou donnez-lui une date d'expiration.

## Tableaux de bord et panneaux

dashboard-tenant-overview = { $tenant } : vue d'ensemble du client
    .description = Trafic, erreurs, latence, SLO et quotas du client { $tenant }
dashboard-slo = { $tenant } : objectifs de niveau de service
    .description = Budgets d'erreur et rythmes de consommation des SLO du client { $tenant }
panel-request-rate = Débit de requêtes
    .description = Requêtes par seconde, par code de statut
panel-error-ratio = Taux d'erreur
    .description = Part des requêtes en échec
panel-latency-p99 = Latence p99
    .description = Délai dans lequel 99 % des requêtes ont reçu une réponse
panel-slo-error-budget = Budget d'erreur des SLO
    .description = Part du budget d'erreur restante sur la fenêtre du SLO
panel-quota-usage = Utilisation des quotas
    .description = Utilisation de chaque quota par rapport à sa limite
panel-alerts-firing = Alertes en cours
    .description = Alertes de ce client actuellement déclenchées
panel-legend-limit = Limite
panel-legend-used = Utilisé

## Messages Slack

slack-more-alerts =
    { $count ->
        [one] …et { $count } autre alerte
       *[other] …et { $count } autres alertes
    }
slack-button-dashboard = Voir le tableau de bord
slack-button-runbook = Procédure
slack-button-silence = Mettre en sourdine
slack-field-severity = Gravité
slack-field-status = Statut
slack-field-tenant = Client
slack-field-started = Début
slack-footer = Envoyé par { -brand } pour { $tenant } · { DATETIME($sent_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }
slack-maintenance-active = Fenêtre de maintenance en cours jusqu'au { DATETIME($ends_at, dateStyle: "long", timeStyle: "short", timeZoneName: "short") } : les alertes du client { $tenant } sont mises en sourdine.
slack-maintenance-planned = Fenêtre de maintenance prévue du { DATETIME($starts_at, dateStyle: "long", timeStyle: "short", timeZoneName: "short") } au { DATETIME($ends_at, dateStyle: "long", timeStyle: "short", timeZoneName: "short") }.
slack-open-in-grafana = Ouvrir dans { -grafana }
slack-truncated = Ce message a été raccourci pour respecter les limites de { -slack }.

## Tableaux de bord Grafana générés

dashboard-quotas = { $tenant } : utilisation des quotas
    .description = Séries actives et débit d'ingestion du client { $tenant } par rapport à ses limites
dashboard-links = Tableaux de bord du client { $tenant }
dashboard-variable-slo = SLO
panel-slo-current-burn-rate = Rythme de consommation actuel
    .description = Taux d'erreur des 5 dernières minutes divisé par le budget d'erreur ; à 1, le budget dure exactement la période du SLO
panel-slo-error-ratio = Taux d'erreur et budget d'erreur
    .description = Part des événements en échec sur 5 minutes, par rapport à la part que l'objectif autorise
panel-slo-burn-rate = Rythme de consommation par fenêtre
    .description = Taux d'erreur sur chaque fenêtre divisé par le budget d'erreur
panel-slo-objective = Objectif
    .description = Part des événements qui doivent réussir
panel-series-usage = Séries actives
    .description = Séries de ce client, par rapport à sa limite
panel-ingestion-rate = Débit d'ingestion
    .description = Échantillons collectés par seconde pour ce client, par rapport à sa limite
panel-legend-error-budget = Budget d'erreur
