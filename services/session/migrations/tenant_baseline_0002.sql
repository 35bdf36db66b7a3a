-- A new tenant's session schema as tenant migrations 0001..0002 leave it, in one step
-- (services/common/migrations.py: a new schema is made from this instead of replaying the
-- history, which creates and drops tables; issue 13, provisioning cost).
-- tests/integration/test_tenant_baselines.py fails when it and the migrations disagree.
CREATE TABLE sessions (
    session_id text PRIMARY KEY,
    secret_hash bytea NOT NULL UNIQUE,
    user_id text NOT NULL,
    create_time timestamptz NOT NULL,
    last_seen_time timestamptz NOT NULL,
    expire_time timestamptz NOT NULL,
    idle_timeout_seconds integer NOT NULL,
    amr text[] NOT NULL DEFAULT '{}',
    auth_time timestamptz NOT NULL,
    ip_address text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT '',
    revoke_time timestamptz
);
CREATE INDEX sessions_user_live ON sessions (user_id) WHERE revoke_time IS NULL;

CREATE TABLE revoked_tokens (
    jti text PRIMARY KEY,
    expire_time timestamptz NOT NULL,
    revoke_time timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expire ON revoked_tokens (expire_time);

CREATE TABLE not_before (
    subject text PRIMARY KEY,
    not_before timestamptz NOT NULL
);
