# tenant-kit: español.
#
# Traducción del catálogo de referencia `en`. Tratamiento de usted en todo el
# catálogo («Abra», «Actúe»); botones en infinitivo («Ver dashboard»).
#
# Terminología (úsese igual en los mensajes nuevos):
#   alert          alerta (f.); firing = activa, resolved = resuelta
#   tenant         cliente
#   quota          cuota
#   SLO            SLO (m., invariable)
#   error budget   presupuesto de errores
#   runbook        guía de actuación
#   dashboard      dashboard (m.); panel = panel (de Grafana), nunca «panel de
#                  control» para un dashboard
#   seats          licencias de usuario
#   binding        asignación
#   limit          límite; «por encima del límite de 30 días»
#   error ratio    tasa de errores
# Fecha y hora: «el 4 de marzo de 2025, 14:05», con coma y sin «a las», que
# daría «a las 1:05» a la una (véase conventions.rs).

## Nombres de productos

-brand = tenant-kit
-slack = Slack
-grafana = Grafana

## Gravedades y estados

severity-critical = Crítica
severity-warning = Advertencia
severity-info = Información

status-firing = Activa
status-resolved = Resuelta

## Alertas

alert-firing-summary = [{ $severity }] { $alert } está activa para { $tenant }
alert-firing-description = { $alert } está activa desde el { DATETIME($since, dateStyle: "long") }, { DATETIME($since, timeStyle: "short", timeZoneName: "short") }.
alert-resolved-summary = [{ status-resolved }] { $alert } está resuelta para { $tenant }
alert-resolved-description = { $alert } se resolvió el { DATETIME($resolved_at, dateStyle: "long") }, { DATETIME($resolved_at, timeStyle: "short", timeZoneName: "short") }, después de { $duration }.
alerts-firing-count =
    { $count ->
        [0] Ninguna alerta activa
        [one] { $count } alerta activa
       *[other] { $count } alertas activas
    }

## Duraciones

duration-minutes =
    { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }
duration-hours =
    { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    }
duration-days =
    { $days ->
        [one] { $days } día
       *[other] { $days } días
    }

## Alertas de consumo de SLO

slo-burn-page-summary = { $slo } consume su presupuesto de errores rápidamente ({ NUMBER($burn_rate, maximumFractionDigits: 1) } veces el ritmo sostenible)
slo-burn-page-description =
    A este ritmo, el presupuesto de errores de { $slo } para { $tenant } se agotará en { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    }. Actúe ahora.
slo-burn-ticket-summary = { $slo } consume su presupuesto de errores lentamente ({ NUMBER($burn_rate, maximumFractionDigits: 1) } veces el ritmo sostenible)
slo-burn-ticket-description = El presupuesto de errores de { $slo } para { $tenant } se está gastando más rápido de lo previsto. Abra un ticket e investigue la causa en horario laboral.
slo-budget-remaining =
    Queda el { NUMBER($ratio, style: "percent", maximumFractionDigits: 1) } del presupuesto de errores { $days ->
        [one] del último día
       *[other] de los últimos { $days } días
    }

## Cuotas

quota-warning = { $tenant } ha usado el { NUMBER($ratio, style: "percent") } de su cuota «{ $quota }» ({ $used } de { $limit })
quota-exceeded = { $tenant } ha superado su cuota «{ $quota }» ({ $used } de { $limit }); es posible que se rechacen nuevas solicitudes
quota-name-api-requests = Solicitudes de API por segundo
quota-name-storage = Almacenamiento
quota-name-seats = Licencias de usuario
quota-name-active-series = Series activas
quota-name-ingestion-rate = Tasa de ingesta de muestras
quota-name-rules-per-group = Reglas por grupo

## Informe de cumplimiento

compliance-report-title = Informe de cumplimiento de { $tenant }
compliance-report-generated = Generado el { DATETIME($generated_at, dateStyle: "full", timeStyle: "short", timeZoneName: "short") }
compliance-report-summary = { $passed } de { $total } controles superados
compliance-report-failed =
    { $failed ->
        [0] Ningún control ha fallado.
        [one] Un control ha fallado.
       *[other] Han fallado { $failed } controles.
    }
compliance-status-pass = Superado
compliance-status-fail = No superado
compliance-framework-gdpr = RGPD
compliance-framework-soc2 = SOC 2
compliance-remediation-label = Cómo corregirlo

## Controles de cumplimiento

compliance-data-residency = Residencia de datos en regiones permitidas
    .finding = Los datos se almacenan en { $region }, que no es una de las regiones permitidas ({ $allowed }).
    .remediation = Traslade los datos del cliente a una de las regiones permitidas ({ $allowed }) y actualice su residencia de datos.
compliance-retention-limit = Límite de conservación de datos
    .finding =
        Los datos se conservan durante { $days ->
            [one] { $days } día
           *[other] { $days } días
        }, por encima del límite de { $limit_days ->
            [one] { $limit_days } día
           *[other] { $limit_days } días
        }.
    .remediation =
        Reduzca el periodo de conservación a { $limit_days ->
            [one] { $limit_days } día
           *[other] { $limit_days } días
        } como máximo.
