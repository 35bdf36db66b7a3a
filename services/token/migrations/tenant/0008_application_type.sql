-- Web or native application (OpenID Connect Dynamic Client Registration `application_type`):
-- only native apps may register private-use schemes, and only their loopback redirect URIs
-- match with any port (RFC 8252 §7.3). Applications registered before the type existed are
-- web apps unless a redirect URI uses a private-use (reverse-domain) scheme, the rule that
-- services/token/applications/model.py default_application_type applies to new ones.
ALTER TABLE applications ADD COLUMN application_type text NOT NULL DEFAULT 'web'
    CHECK (application_type IN ('web', 'native'));
UPDATE applications SET application_type = 'native'
    WHERE EXISTS (SELECT 1 FROM unnest(redirect_uris || post_logout_redirect_uris) AS uri
                  WHERE uri ~ '^[a-z][a-z0-9+-]*(\.[a-z0-9][a-z0-9+-]*)+:');
