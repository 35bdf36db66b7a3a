-- Durable record of the sessions of one tenant (the live state is in Redis).
CREATE TABLE sessions (
    session_id_hash bytea PRIMARY KEY,
    user_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);
