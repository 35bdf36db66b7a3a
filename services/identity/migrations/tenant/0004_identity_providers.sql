-- External identity providers of one tenant, and the upstream identities linked to its users.
CREATE TABLE identity_providers (
    provider_id text PRIMARY KEY,
    provider_type text NOT NULL,
    -- Everything but the secrets (model.IdentityProvider), as written by the admin API.
    config jsonb NOT NULL,
    enabled boolean NOT NULL DEFAULT false,
    display_order integer NOT NULL DEFAULT 0,
    -- Sealed with the key-encryption key (AES-GCM, bound to tenant and provider); never returned.
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
-- A returning sign-in is found by (provider, subject), never by email.
CREATE UNIQUE INDEX federated_identities_subject ON federated_identities (provider_id, subject);
CREATE INDEX federated_identities_user ON federated_identities (user_id);
