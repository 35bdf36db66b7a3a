-- A new tenant's token schema as tenant migrations 0001..0011 leave it, in one step
-- (services/common/migrations.py: a new schema is made from this instead of replaying the
-- history, which creates and drops a table and alters `applications` seven times; issue 13,
-- provisioning cost). Columns keep the order the history gave them, constraints the names.
-- tests/integration/test_tenant_baselines.py fails when it and the migrations disagree.
CREATE TABLE applications (
    client_id text PRIMARY KEY CHECK (client_id ~ '^app_[0-9a-f]{24}$'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    client_type text NOT NULL CHECK (client_type IN ('confidential', 'public')),
    redirect_uris text[] NOT NULL DEFAULT '{}',
    post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
    grant_types text[] NOT NULL,
    allowed_scopes text[] NOT NULL,
    token_endpoint_auth_method text NOT NULL,
    first_party boolean NOT NULL DEFAULT false,
    access_token_ttl_seconds integer,
    id_token_ttl_seconds integer,
    refresh_token_idle_ttl_seconds integer,
    refresh_token_absolute_ttl_seconds integer,
    secret_hash bytea,
    secret_created_at timestamptz,
    previous_secret_hash bytea,
    previous_secret_expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    jwks jsonb NOT NULL DEFAULT '[]',
    jwks_uri text NOT NULL DEFAULT '' CHECK (length(jwks_uri) <= 2000),
    allowed_origins text[] NOT NULL DEFAULT '{}',
    application_type text NOT NULL DEFAULT 'web' CHECK (application_type IN ('web', 'native')),
    logo_url text NOT NULL DEFAULT '' CHECK (length(logo_url) <= 2048),
    logo_image text NOT NULL DEFAULT '' CHECK (length(logo_image) <= 400000),
    homepage_url text NOT NULL DEFAULT '' CHECK (length(homepage_url) <= 2048),
    privacy_policy_url text NOT NULL DEFAULT '' CHECK (length(privacy_policy_url) <= 2048),
    terms_of_service_url text NOT NULL DEFAULT '' CHECK (length(terms_of_service_url) <= 2048),
    scope_descriptions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(scope_descriptions) = 'object'),
    CONSTRAINT applications_check CHECK ((client_type = 'public') = (token_endpoint_auth_method = 'none')),
    CONSTRAINT applications_check1 CHECK ((client_type = 'confidential') = (secret_hash IS NOT NULL)),
    CONSTRAINT applications_check2 CHECK ((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL)),
    CONSTRAINT applications_token_endpoint_auth_method_check
        CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none')),
    CONSTRAINT applications_jwks_check
        CHECK (jsonb_typeof(jwks) = 'array'
               AND (token_endpoint_auth_method <> 'private_key_jwt' OR jsonb_array_length(jwks) > 0 OR jwks_uri <> '')
               AND (jsonb_array_length(jwks) = 0 OR jwks_uri = ''))
);
CREATE INDEX applications_client_type ON applications (client_type, client_id);
CREATE INDEX applications_application_type ON applications (application_type, client_id);

CREATE TABLE signing_keys (
    kid text PRIMARY KEY,
    algorithm text NOT NULL CHECK (algorithm IN ('RS256', 'ES256', 'EdDSA')),
    private_key bytea NOT NULL,
    public_jwk jsonb NOT NULL,
    state text NOT NULL CHECK (state IN ('active', 'retired')),
    create_time timestamptz NOT NULL,
    retire_time timestamptz,
    expire_time timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (algorithm) WHERE state = 'active';

CREATE TABLE authorization_codes (
    code_hash bytea PRIMARY KEY,
    client_id text NOT NULL,
    user_id text NOT NULL,
    redirect_uri text NOT NULL,
    scope text NOT NULL,
    nonce text NOT NULL DEFAULT '',
    code_challenge text NOT NULL DEFAULT '',
    auth_time timestamptz NOT NULL,
    amr text[] NOT NULL DEFAULT '{}',
    session_id text NOT NULL DEFAULT '',
    claims jsonb NOT NULL,
    create_time timestamptz NOT NULL,
    expire_time timestamptz NOT NULL,
    used_time timestamptz,
    family_id text,
    access_jti text,
    access_expire_time timestamptz,
    redirect_uri_sent boolean NOT NULL DEFAULT true
);

CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    family_id text NOT NULL,
    client_id text NOT NULL,
    user_id text NOT NULL,
    scope text NOT NULL,
    auth_time timestamptz NOT NULL,
    amr text[] NOT NULL DEFAULT '{}',
    claims jsonb NOT NULL,
    create_time timestamptz NOT NULL,
    expire_time timestamptz NOT NULL,
    family_expire_time timestamptz NOT NULL,
    used_time timestamptz,
    revoke_time timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE consents (
    user_id text NOT NULL,
    client_id text NOT NULL,
    scopes text[] NOT NULL,
    update_time timestamptz NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE device_codes (
    device_code_hash bytea PRIMARY KEY,
    user_code_hash bytea NOT NULL UNIQUE,
    client_id text NOT NULL,
    scope text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'issued')),
    interval_seconds integer NOT NULL,
    last_poll_time timestamptz,
    create_time timestamptz NOT NULL,
    expire_time timestamptz NOT NULL,
    user_id text,
    auth_time timestamptz,
    amr text[] NOT NULL DEFAULT '{}',
    session_id text NOT NULL DEFAULT '',
    claims jsonb,
    decision_time timestamptz
);
CREATE INDEX device_codes_expire ON device_codes (expire_time);

CREATE TABLE grant_families (
    family_id text PRIMARY KEY,
    client_id text NOT NULL,
    user_id text NOT NULL,
    create_time timestamptz NOT NULL,
    revoke_time timestamptz
);
CREATE INDEX grant_families_user_client ON grant_families (user_id, client_id);

CREATE TABLE family_access_tokens (
    family_id text NOT NULL REFERENCES grant_families ON DELETE CASCADE,
    jti text NOT NULL,
    expire_time timestamptz NOT NULL,
    PRIMARY KEY (family_id, jti)
);
