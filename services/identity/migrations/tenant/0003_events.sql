-- Security events of one tenant's users (sign-ins, failures, lockouts, password and MFA
-- changes, administrators' actions), newest first; pruned after the retention period.
CREATE TABLE events (
    event_id text PRIMARY KEY,
    type text NOT NULL,
    user_id text NOT NULL DEFAULT '',
    ip_address text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT '',
    -- Who acted, when it was not the user: an API key or admin user id.
    actor text NOT NULL DEFAULT '',
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL
);
CREATE INDEX events_time ON events (created_at DESC, event_id DESC);
CREATE INDEX events_user ON events (user_id, created_at DESC, event_id DESC);
CREATE INDEX events_type ON events (type, created_at DESC, event_id DESC);
