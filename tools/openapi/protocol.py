"""How the endpoints that speak RFC wire formats (google.api.HttpBody in the protos) really
answer: the protos cannot say that a body is a form, or that an answer is a redirect or an
HTML page, so those facts are written here, once, next to the RFC that fixes them."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
FORM = "application/x-www-form-urlencoded"
HTML = "text/html"
JSON = "application/json"


def _string(description: str) -> Json:
    return {"type": "string", "description": description}


def form(properties: dict[str, str], required: tuple[str, ...] = ()) -> Json:
    """A form-encoded body; each parameter once (RFC 6749 section 3.2)."""
    schema: Json = {"type": "object", "properties": {k: _string(v) for k, v in properties.items()},
                    "additionalProperties": {"type": "string"}}
    if required:
        schema["required"] = list(required)
    return {"content": {FORM: {"schema": schema}}}


CLIENT_AUTH = {
    "client_id": "The client, for client_secret_post, private_key_jwt and public clients (`none`).",
    "client_secret": "client_secret_post only.",
    "client_assertion_type": "`urn:ietf:params:oauth:client-assertion-type:jwt-bearer` (private_key_jwt).",
    "client_assertion": "A JWT signed with one of the client's registered keys (private_key_jwt).",
}
OAUTH_ERROR: Json = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
    "description": "RFC 6749 section 5.2 error.",
}
REDIRECT = {"description": "A redirect (Location); 302 back to the client, 303 to a hosted page.",
            "headers": {"Location": {"schema": {"type": "string"}}}}
PAGE = {"description": "An HTML page (strict CSP, frame-ancestors 'none', no-store).",
        "content": {HTML: {"schema": {"type": "string"}}}}
UI_LOCALES = "The pages' language: space-separated BCP 47 tags, best first (before Accept-Language)."
AUTHORIZE_PARAMETERS = {
    "response_type": "`code` (the only response type).",
    "client_id": "The application's client_id.",
    "redirect_uri": "One of the client's registered redirect URIs; required with scope `openid`.",
    "scope": "Space-separated scopes the client may request.",
    "state": "Returned unchanged.",
    "nonce": "Copied into the ID token.",
    "code_challenge": "PKCE S256 challenge; required for public clients.",
    "code_challenge_method": "`S256`.",
    "prompt": "`none`, `login` or `consent`.",
    "max_age": "Seconds; an older sign-in is asked again.",
    "login_hint": "Accepted, not used yet.",
    "ui_locales": UI_LOCALES,
    "response_mode": "`query` (the only mode).",
}
LOGOUT_PARAMETERS = {
    "id_token_hint": "An ID token this issuer signed (an expired one is fine).",
    "post_logout_redirect_uri": "One of the client's registered post-logout URIs.",
    "ui_locales": UI_LOCALES,
    "state": "Returned unchanged with the redirect.",
    "client_id": "The client, when there is no hint.",
}


def json_answer(description: str, schema: Json | None = None) -> Json:
    return {"description": description, "content": {JSON: {"schema": schema or {"type": "object"}}}}


def oauth_errors(unauthorized: bool = True) -> dict[str, Json]:
    errors = {"400": json_answer("An RFC 6749 error.", OAUTH_ERROR)}
    if unauthorized:
        errors["401"] = json_answer("invalid_client (client authentication failed).", OAUTH_ERROR)
    return errors


_TOKEN_RESPONSE: Json = {
    "type": "object", "required": ["access_token", "token_type", "expires_in"],
    "properties": {"access_token": {"type": "string", "description": "RFC 9068 JWT (ES256)."},
                   "token_type": {"const": "Bearer"}, "expires_in": {"type": "integer"},
                   "scope": {"type": "string"}, "id_token": {"type": "string"},
                   "refresh_token": {"type": "string"}},
}
_METADATA: Json = {"type": "object", "required": ["issuer"], "additionalProperties": True,
                   "description": "RFC 8414 / OpenID Connect Discovery 1.0 metadata."}

# (service, method) -> the operation's query/body, responses, and whether it takes client
# authentication (RFC 6749 section 2.3: Basic, or the CLIENT_AUTH form fields).
PROTOCOL: dict[tuple[str, str], Json] = {
    ("OAuthService", "GetAuthorizationServerMetadata"): {"responses": {"200": json_answer("Metadata.", _METADATA)}},
    ("OAuthService", "GetOpenIdConfiguration"): {"responses": {"200": json_answer("Metadata.", _METADATA)}},
    ("SigningKeyService", "GetJwks"): {"responses": {"200": json_answer(
        "The tenant's public keys (RFC 7517).",
        {"type": "object", "required": ["keys"], "properties": {"keys": {"type": "array", "items": {
            "type": "object"}}}})}},
    ("OAuthService", "Authorize"): {
        "query": AUTHORIZE_PARAMETERS, "body": form(AUTHORIZE_PARAMETERS),
        "responses": {"302": REDIRECT, "303": REDIRECT, "200": PAGE, "400": PAGE}},
    ("OAuthService", "SubmitConsent"): {
        "body": form({"decision": "`allow` or `deny`.", "csrf_token": "From the consent page."}),
        "responses": {"302": REDIRECT, "303": REDIRECT, "200": PAGE, "400": PAGE, "403": PAGE}},
    ("OAuthService", "UserInfo"): {
        "body": form({"access_token": "RFC 6750 section 2.2 (instead of the Authorization header)."}),
        "responses": {"200": json_answer("The user's claims for the token's scopes."),
                      "401": json_answer("invalid_token.", OAUTH_ERROR),
                      "403": json_answer("insufficient_scope.", OAUTH_ERROR)}},
    ("OAuthService", "DeviceAuthorization"): {
        "client_auth": True,
        "body": form({"scope": "Space-separated scopes.", **CLIENT_AUTH}),
        "responses": {"200": json_answer("RFC 8628 section 3.2.", {"type": "object", "required": [
            "device_code", "user_code", "verification_uri", "expires_in"]}), **oauth_errors()}},
    ("OAuthService", "GetDevicePage"): {"query": {"user_code": "Pre-filled code.", "ui_locales": UI_LOCALES},
                                        "responses": {"200": PAGE, "303": REDIRECT}},
    ("OAuthService", "SubmitDevicePage"): {
        "body": form({"user_code": "The code shown on the device.", "decision": "`review`, `allow` or `deny`.",
                      "csrf_token": "From the page."}),
        "responses": {"200": PAGE, "303": REDIRECT, "400": PAGE, "403": PAGE, "429": PAGE}},
    ("OAuthService", "EndSession"): {
        "query": LOGOUT_PARAMETERS,
        "body": form({**LOGOUT_PARAMETERS, "csrf_token": "The confirmation form's token.",
                      "decision": "`logout` or `stay` (confirmation form)."}),
        "responses": {"200": PAGE, "302": REDIRECT, "303": REDIRECT, "403": PAGE}},
    ("OAuthService", "Token"): {
        "client_auth": True,
        "body": form({"grant_type": "authorization_code, refresh_token, client_credentials or "
                                    "urn:ietf:params:oauth:grant-type:device_code.",
                      "code": "authorization_code.", "redirect_uri": "authorization_code, if sent to authorize.",
                      "code_verifier": "authorization_code with PKCE.", "refresh_token": "refresh_token.",
                      "scope": "Narrower scopes (refresh_token, client_credentials).",
                      "resource": "RFC 8707 audience (client_credentials).", "device_code": "device_code.",
                      **CLIENT_AUTH}, ("grant_type",)),
        "responses": {"200": json_answer("RFC 6749 section 5.1.", _TOKEN_RESPONSE), **oauth_errors()}},
    ("OAuthService", "Introspect"): {
        "client_auth": True,
        "body": form({"token": "An access or refresh token.", "token_type_hint": "A hint only.", **CLIENT_AUTH},
                     ("token",)),
        "responses": {"200": json_answer("RFC 7662; `{\"active\": false}` for anything not live.", {
            "type": "object", "required": ["active"], "properties": {"active": {"type": "boolean"}}}),
            **oauth_errors()}},
    ("OAuthService", "Revoke"): {
        "client_auth": True,
        "body": form({"token": "An access or refresh token.", "token_type_hint": "A hint only.", **CLIENT_AUTH},
                     ("token",)),
        "responses": {"200": json_answer("RFC 7009: 200 whether or not the token was valid."),
                      **oauth_errors()}},
}
_CSS = {"description": "A stylesheet (long-cached when versioned).", "content": {"text/css": {"schema": {
    "type": "string"}}}}
_NOT_FOUND_ASSET = {"description": "Nothing to serve.", "content": {"text/plain": {"schema": {"type": "string"}}}}
PROTOCOL.update({
    ("HostedPagesService", "GetPageStylesheet"): {"query": {"v": "The build's hash (cache busting)."},
                                                  "responses": {"200": _CSS, "404": _NOT_FOUND_ASSET}},
    ("HostedPagesService", "GetBrandingStylesheet"): {"responses": {"200": _CSS}},
    ("HostedPagesService", "GetBrandingLogo"): {"responses": {
        "200": {"description": "The tenant's logo.", "content": {"image/*": {"schema": {
            "type": "string", "contentEncoding": "binary"}}}},
        "404": _NOT_FOUND_ASSET}},
    ("TenantService", "GetTenantLogo"): {"responses": {
        "200": {"description": "The tenant's uploaded logo (cached for a year: its path carries its hash).",
                "content": {"image/*": {"schema": {"type": "string", "contentEncoding": "binary"}}}},
        "404": _NOT_FOUND_ASSET}},
    ("OAuthService", "GetApplicationLogo"): {"query": {"v": "The logo's hash (cache busting)."}, "responses": {
        "200": {"description": "The application's logo (cached for a year: its URL carries its hash).",
                "content": {"image/*": {"schema": {"type": "string", "contentEncoding": "binary"}}}},
        "404": _NOT_FOUND_ASSET}},
})
# Sign-in through an external identity provider (services/identity/federation): a redirect
# out or back, or a page that says what went wrong: 404 for an unknown or disabled provider,
# 502 when the provider cannot be reached.
_FEDERATION = {"200": PAGE, "303": REDIRECT, "400": PAGE, "403": PAGE, "404": PAGE, "429": PAGE, "502": PAGE}
PROTOCOL.update({
    ("FederatedSignInService", "StartFederatedSignIn"): {
        "query": {"return_to": "Where to continue after sign-in: a path on this tenant."},
        "responses": _FEDERATION},
    ("FederatedSignInService", "FederatedCallback"): {
        "query": {"code": "The provider's authorization code.", "state": "The flow's state.",
                  "iss": "The provider's issuer (RFC 9207).", "error": "The provider's error code.",
                  "error_description": "The provider's words for it."},
        "responses": _FEDERATION},
    ("FederatedSignInService", "StartFederatedLink"): {"responses": _FEDERATION},
    ("FederatedSignInService", "GetIdentityProviderIcon"): {"responses": {
        "200": {"description": "A provider's uploaded button icon (cached for a year: its path carries its hash).",
                "content": {"image/*": {"schema": {"type": "string", "contentEncoding": "binary"}}}},
        "404": _NOT_FOUND_ASSET}},
    ("FederatedSignInService", "FederatedCallbackPost"): {
        "body": form({"code": "The provider's authorization code.", "state": "The flow's state.",
                      "iss": "The provider's issuer (RFC 9207).", "error": "The provider's error code.",
                      "user": "Apple: the user's name on the first sign-in (JSON)."}),
        "responses": _FEDERATION},
})
HOSTED_PAGE: Json = {"responses": {"200": PAGE, "303": REDIRECT, "400": PAGE, "401": PAGE, "403": PAGE,
                                   "429": PAGE}}
HOSTED_FORM = form({"csrf_token": "The token from the page's form.", "return_to": "Where to go next."})
