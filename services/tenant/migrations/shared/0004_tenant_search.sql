-- ListTenants `query` (case-insensitive substring of id or display name) and `state` filter.
-- A substring LIKE can only use a trigram index; pg_trgm ships with PostgreSQL (contrib) and is
-- a trusted extension (PostgreSQL 13+), so the database owner may create it. It goes into
-- "public" so every service's schemas can name its operator class the same way.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX tenants_id_search ON tenants USING gin (lower(tenant_id) public.gin_trgm_ops);
CREATE INDEX tenants_name_search ON tenants USING gin (lower(display_name) public.gin_trgm_ops);
CREATE INDEX tenants_state ON tenants (state, tenant_id);
