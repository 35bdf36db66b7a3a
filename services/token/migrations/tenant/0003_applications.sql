-- OAuth clients of one tenant; replaces the placeholder table of 0001 (it never held rows).
DROP TABLE IF EXISTS applications;

CREATE TABLE applications (
    client_id text PRIMARY KEY CHECK (client_id ~ '^app_[0-9a-f]{24}$'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    client_type text NOT NULL CHECK (client_type IN ('confidential', 'public')),
    redirect_uris text[] NOT NULL DEFAULT '{}',
    post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
    grant_types text[] NOT NULL,
    allowed_scopes text[] NOT NULL,
    token_endpoint_auth_method text NOT NULL
        CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
    first_party boolean NOT NULL DEFAULT false,
    -- NULL: the tenant's setting.
    access_token_ttl_seconds integer,
    id_token_ttl_seconds integer,
    refresh_token_idle_ttl_seconds integer,
    refresh_token_absolute_ttl_seconds integer,
    -- SHA-256 of the client secret (confidential clients only); the plain secret is never stored.
    secret_hash bytea,
    secret_created_at timestamptz,
    -- The secret replaced by the last rotation, accepted until previous_secret_expires_at.
    previous_secret_hash bytea,
    previous_secret_expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((client_type = 'public') = (token_endpoint_auth_method = 'none')),
    CHECK ((client_type = 'confidential') = (secret_hash IS NOT NULL)),
    CHECK ((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL))
);
