"""Per-tenant signing keys: generation, sealed storage, rotation, and the JWKS."""
