-- When each tenant's oldest active signing key was created: a platform-level record, so that
-- "keys overdue for rotation" is one query, not one per tenant schema. Kept in step by every
-- key creation and rotation (services/token/keys/store.py) and by deprovisioning.
CREATE TABLE signing_key_ages (
    tenant_id text PRIMARY KEY,
    oldest_active_time timestamptz NOT NULL
);

-- Tenants that existed before this table: read their keys once.
DO $$
DECLARE
    schema_name text;
    oldest timestamptz;
BEGIN
    FOR schema_name IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'token\_t\_%' LOOP
        BEGIN
            EXECUTE format('SELECT min(create_time) FROM %I.signing_keys WHERE state = ''active''', schema_name)
                INTO oldest;
        EXCEPTION WHEN undefined_table THEN
            oldest := NULL;
        END;
        IF oldest IS NOT NULL THEN
            INSERT INTO signing_key_ages (tenant_id, oldest_active_time)
            VALUES (substr(schema_name, 9), oldest)
            ON CONFLICT (tenant_id) DO UPDATE SET oldest_active_time = EXCLUDED.oldest_active_time;
        END IF;
    END LOOP;
END $$;
