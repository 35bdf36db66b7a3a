-- private_key_jwt (RFC 7523): the application's public keys as registered JWKs. A
-- private_key_jwt client keeps a (refused) secret, so the secret constraints stay as they are.
ALTER TABLE applications ADD COLUMN jwks jsonb NOT NULL DEFAULT '[]';
-- Or where the application publishes them (fetched with the outbound policy).
ALTER TABLE applications ADD COLUMN jwks_uri text NOT NULL DEFAULT '' CHECK (length(jwks_uri) <= 2000);
ALTER TABLE applications DROP CONSTRAINT applications_token_endpoint_auth_method_check;
ALTER TABLE applications ADD CONSTRAINT applications_token_endpoint_auth_method_check
    CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'));
ALTER TABLE applications ADD CONSTRAINT applications_jwks_check
    CHECK (jsonb_typeof(jwks) = 'array'
           AND (token_endpoint_auth_method <> 'private_key_jwt' OR jsonb_array_length(jwks) > 0 OR jwks_uri <> '')
           AND (jsonb_array_length(jwks) = 0 OR jwks_uri = ''));
