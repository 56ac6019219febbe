-- costmeter ledger, version 5: what each cost lever saved, the waste, and one envelope. The rules
-- are pricing/README.md's sections Levers and The envelope; metering-stream's /v1/levers and
-- /v1/envelope and costctl apply the same ones. Money stays an exact integer of nano-USD; *_usd
-- columns are NUMERIC computed from it.

-- Priced once per call by metering (PricedUsage v3). Signed: a prompt cache written more than it
-- is read shows a loss. Rows written before version 5 keep 0.
ALTER TABLE ledger
    ADD COLUMN cache_savings_nanos BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN batch_savings_nanos BIGINT NOT NULL DEFAULT 0;

-- Per UTC day of the call, tenant, route, task_class and model: what each lever saved and the calls
-- and tokens it applied to. Cost and the response cache's savings net corrections (ledger_entries);
-- a correction carries no prompt-cache or batch difference, so those two are as the calls were
-- ledgered.
CREATE VIEW lever_savings_daily AS
WITH entries AS (
    SELECT event_day, tenant_id, route, task_class, provider, model, TRUE AS is_call, cost_nanos,
           (cache_read_tokens > 0 OR cache_write_tokens > 0) AS cache_call, cache_read_tokens, cache_write_tokens,
           cache_savings_nanos, batch AS batch_call,
           CASE WHEN batch THEN input_tokens + output_tokens + cache_read_tokens + cache_write_tokens ELSE 0 END AS batch_tokens,
           batch_savings_nanos, response_cache_hit, savings_nanos
    FROM ledger
    UNION ALL
    SELECT event_day, tenant_id, route, task_class, provider, model, FALSE, cost_delta_nanos,
           FALSE, 0, 0, 0, FALSE, 0, 0, FALSE, savings_delta_nanos
    FROM ledger_corrections
)
SELECT event_day                                                          AS day,
       tenant_id,
       route,
       task_class,
       provider,
       model,
       count(*) FILTER (WHERE is_call)                                    AS calls,
       sum(cost_nanos)::bigint                                            AS cost_nanos,
       count(*) FILTER (WHERE cache_call)                                 AS cache_calls,
       sum(cache_read_tokens)::bigint                                     AS cache_read_tokens,
       sum(cache_write_tokens)::bigint                                    AS cache_write_tokens,
       sum(cache_savings_nanos)::bigint                                   AS cache_savings_nanos,
       (sum(cache_savings_nanos) / 1000000000)::numeric(20, 9)            AS cache_savings_usd,
       count(*) FILTER (WHERE batch_call)                                 AS batch_calls,
       sum(batch_tokens)::bigint                                          AS batch_tokens,
       sum(batch_savings_nanos)::bigint                                   AS batch_savings_nanos,
       (sum(batch_savings_nanos) / 1000000000)::numeric(20, 9)            AS batch_savings_usd,
       count(*) FILTER (WHERE response_cache_hit)                         AS response_cache_hits,
       sum(savings_nanos)::bigint                                         AS response_cache_savings_nanos,
       (sum(savings_nanos) / 1000000000)::numeric(20, 9)                  AS response_cache_savings_usd
FROM entries
GROUP BY event_day, tenant_id, route, task_class, provider, model;

-- Waste per UTC day of the call, tenant, route, task_class and model. Each call counts in one
-- category at most, retries first: a retried call (attempt > 1) is retry waste; any other call of
-- a task whose outcome is not SUCCESS (FAILURE, ESCALATED, ABANDONED) is failed-task waste; a task
-- without an outcome wastes nothing yet. Loops have no category: no signal of a looping or blocked
-- task reaches the ledger. Amounts net corrections.
CREATE VIEW waste_daily AS
SELECT e.event_day                                                                        AS day,
       e.tenant_id,
       e.route,
       e.task_class,
       e.provider,
       e.model,
       count(*) FILTER (WHERE e.is_call AND e.attempt > 1)                                AS retry_calls,
       coalesce(sum(e.cost_nanos) FILTER (WHERE e.attempt > 1), 0)::bigint                AS retry_waste_nanos,
       count(*) FILTER (WHERE e.is_call AND e.attempt <= 1 AND o.outcome <> 'SUCCESS')   AS failed_task_calls,
       coalesce(sum(e.cost_nanos) FILTER (WHERE e.attempt <= 1 AND o.outcome <> 'SUCCESS'), 0)::bigint
                                                                                          AS failed_task_waste_nanos,
       coalesce(sum(e.cost_nanos) FILTER (WHERE e.attempt > 1 OR o.outcome <> 'SUCCESS'), 0)::bigint
                                                                                          AS waste_nanos,
       (coalesce(sum(e.cost_nanos) FILTER (WHERE e.attempt > 1), 0) / 1000000000)::numeric(20, 9)
                                                                                          AS retry_waste_usd,
       (coalesce(sum(e.cost_nanos) FILTER (WHERE e.attempt <= 1 AND o.outcome <> 'SUCCESS'), 0) / 1000000000)::numeric(20, 9)
                                                                                          AS failed_task_waste_usd,
       (coalesce(sum(e.cost_nanos) FILTER (WHERE e.attempt > 1 OR o.outcome <> 'SUCCESS'), 0) / 1000000000)::numeric(20, 9)
                                                                                          AS waste_usd
