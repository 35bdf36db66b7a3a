-- Shared tables of the tenant service (schema "tenant"); applied with search_path set.
CREATE TABLE tenants (
    tenant_id text PRIMARY KEY,
    display_name text NOT NULL,
    state text NOT NULL CHECK (state IN ('provisioning', 'active', 'suspended', 'deleting')),
    settings jsonb NOT NULL,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL
);

CREATE TABLE tenant_domains (
    domain text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE
);
CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id);

CREATE TABLE api_keys (
    api_key_id text PRIMARY KEY,
    tenant_id text REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    display_name text NOT NULL,
    scopes text[] NOT NULL,
    secret_hash bytea NOT NULL UNIQUE,
    create_time timestamptz NOT NULL,
    expire_time timestamptz,
    revoke_time timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, api_key_id);

CREATE TABLE admin_users (
    admin_user_id text PRIMARY KEY,
    email text NOT NULL,
    tenant_id text REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    scopes text[] NOT NULL,
    password_hash text NOT NULL,
    state text NOT NULL CHECK (state IN ('active', 'disabled')),
    create_time timestamptz NOT NULL,
    last_login_time timestamptz
);
CREATE UNIQUE INDEX admin_users_email ON admin_users (lower(email));

CREATE TABLE admin_tokens (
    token_hash bytea PRIMARY KEY,
    admin_user_id text NOT NULL REFERENCES admin_users (admin_user_id) ON DELETE CASCADE,
    expire_time timestamptz NOT NULL
);
CREATE INDEX admin_tokens_user ON admin_tokens (admin_user_id);
