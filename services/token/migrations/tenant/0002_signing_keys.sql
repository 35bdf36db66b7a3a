-- Signing keys of one tenant. Private keys are sealed (AES-GCM) with the key-encryption key.
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
-- At most one key per algorithm signs.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (algorithm) WHERE state = 'active';
