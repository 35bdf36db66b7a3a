-- Administrators' console sessions (services/tenant/console.py). The cookie's value is kept
-- only as its SHA-256 (services/common/auth.py credential_hash).
CREATE TABLE admin_console_sessions (
    session_hash bytea PRIMARY KEY,
    admin_user_id text NOT NULL REFERENCES admin_users (admin_user_id) ON DELETE CASCADE,
    create_time timestamptz NOT NULL,
    expire_time timestamptz NOT NULL,
    idle_expire_time timestamptz NOT NULL
);
CREATE INDEX admin_console_sessions_user ON admin_console_sessions (admin_user_id);
CREATE INDEX admin_console_sessions_expiry ON admin_console_sessions (expire_time);
