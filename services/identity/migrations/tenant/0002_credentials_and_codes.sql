-- Profile metadata, TOTP, recovery codes and one-time codes of one tenant's users.
ALTER TABLE users ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN mfa_enabled boolean NOT NULL DEFAULT false;
-- TOTP secrets are encrypted with the key-encryption key (AES-GCM); never stored in clear.
ALTER TABLE users ADD COLUMN totp_secret bytea;
ALTER TABLE users ADD COLUMN totp_pending_secret bytea;
ALTER TABLE users ADD COLUMN totp_last_step bigint;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('active', 'disabled'));
CREATE INDEX users_created ON users (created_at, user_id);

CREATE TABLE recovery_codes (
    code_hash bytea PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    used_at timestamptz
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Single-use codes and link tokens (email verification, magic links, password reset, phone
-- verification, MFA login step), bound to a user and a purpose, stored only as hashes.
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
