-- Uploaded tenant logos, apart from the settings every service caches (services/tenant/logos.py):
-- settings.branding.logo_image holds "/branding/logos/<hash>", the bytes live here.
CREATE TABLE tenant_logos (
    tenant_id text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    logo_hash text NOT NULL CHECK (logo_hash ~ '^[0-9a-f]{32}$'),
    media_type text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    data bytea NOT NULL CHECK (length(data) BETWEEN 1 AND 262144),
    create_time timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, logo_hash)
);

-- Logos uploaded before this table move into it (the service validated them when they were set).
CREATE TEMPORARY TABLE uploaded_logos ON COMMIT DROP AS
SELECT tenant_id,
       lower(substring(settings->'branding'->>'logo_image' FROM '^data:([a-z/]+);base64,')) AS media_type,
       decode(split_part(settings->'branding'->>'logo_image', ',', 2), 'base64') AS data
FROM tenants
WHERE settings->'branding'->>'logo_image' LIKE 'data:image/%;base64,%';

INSERT INTO tenant_logos (tenant_id, logo_hash, media_type, data)
SELECT tenant_id, left(encode(sha256(data), 'hex'), 32), media_type, data FROM uploaded_logos
WHERE media_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp') AND length(data) BETWEEN 1 AND 262144
ON CONFLICT DO NOTHING;

UPDATE tenants t
SET settings = jsonb_set(t.settings, '{branding,logo_image}',
                         to_jsonb('/branding/logos/' || left(encode(sha256(u.data), 'hex'), 32)))
FROM uploaded_logos u
WHERE u.tenant_id = t.tenant_id
  AND EXISTS (SELECT 1 FROM tenant_logos l WHERE l.tenant_id = u.tenant_id
              AND l.logo_hash = left(encode(sha256(u.data), 'hex'), 32));
