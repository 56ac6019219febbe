-- costmeter ledger, version 1: the tables the ledger sink writes.
-- Money is an exact integer of nano-USD (1e-9 USD) in every *_nanos column; the *_usd columns are
-- computed from it in NUMERIC, so they are exact too.

CREATE TABLE ledger (
    event_id               TEXT        PRIMARY KEY,
    event_time             TIMESTAMPTZ NOT NULL,
    event_day              DATE        NOT NULL, -- UTC day of event_time, for the daily views
    tenant_id              TEXT        NOT NULL,
    task_id                TEXT        NOT NULL,
    task_class             TEXT        NOT NULL,
    route                  TEXT        NOT NULL,
    prompt_version         TEXT,
    end_user_id            TEXT,
    provider               TEXT        NOT NULL,
    model                  TEXT        NOT NULL,
    input_tokens           BIGINT      NOT NULL,
    output_tokens          BIGINT      NOT NULL,
    cache_read_tokens      BIGINT      NOT NULL,
    cache_write_tokens     BIGINT      NOT NULL,
    reasoning_tokens       BIGINT      NOT NULL,
    batch                  BOOLEAN     NOT NULL,
    attempt                INTEGER     NOT NULL,
    step                   INTEGER,
    tool_name              TEXT,
    status                 TEXT        NOT NULL,
    response_cache_hit     BOOLEAN     NOT NULL,
    cost_nanos             BIGINT      NOT NULL,
    input_cost_nanos       BIGINT      NOT NULL,
    output_cost_nanos      BIGINT      NOT NULL,
    cache_read_cost_nanos  BIGINT      NOT NULL,
    cache_write_cost_nanos BIGINT      NOT NULL,
    savings_nanos          BIGINT      NOT NULL,
    priced                 BOOLEAN     NOT NULL,
    price_version          TEXT,
    long_context           BOOLEAN     NOT NULL,
    provider_cost_nanos    BIGINT,
    labels                 JSONB       NOT NULL DEFAULT '{}'::jsonb,
    priced_at              TIMESTAMPTZ NOT NULL,
    source_topic           TEXT        NOT NULL,
    source_partition       INTEGER     NOT NULL,
    source_offset          BIGINT      NOT NULL,
    written_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    cost_usd               NUMERIC(20, 9) GENERATED ALWAYS AS (cost_nanos::numeric / 1000000000) STORED,
    -- The contract promises the breakdown adds up to the total; a row that breaks it is refused
    -- (and lands in the connector's dead-letter queue) rather than corrupting the sums.
    CONSTRAINT ledger_breakdown_adds_up CHECK (
        cost_nanos = input_cost_nanos + output_cost_nanos + cache_read_cost_nanos + cache_write_cost_nanos),
    CONSTRAINT ledger_costs_not_negative CHECK (
        input_cost_nanos >= 0 AND output_cost_nanos >= 0 AND cache_read_cost_nanos >= 0
        AND cache_write_cost_nanos >= 0 AND savings_nanos >= 0)
);

CREATE INDEX ledger_day_tenant ON ledger (event_day, tenant_id);
CREATE INDEX ledger_task ON ledger (task_id);

-- Running totals of one scope over one UTC window; the newest updated_at wins.
CREATE TABLE rollups (
    dimension              TEXT        NOT NULL,
    scope                  TEXT        NOT NULL,
    granularity            TEXT        NOT NULL,
    window_start           TIMESTAMPTZ NOT NULL,
    window_end             TIMESTAMPTZ NOT NULL,
    calls                  BIGINT      NOT NULL,
    retries                BIGINT      NOT NULL,
    failures               BIGINT      NOT NULL,
    response_cache_hits    BIGINT      NOT NULL,
    unpriced_calls         BIGINT      NOT NULL,
    input_tokens           BIGINT      NOT NULL,
    output_tokens          BIGINT      NOT NULL,
    cache_read_tokens      BIGINT      NOT NULL,
    cache_write_tokens     BIGINT      NOT NULL,
    cost_nanos             BIGINT      NOT NULL,
    input_cost_nanos       BIGINT      NOT NULL,
    output_cost_nanos      BIGINT      NOT NULL,
    cache_read_cost_nanos  BIGINT      NOT NULL,
    cache_write_cost_nanos BIGINT      NOT NULL,
    savings_nanos          BIGINT      NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    written_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    cost_usd               NUMERIC(20, 9) GENERATED ALWAYS AS (cost_nanos::numeric / 1000000000) STORED,
    PRIMARY KEY (dimension, scope, granularity, window_start)
);

-- How each task ended; joined with the ledger for cost per successful task. Latest decision wins.
CREATE TABLE task_outcomes (
    task_id         TEXT        PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    task_class      TEXT        NOT NULL,
    route           TEXT        NOT NULL,
    outcome         TEXT        NOT NULL,
    decided_at      TIMESTAMPTZ NOT NULL,
    decided_day     DATE        NOT NULL, -- UTC day of decided_at
    human_corrected BOOLEAN     NOT NULL,
    written_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX task_outcomes_day_class ON task_outcomes (decided_day, task_class);