compliance-dpo-contact = Contacto del delegado de protección de datos para clientes de la UE
    .finding = El cliente almacena datos en la UE, pero no indica ningún delegado de protección de datos.
    .remediation = Añada al documento del cliente un contacto con el rol «dpo».
compliance-erasure-on-offboarding = Borrado al dar de baja al cliente
    .finding = Al dar de baja a este cliente, sus datos se conservarían en lugar de borrarse.
    .remediation = Active el borrado de datos al dar de baja al cliente.
compliance-audit-logging = Registro de auditoría
    .finding = El registro de auditoría está desactivado.
    .remediation = Active el registro de auditoría para el cliente.
compliance-mfa-admin = Autenticación multifactor para roles de administración
    .finding = El rol { $role } concede permisos de administración sin exigir autenticación multifactor.
    .remediation = Exija autenticación multifactor en cada asignación del rol { $role }.
compliance-encryption-at-rest = Cifrado en reposo
    .finding = Los datos en reposo no están cifrados.
    .remediation = Active el cifrado en reposo en la política de aislamiento.
compliance-access-review = Revisión de accesos en un plazo de 90 días
    .finding =
        La última revisión de accesos fue hace { $days ->
            [one] { $days } día
           *[other] { $days } días
        }; las revisiones deben hacerse cada { $max_days } días.
    .remediation = Revise cada asignación de roles del cliente y anote la fecha de la revisión.
compliance-wildcard-admin-binding = Ninguna asignación de administración con comodín sin caducidad
    .finding = La asignación { $binding } da a { $subject } permisos de administración con comodín que nunca caducan.
    .remediation = Restrinja los permisos de { $binding } o asígnele una fecha de caducidad.

## Dashboards y paneles

dashboard-tenant-overview = { $tenant }: resumen del cliente
    .description = Tráfico, errores, latencia, SLO y cuotas de { $tenant }
dashboard-slo = { $tenant }: objetivos de nivel de servicio
    .description = Presupuestos de errores y ritmos de consumo de los SLO de { $tenant }
panel-request-rate = Tasa de solicitudes
    .description = Solicitudes por segundo, por código de estado
panel-error-ratio = Tasa de errores
    .description = Proporción de solicitudes que fallaron
panel-latency-p99 = Latencia p99
    .description = Tiempo en el que se respondió al 99 % de las solicitudes
panel-slo-error-budget = Presupuesto de errores del SLO
    .description = Proporción del presupuesto de errores que queda en la ventana del SLO
panel-quota-usage = Uso de cuotas
    .description = Uso de cada cuota como proporción de su límite
panel-alerts-firing = Alertas activas
    .description = Alertas de este cliente que están activas ahora
panel-legend-limit = Límite
panel-legend-used = Usado

## Mensajes de Slack

slack-more-alerts =
    { $count ->
        [one] …y { $count } alerta más
       *[other] …y { $count } alertas más
    }
slack-button-dashboard = Ver dashboard
slack-button-runbook = Guía de actuación
slack-button-silence = Silenciar
slack-field-severity = Gravedad
slack-field-status = Estado
slack-field-tenant = Cliente
slack-field-started = Inicio
slack-footer = Enviado por { -brand } para { $tenant } · { DATETIME($sent_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }
slack-maintenance-active = Ventana de mantenimiento en curso hasta el { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }: las alertas de { $tenant } están silenciadas.
slack-maintenance-planned = Ventana de mantenimiento prevista del { DATETIME($starts_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") } al { DATETIME($ends_at, dateStyle: "medium", timeStyle: "short", timeZoneName: "short") }.
slack-open-in-grafana = Abrir en { -grafana }
slack-truncated = Este mensaje se ha acortado para respetar los límites de { -slack }.

## Dashboards de Grafana generados

dashboard-quotas = { $tenant }: uso de cuotas
    .description = Series activas y tasa de ingesta de { $tenant } frente a sus límites
dashboard-links = Dashboards de { $tenant }
dashboard-variable-slo = SLO
panel-slo-current-burn-rate = Ritmo de consumo actual
    .description = Tasa de errores de los últimos 5 minutos dividida por el presupuesto de errores; en 1, el presupuesto dura exactamente el periodo del SLO
panel-slo-error-ratio = Tasa de errores y presupuesto de errores
    .description = Proporción de eventos fallidos en 5 minutos, frente a la proporción que permite el objetivo
panel-slo-burn-rate = Ritmo de consumo por ventana
    .description = Tasa de errores en cada ventana dividida por el presupuesto de errores
panel-slo-objective = Objetivo
    .description = Proporción de eventos que deben tener éxito
panel-series-usage = Series activas
    .description = Series de este cliente, frente a su límite
panel-ingestion-rate = Tasa de ingesta
    .description = Muestras por segundo recogidas para este cliente, frente a su límite
panel-legend-error-budget = Presupuesto de errores
