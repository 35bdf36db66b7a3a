-- The uploaded button icon of a generic OpenID provider (checked raster bytes,
-- services/identity/federation/icons.py); one per provider, replaced on upload. Kept out of
-- identity_providers.config, which every login page reads.
CREATE TABLE identity_provider_icons (
    provider_id text PRIMARY KEY REFERENCES identity_providers (provider_id) ON DELETE CASCADE,
    icon_hash text NOT NULL,
    media_type text NOT NULL,
    data bytea NOT NULL
);
