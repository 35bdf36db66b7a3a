-- A new tenant's identity schema as tenant migrations 0001..0005 leave it, in one step
-- (services/common/migrations.py: a new schema is made from this instead of replaying the
-- history of ALTER TABLEs; issue 13, provisioning cost). Columns keep the order the history
-- gave them. tests/integration/test_tenant_baselines.py fails when it and the migrations
-- disagree.
CREATE TABLE users (
    user_id text PRIMARY KEY,
    email text NOT NULL,
    email_verified boolean NOT NULL DEFAULT false,
    phone text,
    phone_verified boolean NOT NULL DEFAULT false,
    password_hash text,
    profile jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    metadata jsonb NOT NULL DEFAULT '{}',
    mfa_enabled boolean NOT NULL DEFAULT false,
    totp_secret bytea,
    totp_pending_secret bytea,
    totp_last_step bigint,
    CONSTRAINT users_status_check CHECK (status IN ('active', 'disabled'))
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_created ON users (created_at, user_id);

CREATE TABLE recovery_codes (
    code_hash bytea PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    used_at timestamptz
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE one_time_codes (
    code_hash bytea PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    purpose text NOT NULL,
    target text NOT NULL DEFAULT '',
    expire_time timestamptz NOT NULL,
    used_time timestamptz,
    create_time timestamptz NOT NULL
);
CREATE INDEX one_time_codes_user ON one_time_codes (user_id, purpose);

CREATE TABLE events (
    event_id text PRIMARY KEY,
    type text NOT NULL,
    user_id text NOT NULL DEFAULT '',
    ip_address text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT '',
    actor text NOT NULL DEFAULT '',
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL
);
CREATE INDEX events_time ON events (created_at DESC, event_id DESC);
CREATE INDEX events_user ON events (user_id, created_at DESC, event_id DESC);
CREATE INDEX events_type ON events (type, created_at DESC, event_id DESC);

CREATE TABLE identity_providers (
    provider_id text PRIMARY KEY,
    provider_type text NOT NULL,
    config jsonb NOT NULL,
    enabled boolean NOT NULL DEFAULT false,
    display_order integer NOT NULL DEFAULT 0,
    client_secret bytea,
    private_key bytea,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE federated_identities (
    identity_id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    provider_id text NOT NULL REFERENCES identity_providers (provider_id) ON DELETE CASCADE,
    subject text NOT NULL,
    email text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    last_login_at timestamptz
);
CREATE UNIQUE INDEX federated_identities_subject ON federated_identities (provider_id, subject);
CREATE INDEX federated_identities_user ON federated_identities (user_id);

CREATE TABLE identity_provider_icons (
    provider_id text PRIMARY KEY REFERENCES identity_providers (provider_id) ON DELETE CASCADE,
    icon_hash text NOT NULL,
    media_type text NOT NULL,
    data bytea NOT NULL
);
