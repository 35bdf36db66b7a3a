-- Authorization codes, refresh-token families and remembered consents of one tenant. Codes
-- and refresh tokens are stored only as SHA-256 hashes.
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
    -- What redeeming it issued: a second redemption revokes these.
    family_id text,
    access_jti text,
    access_expire_time timestamptz
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
