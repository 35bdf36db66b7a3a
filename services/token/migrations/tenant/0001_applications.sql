-- OAuth clients of one tenant.
CREATE TABLE applications (
    client_id text PRIMARY KEY,
    display_name text NOT NULL,
    client_type text NOT NULL CHECK (client_type IN ('confidential', 'public')),
    redirect_uris text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
