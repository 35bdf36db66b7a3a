"""External identity providers: the tenant as a relying party of upstream OpenID Connect (and
GitHub OAuth 2.0) providers, while staying the OpenID provider of its own applications."""
