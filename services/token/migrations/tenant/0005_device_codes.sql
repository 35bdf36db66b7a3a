-- RFC 8628 device authorization requests of one tenant. The device code and the user code
-- are stored only as SHA-256 hashes (the user code normalised: upper case, no dash).
CREATE TABLE device_codes (
    device_code_hash bytea PRIMARY KEY,
    user_code_hash bytea NOT NULL UNIQUE,
    client_id text NOT NULL,
    scope text NOT NULL,
    -- pending -> approved | denied; approved -> issued (tokens were handed out once).
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'issued')),
    interval_seconds integer NOT NULL,
    last_poll_time timestamptz,
    create_time timestamptz NOT NULL,
    expire_time timestamptz NOT NULL,
    -- The approving user, as the authorization endpoint records a code's user.
    user_id text,
    auth_time timestamptz,
    amr text[] NOT NULL DEFAULT '{}',
    session_id text NOT NULL DEFAULT '',
    claims jsonb,
    decision_time timestamptz
);
CREATE INDEX device_codes_expire ON device_codes (expire_time);
