-- Grant families: everything one authorization (a code or a device approval) issued. The
-- family row is the lock that serialises rotation, reuse detection and revocation, and the
-- access tokens a family issued are recorded before they are signed, so that revoking the
-- family (a replayed code, a reused refresh token, the revocation endpoint, a withdrawn
-- consent) can put every one of them on the deny-list.
ALTER TABLE authorization_codes ADD COLUMN redirect_uri_sent boolean NOT NULL DEFAULT true;

CREATE TABLE grant_families (
    family_id text PRIMARY KEY,
    client_id text NOT NULL,
    user_id text NOT NULL,
    create_time timestamptz NOT NULL,
    revoke_time timestamptz
);
CREATE INDEX grant_families_user_client ON grant_families (user_id, client_id);

INSERT INTO grant_families (family_id, client_id, user_id, create_time, revoke_time)
SELECT family_id, min(client_id), min(user_id), min(create_time),
       CASE WHEN bool_and(revoke_time IS NOT NULL) THEN max(revoke_time) END
FROM refresh_tokens GROUP BY family_id;

CREATE TABLE family_access_tokens (
    family_id text NOT NULL REFERENCES grant_families ON DELETE CASCADE,
    jti text NOT NULL,
    expire_time timestamptz NOT NULL,
    PRIMARY KEY (family_id, jti)
);
