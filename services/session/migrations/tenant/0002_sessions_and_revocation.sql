-- Durable records behind the Redis fast path: a Redis flush neither resurrects a revoked
-- session or token nor signs anyone out (live state is rebuilt from these rows).
DROP TABLE IF EXISTS sessions;

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

-- Access-token ids on the deny-list until their tokens expire.
CREATE TABLE revoked_tokens (
    jti text PRIMARY KEY,
    expire_time timestamptz NOT NULL,
    revoke_time timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expire ON revoked_tokens (expire_time);

-- "Nothing issued before this time is valid": subject 'tenant' or 'user:<user id>'.
CREATE TABLE not_before (
    subject text PRIMARY KEY,
    not_before timestamptz NOT NULL
);
