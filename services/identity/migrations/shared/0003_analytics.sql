-- The analytics API's counters (services/identity/analytics/). One shared table rather than one
-- per tenant schema: a tenant's range is one index range scan, and the platform-wide figures
-- are rows of their own (tenant_id ''), kept as counts are folded in, so 10,000 tenants answer
-- as fast as one.
CREATE TABLE analytics_counts (
    tenant_id text NOT NULL,
    -- 'h': a UTC hour (kept 72 hours), 'd': a UTC day.
    granularity text NOT NULL CHECK (granularity IN ('h', 'd')),
    bucket_start timestamptz NOT NULL,
    -- sign_ins_succeeded, sign_ins_failed, sign_ups, active_users, lockouts, rate_limited,
    -- tokens_issued:<grant type>.
    counter text NOT NULL,
    value bigint NOT NULL,
    PRIMARY KEY (tenant_id, granularity, bucket_start, counter)
);
-- For pruning hour rows.
CREATE INDEX analytics_counts_age ON analytics_counts (granularity, bucket_start);

-- Who was active in a bucket: exact distinct users per tenant, for buckets and ranges.
CREATE TABLE analytics_active_users (
    tenant_id text NOT NULL,
    granularity text NOT NULL CHECK (granularity IN ('h', 'd')),
    bucket_start timestamptz NOT NULL,
    user_id text NOT NULL,
    PRIMARY KEY (tenant_id, granularity, bucket_start, user_id)
);
CREATE INDEX analytics_active_users_age ON analytics_active_users (granularity, bucket_start);

-- The platform's distinct-user HyperLogLogs (Redis's own encoding), saved at each fold so a
-- Redis that loses its data gets them back.
CREATE TABLE analytics_platform_hll (
    granularity text NOT NULL CHECK (granularity IN ('h', 'd')),
    bucket_start timestamptz NOT NULL,
    registers bytea NOT NULL,
    PRIMARY KEY (granularity, bucket_start)
);

-- Folded batches: a batch retried after a crash between the commit and its removal from
-- Redis is not counted twice.
CREATE TABLE analytics_batches (
    batch_id text PRIMARY KEY,
    fold_time timestamptz NOT NULL
);
CREATE INDEX analytics_batches_time ON analytics_batches (fold_time);
