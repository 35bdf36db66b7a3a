-- Users of one tenant (the schema is the tenant's; applied with search_path set to it).
CREATE TABLE users (
    user_id text PRIMARY KEY,
    email text NOT NULL,
    email_verified boolean NOT NULL DEFAULT false,
    phone text,
    phone_verified boolean NOT NULL DEFAULT false,
    password_hash text,
    profile jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'locked')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
