-- The identity service keeps all user data in per-tenant schemas; the shared schema only
-- holds the migration bookkeeping. This migration marks the shared schema's version.
COMMENT ON SCHEMA identity IS 'BinoAuth identity service: shared bookkeeping';
