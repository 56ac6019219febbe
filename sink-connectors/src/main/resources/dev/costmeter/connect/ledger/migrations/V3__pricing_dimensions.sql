-- costmeter ledger, version 3: the pricing dimensions of PricedUsage v2 (pricing/README.md, Money).
-- Every new column has a default, so rows written before keep meaning what they meant: no 1-hour
-- cache writes, the standard tier, no request fees. Adding a column with a constant default does
-- not rewrite the table.

ALTER TABLE ledger
    ADD COLUMN cache_write_1h_tokens     BIGINT NOT NULL DEFAULT 0, -- part of cache_write_tokens
    ADD COLUMN cache_write_1h_cost_nanos BIGINT NOT NULL DEFAULT 0, -- part of cache_write_cost_nanos
    ADD COLUMN service_tier              TEXT,                      -- null: the standard tier
    ADD COLUMN request_counts            JSONB  NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN request_fees_cost_nanos   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN unpriced_reason           TEXT;

-- The breakdown now adds up with the request fees; the 1-hour writes are a part of the writes, not
-- a sixth term. NOT VALID then VALIDATE checks the existing rows without blocking writes meanwhile.
ALTER TABLE ledger DROP CONSTRAINT ledger_breakdown_adds_up;
ALTER TABLE ledger ADD CONSTRAINT ledger_breakdown_adds_up CHECK (
    cost_nanos = input_cost_nanos + output_cost_nanos + cache_read_cost_nanos + cache_write_cost_nanos
                 + request_fees_cost_nanos) NOT VALID;
ALTER TABLE ledger VALIDATE CONSTRAINT ledger_breakdown_adds_up;

ALTER TABLE ledger ADD CONSTRAINT ledger_dimensions_consistent CHECK (
    cache_write_1h_tokens >= 0 AND cache_write_1h_tokens <= cache_write_tokens
    AND cache_write_1h_cost_nanos >= 0 AND cache_write_1h_cost_nanos <= cache_write_cost_nanos
    AND request_fees_cost_nanos >= 0) NOT VALID;
ALTER TABLE ledger VALIDATE CONSTRAINT ledger_dimensions_consistent;
