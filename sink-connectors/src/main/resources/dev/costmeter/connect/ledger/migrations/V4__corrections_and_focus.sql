-- costmeter ledger, version 4: corrections, never mutation. A correction reprices one ledgered
-- call and records the difference in its own row; the ledger row it corrects never changes. Every
-- reader view nets the corrections in; correction_audit lists them; focus_costs exports the ledger
-- in FinOps FOCUS columns. Money stays an exact integer of nano-USD; *_usd columns and FOCUS
-- amounts are NUMERIC computed from it, so they are exact too.

CREATE TABLE ledger_corrections (
    correction_id                TEXT        PRIMARY KEY, -- event_id@price_version: issuing it again changes nothing
    event_id                     TEXT        NOT NULL,    -- the ledger row corrected
    event_time                   TIMESTAMPTZ NOT NULL,    -- the corrected call's time
    event_day                    DATE        NOT NULL,    -- its UTC day: a correction counts on the call's day
    tenant_id                    TEXT        NOT NULL,
    task_id                      TEXT        NOT NULL,
    task_class                   TEXT        NOT NULL,
    route                        TEXT        NOT NULL,
    prompt_version               TEXT,
    provider                     TEXT        NOT NULL,
    model                        TEXT        NOT NULL,
    attempt                      INTEGER     NOT NULL,
    old_cost_nanos               BIGINT      NOT NULL,
    new_cost_nanos               BIGINT      NOT NULL,
    cost_delta_nanos             BIGINT      NOT NULL,
    input_cost_delta_nanos       BIGINT      NOT NULL,
    output_cost_delta_nanos      BIGINT      NOT NULL,
    cache_read_cost_delta_nanos  BIGINT      NOT NULL,
    cache_write_cost_delta_nanos BIGINT      NOT NULL,
    request_fees_cost_delta_nanos BIGINT     NOT NULL DEFAULT 0, -- per-request fees (V3)
    savings_delta_nanos          BIGINT      NOT NULL,
    was_priced                   BOOLEAN     NOT NULL,
    old_price_version            TEXT,
    new_price_version            TEXT,
    reason                       TEXT        NOT NULL,
    issued_at                    TIMESTAMPTZ NOT NULL,
    source_topic                 TEXT        NOT NULL,
    source_partition             INTEGER     NOT NULL,
    source_offset                BIGINT      NOT NULL,
    written_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    cost_delta_usd               NUMERIC(20, 9) GENERATED ALWAYS AS (cost_delta_nanos::numeric / 1000000000) STORED,
    -- The contract's arithmetic, checked as the ledger's is: a correction that breaks it is refused
    -- (and lands in the connector's dead-letter queue) rather than corrupting the net sums.
    CONSTRAINT correction_delta_is_new_minus_old CHECK (cost_delta_nanos = new_cost_nanos - old_cost_nanos),
    CONSTRAINT correction_components_add_up CHECK (
        cost_delta_nanos = input_cost_delta_nanos + output_cost_delta_nanos
                           + cache_read_cost_delta_nanos + cache_write_cost_delta_nanos
                           + request_fees_cost_delta_nanos),
    CONSTRAINT correction_costs_not_negative CHECK (old_cost_nanos >= 0 AND new_cost_nanos >= 0)
);

CREATE INDEX ledger_corrections_event ON ledger_corrections (event_id);
CREATE INDEX ledger_corrections_day_tenant ON ledger_corrections (event_day, tenant_id);

-- Every amount that counts: each ledgered call (is_call) and each correction, in one shape. A
-- correction carries the scope of the call it corrects, so it counts on that call's day, tenant,
-- route, task and model even before the call's own row has arrived; it adds no call and no tokens.
CREATE VIEW ledger_entries AS
SELECT TRUE AS is_call, event_id, NULL::text AS correction_id, event_time, event_day, tenant_id, task_id,
       task_class, route, prompt_version, provider, model, attempt,
       input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
       cost_nanos, input_cost_nanos, output_cost_nanos, cache_read_cost_nanos, cache_write_cost_nanos,
       savings_nanos, request_fees_cost_nanos
FROM ledger
UNION ALL
SELECT FALSE, event_id, correction_id, event_time, event_day, tenant_id, task_id,
       task_class, route, prompt_version, provider, model, attempt,
       0, 0, 0, 0,
       cost_delta_nanos, input_cost_delta_nanos, output_cost_delta_nanos, cache_read_cost_delta_nanos,
       cache_write_cost_delta_nanos, savings_delta_nanos, request_fees_cost_delta_nanos
FROM ledger_corrections;

-- One row per ledgered call: what was ledgered, the corrections applied to it, and its net cost.
CREATE VIEW ledger_net AS
SELECT l.event_id,
       l.event_time,
       l.event_day,
       l.tenant_id,
       l.task_id,
       l.task_class,
       l.route,
       l.provider,
       l.model,
       l.priced,
       l.price_version                                                          AS ledgered_price_version,
       l.cost_nanos                                                             AS ledgered_cost_nanos,
       coalesce(c.corrections, 0)                                               AS corrections,
       (l.cost_nanos + coalesce(c.cost_delta_nanos, 0))::bigint                 AS net_cost_nanos,
       ((l.cost_nanos + coalesce(c.cost_delta_nanos, 0))::numeric / 1000000000)::numeric(20, 9) AS net_cost_usd
FROM ledger l
LEFT JOIN (SELECT event_id, count(*) AS corrections, sum(cost_delta_nanos) AS cost_delta_nanos
           FROM ledger_corrections GROUP BY event_id) c ON c.event_id = l.event_id;

-- The corrections, newest first, beside the ledger row each corrects (null while that row has not
-- arrived): who issued what, from which price version to which, and what it changed.
CREATE VIEW correction_audit AS
SELECT c.correction_id,
       c.issued_at,
       c.reason,
       c.event_id,
       c.event_time,
       c.tenant_id,
       c.task_id,
       c.route,
       c.provider,
       c.model,
       c.was_priced,
       c.old_price_version,
       c.new_price_version,
       c.old_cost_nanos,
       c.new_cost_nanos,
       c.cost_delta_nanos,
       (c.old_cost_nanos::numeric / 1000000000)::numeric(20, 9)   AS old_cost_usd,
       (c.new_cost_nanos::numeric / 1000000000)::numeric(20, 9)   AS new_cost_usd,
       c.cost_delta_usd,
       l.cost_nanos                                               AS ledgered_cost_nanos,
       l.price_version                                            AS ledgered_price_version,
       c.written_at
FROM ledger_corrections c
LEFT JOIN ledger l ON l.event_id = c.event_id
ORDER BY c.issued_at DESC, c.correction_id;

-- The reader views of version 2, netting corrections: same columns, same meaning, counted from
-- ledger_entries instead of ledger. calls counts ledgered calls only.
CREATE OR REPLACE VIEW daily_spend AS
SELECT event_day                                         AS day,
       tenant_id,
       route,
       provider,
       model,
       count(*) FILTER (WHERE is_call)                   AS calls,
       sum(cost_nanos)::bigint                           AS cost_nanos,
       (sum(cost_nanos) / 1000000000)::numeric(20, 9)    AS cost_usd
FROM ledger_entries
GROUP BY event_day, tenant_id, route, provider, model;

CREATE OR REPLACE VIEW task_spend AS
SELECT l.task_id,
       min(l.tenant_id)                                  AS tenant_id,
       min(l.task_class)                                 AS task_class,
       min(l.route)                                      AS route,
       min(l.event_day)                                  AS first_day,
       count(*) FILTER (WHERE l.is_call)                 AS calls,
       sum(l.cost_nanos)::bigint                         AS cost_nanos,
       (sum(l.cost_nanos) / 1000000000)::numeric(20, 9)  AS cost_usd,
       o.outcome
FROM ledger_entries l
LEFT JOIN task_outcomes o ON o.task_id = l.task_id
GROUP BY l.task_id, o.outcome;

CREATE OR REPLACE VIEW cost_per_successful_task AS
SELECT o.decided_day                                                         AS day,
       o.task_class,
       count(*)                                                              AS tasks,
       count(*) FILTER (WHERE o.outcome = 'SUCCESS')                         AS successful_tasks,
       coalesce(sum(s.cost_nanos), 0)::bigint                                AS cost_nanos,
       coalesce(sum(s.cost_nanos) FILTER (WHERE o.outcome <> 'SUCCESS'), 0)::bigint AS waste_nanos,
       CASE WHEN count(*) FILTER (WHERE o.outcome = 'SUCCESS') = 0 THEN NULL
            ELSE round(coalesce(sum(s.cost_nanos), 0)::numeric
                       / count(*) FILTER (WHERE o.outcome = 'SUCCESS'))::bigint
       END                                                                   AS cost_per_success_nanos,
       CASE WHEN count(*) FILTER (WHERE o.outcome = 'SUCCESS') = 0 THEN NULL
            ELSE (round(coalesce(sum(s.cost_nanos), 0)::numeric
                        / count(*) FILTER (WHERE o.outcome = 'SUCCESS')) / 1000000000)::numeric(20, 9)
       END                                                                   AS cost_per_success_usd
FROM task_outcomes o
LEFT JOIN (SELECT task_id, sum(cost_nanos) AS cost_nanos FROM ledger_entries GROUP BY task_id) s
       ON s.task_id = o.task_id
GROUP BY o.decided_day, o.task_class;

CREATE OR REPLACE VIEW cache_tokens_daily AS
SELECT event_day                                                  AS day,
       tenant_id,
       provider,
       model,
       sum(cache_read_tokens)::bigint                             AS cache_read_tokens,
       sum(cache_write_tokens)::bigint                            AS cache_write_tokens,
       sum(cache_read_cost_nanos)::bigint                         AS cache_read_cost_nanos,
       sum(cache_write_cost_nanos)::bigint                        AS cache_write_cost_nanos,
       (sum(cache_read_cost_nanos) / 1000000000)::numeric(20, 9)  AS cache_read_cost_usd,
       (sum(cache_write_cost_nanos) / 1000000000)::numeric(20, 9) AS cache_write_cost_usd
FROM ledger_entries
GROUP BY event_day, tenant_id, provider, model;

CREATE OR REPLACE VIEW retries_daily AS
SELECT event_day                                                                   AS day,
       tenant_id,
       route,
       task_class,
       count(*) FILTER (WHERE is_call)                                             AS calls,
       count(*) FILTER (WHERE is_call AND attempt > 1)                             AS retries,
       coalesce(sum(cost_nanos) FILTER (WHERE attempt > 1), 0)::bigint             AS retry_cost_nanos,
       (coalesce(sum(cost_nanos) FILTER (WHERE attempt > 1), 0) / 1000000000)::numeric(20, 9) AS retry_cost_usd
FROM ledger_entries
GROUP BY event_day, tenant_id, route, task_class;

CREATE OR REPLACE VIEW monthly_projection AS
WITH days AS (
    SELECT event_day AS day, sum(cost_nanos) AS cost_nanos FROM ledger_entries GROUP BY event_day
), months AS (
    SELECT date_trunc('month', day)::date AS month, max(day) AS through_day FROM days GROUP BY 1
), series AS (
    SELECT m.month, m.through_day, d::date AS day, coalesce(days.cost_nanos, 0) AS cost_nanos
    FROM months m
    CROSS JOIN LATERAL generate_series(m.month, m.through_day, interval '1 day') AS d
    LEFT JOIN days ON days.day = d::date
), stats AS (
    SELECT month,
           through_day,
           count(*)                                                             AS days_elapsed,
           ((month + interval '1 month')::date - month)                         AS days_in_month,
           sum(cost_nanos)                                                      AS spent,
           min(cost_nanos)                                                      AS cheapest_day,
           round(sum(cost_nanos) / count(*))                                    AS mean_day,
           max(cost_nanos)                                                      AS dearest_day
    FROM series
    GROUP BY month, through_day
)
SELECT month,
       through_day,
       days_elapsed,
       days_in_month,
       spent::bigint                                                            AS spent_nanos,
       (spent + cheapest_day * (days_in_month - days_elapsed))::bigint          AS best_nanos,
       (spent + mean_day * (days_in_month - days_elapsed))::bigint              AS base_nanos,
       (spent + dearest_day * (days_in_month - days_elapsed))::bigint           AS worst_nanos,
       (spent / 1000000000)::numeric(20, 9)                                     AS spent_usd,
       ((spent + cheapest_day * (days_in_month - days_elapsed)) / 1000000000)::numeric(20, 9) AS best_usd,
       ((spent + mean_day * (days_in_month - days_elapsed)) / 1000000000)::numeric(20, 9)     AS base_usd,
       ((spent + dearest_day * (days_in_month - days_elapsed)) / 1000000000)::numeric(20, 9)  AS worst_usd
FROM stats;

-- The ledger in FinOps FOCUS 1.2 columns (https://focus.finops.org), for FinOps tools to load.
-- Usage rows: one per call and token kind with tokens (input, output, cache read, cache write),
-- because FOCUS gives a row one SKU price, one ConsumedQuantity and one PricingQuantity, and each
-- token kind has its own rate. Adjustment rows: one per correction, with its difference; a
-- correction issued in a later month than the call's is ChargeClass 'Correction' (it corrects a
-- charge of a previous billing period). Amounts are exact NUMERIC USD of the nano-USD integers.
-- costmeter records the rate it charged, with no separate list or contracted price, so ListCost,
-- ContractedCost and EffectiveCost equal BilledCost. Charge periods are the call's UTC hour,
-- billing periods its UTC month (an adjustment's billing period is the month it was issued in).
CREATE VIEW focus_costs AS
WITH usage_rows AS (
    SELECT l.*, k.token_kind, k.tokens, k.component_cost_nanos, k.unit
    FROM ledger l
    CROSS JOIN LATERAL (VALUES
        ('Input',      l.input_tokens,       l.input_cost_nanos,       'Tokens'),
        ('Output',     l.output_tokens,      l.output_cost_nanos,      'Tokens'),
        ('CacheRead',  l.cache_read_tokens,  l.cache_read_cost_nanos,  'Tokens'),
        ('CacheWrite', l.cache_write_tokens, l.cache_write_cost_nanos, 'Tokens'),
        -- per-request fees (V3): one row for all of a call's billed requests, counted in requests
        ('Requests',   (SELECT coalesce(sum(value::bigint), 0) FROM jsonb_each_text(l.request_counts)),
                       l.request_fees_cost_nanos, 'Requests')
    ) AS k(token_kind, tokens, component_cost_nanos, unit)
    WHERE k.tokens <> 0 OR k.component_cost_nanos <> 0
)
SELECT (u.component_cost_nanos::numeric / 1000000000)::numeric(20, 9)                AS "BilledCost",
       (u.component_cost_nanos::numeric / 1000000000)::numeric(20, 9)                AS "EffectiveCost",
       (u.component_cost_nanos::numeric / 1000000000)::numeric(20, 9)                AS "ListCost",
       (u.component_cost_nanos::numeric / 1000000000)::numeric(20, 9)                AS "ContractedCost",
       'USD'::text                                                                   AS "BillingCurrency",
       date_trunc('month', u.event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'       AS "BillingPeriodStart",
       (date_trunc('month', u.event_time AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC' AS "BillingPeriodEnd",
       'Usage'::text                                                                 AS "ChargeCategory",
       NULL::text                                                                    AS "ChargeClass",
       'Usage-Based'::text                                                           AS "ChargeFrequency",
       (u.token_kind || CASE WHEN u.unit = 'Tokens' THEN ' tokens of ' ELSE ' billed per request by ' END
            || u.provider || '/' || u.model
            || CASE WHEN u.batch THEN ' (batch)' ELSE '' END
            || CASE WHEN u.long_context THEN ' (long context)' ELSE '' END
            || CASE WHEN u.priced THEN '' ELSE ' (unpriced)' END)                    AS "ChargeDescription",
       date_trunc('hour', u.event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'        AS "ChargePeriodStart",
       (date_trunc('hour', u.event_time AT TIME ZONE 'UTC') + interval '1 hour') AT TIME ZONE 'UTC' AS "ChargePeriodEnd",
       u.tokens::numeric                                                             AS "ConsumedQuantity",
       u.unit::text                                                                  AS "ConsumedUnit",
       (CASE WHEN u.unit = 'Tokens' THEN u.tokens::numeric / 1000000
             ELSE u.tokens::numeric END)::numeric(26, 6)                             AS "PricingQuantity",
       (CASE WHEN u.unit = 'Tokens' THEN '1000000 Tokens' ELSE 'Requests' END)::text AS "PricingUnit",
       'Standard'::text                                                              AS "PricingCategory",
       (u.provider || '/' || u.model || '/' || u.token_kind)                         AS "SkuId",
       CASE WHEN u.price_version IS NULL THEN NULL
            ELSE u.price_version || '/' || u.token_kind
                 || CASE WHEN u.batch THEN '/batch' ELSE '' END
                 || CASE WHEN u.long_context THEN '/long-context' ELSE '' END END    AS "SkuPriceId",
       u.model                                                                       AS "ServiceName",
       'AI and Machine Learning'::text                                               AS "ServiceCategory",
       u.provider                                                                    AS "ProviderName",
       u.provider                                                                    AS "PublisherName",
       u.provider                                                                    AS "InvoiceIssuerName",
       u.tenant_id                                                                   AS "SubAccountId",
       u.labels                                                                      AS "Tags",
       u.event_id                                                                    AS "x_EventId",
       NULL::text                                                                    AS "x_CorrectionId",
       u.task_id                                                                     AS "x_TaskId",
       u.task_class                                                                  AS "x_TaskClass",
       u.route                                                                       AS "x_Route",
       u.component_cost_nanos                                                        AS "x_CostNanos"
FROM usage_rows u
UNION ALL
SELECT (c.cost_delta_nanos::numeric / 1000000000)::numeric(20, 9),
       (c.cost_delta_nanos::numeric / 1000000000)::numeric(20, 9),
       (c.cost_delta_nanos::numeric / 1000000000)::numeric(20, 9),
       (c.cost_delta_nanos::numeric / 1000000000)::numeric(20, 9),
       'USD',
       date_trunc('month', c.issued_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       (date_trunc('month', c.issued_at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC',
       'Adjustment',
       CASE WHEN date_trunc('month', c.issued_at AT TIME ZONE 'UTC') > date_trunc('month', c.event_time AT TIME ZONE 'UTC')
            THEN 'Correction' END,
       'Usage-Based',
       ('Repricing of ' || c.event_id || ' (' || c.provider || '/' || c.model || ') from '
            || coalesce(c.old_price_version, 'no price') || ' to ' || coalesce(c.new_price_version, 'no price')
            || ': ' || c.reason),
       date_trunc('hour', c.event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       (date_trunc('hour', c.event_time AT TIME ZONE 'UTC') + interval '1 hour') AT TIME ZONE 'UTC',
       NULL::numeric,
       NULL::text,
       NULL::numeric,
       NULL::text,
       NULL::text,
       (c.provider || '/' || c.model),
       c.new_price_version,
       c.model,
       'AI and Machine Learning',
       c.provider,
       c.provider,
       c.provider,
       c.tenant_id,
       coalesce(l.labels, '{}'::jsonb),
       c.event_id,
       c.correction_id,
       c.task_id,
       c.task_class,
       c.route,
       c.cost_delta_nanos
FROM ledger_corrections c
LEFT JOIN ledger l ON l.event_id = c.event_id;
