-- The token service keeps clients, keys and grants in per-tenant schemas.
COMMENT ON SCHEMA token IS 'BinoAuth token service: shared bookkeeping';
