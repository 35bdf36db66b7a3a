"""OAuth 2.0 protocol endpoints, named after what they implement: RFC 6749 (token endpoint,
client_credentials), RFC 7662 (introspection), RFC 7009 (revocation), RFC 8414 (metadata),
RFC 9068 (JWT access tokens)."""
