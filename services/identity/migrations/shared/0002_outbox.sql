-- Mail and SMS waiting to be delivered, and deferred requests waiting to be handled. A message
-- is written here before the request that caused it is answered, so a crash or restart cannot
-- lose it; any replica delivers it.
-- One shared table rather than one per tenant, so that one query finds every due message.
CREATE TABLE outbox (
    message_id uuid PRIMARY KEY,
    tenant_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('mail', 'sms', 'request')),
    -- The template or request name (or "sms"), for logs and metrics; never the content.
    label text NOT NULL,
    -- AES-GCM sealed JSON: messages carry codes and sign-in links, which are secrets.
    payload bytea NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    -- Also the lease: a claimed message moves into the future until it is delivered or
    -- rescheduled, so a replica that dies mid-delivery only delays it.
    next_attempt_at timestamptz NOT NULL,
    -- Codes in messages expire: delivering after this helps nobody.
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
CREATE INDEX outbox_tenant ON outbox (tenant_id);
