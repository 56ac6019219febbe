-- costmeter ledger, version 2: the views finance and on-call read. Every *_usd column is the exact
-- NUMERIC value of the *_nanos column beside it; nothing here uses floating point.

-- Daily spend by tenant, route and model (UTC days).
CREATE VIEW daily_spend AS
SELECT event_day                                         AS day,
       tenant_id,
       route,
       provider,
       model,
       count(*)                                          AS calls,
       sum(cost_nanos)::bigint                           AS cost_nanos,
       (sum(cost_nanos) / 1000000000)::numeric(20, 9)    AS cost_usd
FROM ledger
GROUP BY event_day, tenant_id, route, provider, model;

-- Spend per task, with the task's outcome when one was reported.
CREATE VIEW task_spend AS
SELECT l.task_id,
       min(l.tenant_id)                                  AS tenant_id,
       min(l.task_class)                                 AS task_class,
       min(l.route)                                      AS route,
       min(l.event_day)                                  AS first_day,
       count(*)                                          AS calls,
       sum(l.cost_nanos)::bigint                         AS cost_nanos,
       (sum(l.cost_nanos) / 1000000000)::numeric(20, 9)  AS cost_usd,
       o.outcome
FROM ledger l
LEFT JOIN task_outcomes o ON o.task_id = l.task_id
GROUP BY l.task_id, o.outcome;

-- Cost per successful task by task_class and UTC day of the outcome: all the spend of the tasks
-- that ended that day divided by the ones that succeeded, so failed and abandoned work is charged
-- to the successes. waste_nanos is the spend of the tasks that did not succeed.
CREATE VIEW cost_per_successful_task AS
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
LEFT JOIN (SELECT task_id, sum(cost_nanos) AS cost_nanos FROM ledger GROUP BY task_id) s
       ON s.task_id = o.task_id
GROUP BY o.decided_day, o.task_class;

-- The 100 most expensive tasks of each UTC day (the day a task's first call was made).
CREATE VIEW top_tasks_daily AS
SELECT day, rank, task_id, tenant_id, task_class, route, calls, cost_nanos, cost_usd, outcome
FROM (SELECT first_day AS day,
             row_number() OVER (PARTITION BY first_day ORDER BY cost_nanos DESC, task_id) AS rank,
             task_id, tenant_id, task_class, route, calls, cost_nanos, cost_usd, outcome
      FROM task_spend) ranked
WHERE rank <= 100;

-- Prompt-cache reads versus writes, in tokens and money, per day, tenant and model.
CREATE VIEW cache_tokens_daily AS
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
FROM ledger
GROUP BY event_day, tenant_id, provider, model;

-- Retried calls (attempt > 1) and what they cost, per day, tenant, route and task_class.
CREATE VIEW retries_daily AS
SELECT event_day                                                                   AS day,
       tenant_id,
       route,
       task_class,
       count(*)                                                                    AS calls,
       count(*) FILTER (WHERE attempt > 1)                                         AS retries,
       coalesce(sum(cost_nanos) FILTER (WHERE attempt > 1), 0)::bigint             AS retry_cost_nanos,
       (coalesce(sum(cost_nanos) FILTER (WHERE attempt > 1), 0) / 1000000000)::numeric(20, 9) AS retry_cost_usd
FROM ledger
GROUP BY event_day, tenant_id, route, task_class;

-- Best / base / worst projection of each month's spend from its days so far (UTC), through the
-- last day with spend. Days without spend count as zero. best adds the cheapest day so far for
-- every remaining day, base the mean day (rounded half-up to a nano-USD), worst the dearest day.
CREATE VIEW monthly_projection AS
WITH days AS (
    SELECT event_day AS day, sum(cost_nanos) AS cost_nanos FROM ledger GROUP BY event_day
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