FROM ledger_entries e
LEFT JOIN task_outcomes o ON o.task_id = e.task_id
GROUP BY e.event_day, e.tenant_id, e.route, e.task_class, e.provider, e.model;

-- The envelope, replacing version 2's all-tenants projection: one row per scope, month and through
-- day, from the 1st of the month to its last day (a past month) or today (UTC; or the last day with
-- spend, if later). dimension is tenant, route, model (provider/model), task_class or prompt_version,
-- as metering's API names them, or 'all' (scope 'all': every call, what the view held before).
-- n = days elapsed (the 1st to through_day; a day without spend spent 0), r = days left, S = spend,
-- W = its waste (retried calls; failed tasks are not known when a call is rolled up in metering),
-- P = the dearest day: base = S + r*S/n, worst = S + r*P, best = S + r*(S-W)/n, each fraction
-- rounded half-up once, exactly: div(2a + b, 2b) of non-negative integers.
DROP VIEW monthly_projection;
CREATE VIEW monthly_projection AS
WITH scoped AS (
    SELECT d.dimension, d.scope, e.event_day AS day, e.cost_nanos,
           CASE WHEN e.attempt > 1 THEN e.cost_nanos ELSE 0 END AS waste_nanos
    FROM ledger_entries e
    CROSS JOIN LATERAL (VALUES ('all', 'all'), ('tenant', e.tenant_id), ('route', e.route),
                               ('model', e.provider || '/' || e.model), ('task_class', e.task_class),
                               ('prompt_version', e.prompt_version)) AS d(dimension, scope)
    WHERE d.scope IS NOT NULL
), days AS (
    SELECT dimension, scope, day, sum(cost_nanos) AS cost_nanos, sum(waste_nanos) AS waste_nanos
    FROM scoped
    GROUP BY dimension, scope, day
), months AS (
    SELECT dimension, scope, date_trunc('month', day)::date AS month, max(day) AS last_spend_day
    FROM days
    GROUP BY dimension, scope, date_trunc('month', day)
), through AS (
    SELECT m.dimension, m.scope, m.month, t::date AS through_day,
           ((m.month + interval '1 month')::date - m.month) AS days_in_month
    FROM months m
    CROSS JOIN LATERAL generate_series(m.month,
            least((m.month + interval '1 month')::date - 1,
                  greatest((now() AT TIME ZONE 'UTC')::date, m.last_spend_day)),
            interval '1 day') AS t
), stats AS (
    SELECT t.dimension, t.scope, t.month, t.through_day, t.days_in_month,
           extract(day FROM t.through_day)::int                       AS days_elapsed,
           coalesce(sum(d.cost_nanos), 0)::numeric                    AS spent,
           coalesce(sum(d.waste_nanos), 0)::numeric                   AS waste,
           greatest(coalesce(max(d.cost_nanos), 0), 0)::numeric       AS dearest
    FROM through t
    LEFT JOIN days d ON d.dimension = t.dimension AND d.scope = t.scope AND d.day BETWEEN t.month AND t.through_day
    GROUP BY t.dimension, t.scope, t.month, t.through_day, t.days_in_month
), envelope AS (
    SELECT s.*,
           s.days_in_month - s.days_elapsed                                                   AS days_left,
           s.spent + div(2 * (s.days_in_month - s.days_elapsed) * (s.spent - s.waste) + s.days_elapsed,
                         2 * s.days_elapsed)                                                  AS best,
           s.spent + div(2 * (s.days_in_month - s.days_elapsed) * s.spent + s.days_elapsed,
                         2 * s.days_elapsed)                                                  AS base,
           s.spent + (s.days_in_month - s.days_elapsed) * s.dearest                           AS worst
    FROM stats s
)
SELECT dimension,
       scope,
       month,
       through_day,
       days_elapsed,
       days_in_month,
       days_left,
       spent::bigint                                     AS spent_nanos,
       waste::bigint                                     AS waste_nanos,
       dearest::bigint                                   AS dearest_day_nanos,
       best::bigint                                      AS best_nanos,
       base::bigint                                      AS base_nanos,
       worst::bigint                                     AS worst_nanos,
       (spent / 1000000000)::numeric(20, 9)              AS spent_usd,
       (best / 1000000000)::numeric(20, 9)               AS best_usd,
       (base / 1000000000)::numeric(20, 9)               AS base_usd,
       (worst / 1000000000)::numeric(20, 9)              AS worst_usd
FROM envelope;
