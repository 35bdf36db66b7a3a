"""OAuth clients (applications) of a tenant: domain rules, store, use cases and the admin API."""
