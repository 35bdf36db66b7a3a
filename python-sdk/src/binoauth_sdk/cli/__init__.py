"""The `binoauth` command: administer a BinoAuth deployment from a terminal or a script.

Exit codes: 0 ok, 1 the API refused or failed, 2 usage, 3 not signed in / not allowed,
4 the server cannot be reached. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import httpx
import typer

from binoauth_sdk.admin.api.admin_user_service import admin_user_service_admin_login as admin_login
from binoauth_sdk.admin.api.api_key_service import api_key_service_create_api_key as create_platform_key
from binoauth_sdk.admin.api.api_key_service import api_key_service_create_api_key_2 as create_tenant_key
from binoauth_sdk.admin.api.api_key_service import api_key_service_list_api_keys as list_keys
from binoauth_sdk.admin.api.api_key_service import api_key_service_revoke_api_key as revoke_key
from binoauth_sdk.admin.api.application_service import application_service_create_application as create_app
from binoauth_sdk.admin.api.application_service import application_service_delete_application as delete_app
from binoauth_sdk.admin.api.application_service import application_service_get_application as get_app
from binoauth_sdk.admin.api.application_service import application_service_list_applications as list_apps
from binoauth_sdk.admin.api.event_service import event_service_list_events as list_events
from binoauth_sdk.admin.api.signing_key_service import signing_key_service_list_signing_keys as list_signing_keys
from binoauth_sdk.admin.api.signing_key_service import signing_key_service_rotate_signing_keys as rotate_keys
from binoauth_sdk.admin.api.tenant_service import tenant_service_create_tenant as create_tenant
from binoauth_sdk.admin.api.tenant_service import tenant_service_delete_tenant as delete_tenant
from binoauth_sdk.admin.api.tenant_service import tenant_service_get_tenant as get_tenant
from binoauth_sdk.admin.api.tenant_service import tenant_service_list_tenants as list_tenants
from binoauth_sdk.admin.api.user_admin_service import user_admin_service_create_user as create_user
from binoauth_sdk.admin.api.user_admin_service import user_admin_service_delete_user as delete_user
from binoauth_sdk.admin.api.user_admin_service import user_admin_service_get_user as get_user
from binoauth_sdk.admin.api.user_admin_service import user_admin_service_list_users as list_users
from binoauth_sdk.admin.models.admin_user_service_admin_login_body import AdminUserServiceAdminLoginBody
from binoauth_sdk.admin.models.api_key_service_create_api_key_2_body import ApiKeyServiceCreateApiKey2Body
from binoauth_sdk.admin.models.api_key_service_revoke_api_key_body import ApiKeyServiceRevokeApiKeyBody
from binoauth_sdk.admin.models.binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey
from binoauth_sdk.admin.models.binoauth_tenant_v1_tenant import BinoauthTenantV1Tenant
from binoauth_sdk.admin.models.binoauth_token_v1_application import BinoauthTokenV1Application
from binoauth_sdk.admin.models.signing_key_service_rotate_signing_keys_body import (
    SigningKeyServiceRotateSigningKeysBody,
)
from binoauth_sdk.admin.models.user_admin_service_create_user_body import UserAdminServiceCreateUserBody
from binoauth_sdk.admin.types import UNSET
from binoauth_sdk.cli import api, config, doctor, output
from binoauth_sdk.cli.api import AUTH, USAGE, CliError, admin_client, call, error_line, to_plain

F = TypeVar("F", bound=Callable[..., Any])


class Output(StrEnum):
    table = "table"
    json = "json"


app = typer.Typer(name="binoauth", no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  help=__doc__, rich_markup_mode=None)
tenants_app = typer.Typer(no_args_is_help=True, help="Tenants (platform administrators).")
apps_app = typer.Typer(no_args_is_help=True, help="A tenant's applications (OAuth clients).")
users_app = typer.Typer(no_args_is_help=True, help="A tenant's users.")
keys_app = typer.Typer(no_args_is_help=True, help="API keys (platform or tenant).")
signing_app = typer.Typer(no_args_is_help=True, help="A tenant's token signing keys.")
events_app = typer.Typer(no_args_is_help=True, help="A tenant's security events.")
app.add_typer(tenants_app, name="tenants")
app.add_typer(apps_app, name="apps")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="api-keys")
app.add_typer(signing_app, name="keys")
app.add_typer(events_app, name="events")

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant id (default: the profile's).")]


class State:
    def __init__(self, profile: str, output: Output, url: str) -> None:
        self.profile_name = profile
        self.output = output.value
        self.url = url

    def profile(self) -> config.Profile:
        profiles = config.load_all()
        profile = profiles.get(self.profile_name)
        if profile is None or not profile.token:
            raise CliError(f"not signed in (profile {self.profile_name!r}): run `binoauth login`", AUTH)
        if profile.expired:
            raise CliError("the admin session has expired: run `binoauth login` again", AUTH)
        if self.url:
            profile.url = self.url
        return profile

    def client(self, tenant: str = "") -> Any:
        profile = self.profile()
        return admin_client(profile.url, profile.token, tenant or profile.tenant)


def handled(command: F) -> F:
    """One line on stderr and a documented exit code for every failure, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CliError as error:
            output.error(str(error))
            raise typer.Exit(error.code) from None
        except config.ConfigError as error:
            output.error(str(error))
            raise typer.Exit(USAGE) from None
        except httpx.TransportError as error:
            output.error(f"cannot reach the server: {api.describe_transport_error(error)}")
            raise typer.Exit(api.UNREACHABLE) from None
        except (typer.TyperException, typer.Exit, typer.Abort, KeyboardInterrupt):
            raise  # click reports these itself (usage errors exit 2)
        except Exception as error:  # noqa: BLE001 - the promise is one line, never a traceback
            output.error(f"unexpected {type(error).__name__}: {error}")
            raise typer.Exit(api.API_ERROR) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main_options(
    ctx: typer.Context,
    profile: Annotated[str, typer.Option("--profile", "-p", envvar="BINOAUTH_PROFILE",
                                         help="Profile name.")] = "default",
    output_format: Annotated[Output, typer.Option("--output", "-o", help="table or json.")] = Output.table,
    url: Annotated[str, typer.Option("--url", envvar="BINOAUTH_URL", help="Override the profile's URL.")] = "",
) -> None:
    ctx.obj = State(profile, output_format, url)


def state(ctx: typer.Context) -> State:
    found = ctx.find_object(State)
    return found if found is not None else State("default", Output.table, "")


# --- sign-in -------------------------------------------------------------------------------

@app.command()
@handled
def login(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--url", help="The deployment, e.g. https://auth.example.com.")] = "",
    email: Annotated[str, typer.Option("--email", "-e", envvar="BINOAUTH_EMAIL", help="Administrator email.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    api_key: Annotated[bool, typer.Option("--api-key", help="Store an API key (read from BINOAUTH_API_KEY or "
                                                           "prompted) instead of signing in.")] = False,
    tenant: TenantOpt = "",
) -> None:
    """Sign in as an administrator (email + password; BinoAuth has no admin device flow) and
    store the short-lived admin token in the profile, or store an API key."""
    st = state(ctx)
    profiles = config.load_all()
    existing = profiles.get(st.profile_name)
    base = (url or st.url or (existing.url if existing else "") or "").rstrip("/")
    if not base:
        raise CliError("give --url the first time (e.g. --url https://auth.example.com)", USAGE)
    if api_key:
        secret = os.environ.get("BINOAUTH_API_KEY") or typer.prompt("API key", hide_input=True)
        with admin_client(base, secret, tenant) as client:  # check it before storing it
            try:
                call(list_tenants.sync_detailed, client=client, page_size=1)
            except CliError as error:
                if "[MISSING_SCOPE]" not in str(error):  # a key without tenants:read is still a key
                    raise
        profile = config.Profile(url=base, token=secret, kind="api_key", tenant=tenant)
    else:
        email = email or typer.prompt("Email")
        if password_stdin:
            password = typer.get_text_stream("stdin").readline().rstrip("\n")
        else:
            password = os.environ.get("BINOAUTH_PASSWORD") or typer.prompt("Password", hide_input=True)
        with admin_client(base) as client:
            answer = call(admin_login.sync_detailed, client=client,
                          body=AdminUserServiceAdminLoginBody(email=email, password=password))
        expires_in = answer.expires_in if isinstance(answer.expires_in, int) else 900
        profile = config.Profile(url=base, token=str(answer.access_token), kind="admin", email=email,
                                 expires_at=time.time() + expires_in, tenant=tenant)
    profiles[st.profile_name] = profile
    path = config.save_all(profiles)
    if st.output == "json":
        output.emit_json({"profile": st.profile_name, "url": base, "kind": profile.kind, "config": str(path)})
    else:
        who = profile.email or "API key"
        output.stdout().print(f"Signed in to {base} as {who} (profile {st.profile_name!r}, {path}).")


@app.command()
@handled
def logout(ctx: typer.Context) -> None:
    """Forget the profile's credential."""
    st = state(ctx)
    profiles = config.load_all()
    if st.profile_name in profiles:
        profiles[st.profile_name].token = ""
        profiles[st.profile_name].expires_at = 0
        config.save_all(profiles)
    output.stdout().print(f"Signed out of profile {st.profile_name!r}.")


# --- tenants -------------------------------------------------------------------------------

TENANT_COLUMNS = [("TENANT", "tenant_id"), ("NAME", "display_name"), ("STATE", "state"), ("ISSUER", "issuer")]


@tenants_app.command("list")
@handled
def tenants_list(ctx: typer.Context) -> None:
    st = state(ctx)
    with st.client() as client:
        rows = [to_plain(t) for t in _pages(list_tenants.sync_detailed, "tenants", client=client)]
    output.emit_rows(rows, TENANT_COLUMNS, st.output, title="tenants")


@tenants_app.command("get")
@handled
def tenants_get(ctx: typer.Context, tenant_id: str) -> None:
    st = state(ctx)
    with st.client() as client:
        output.emit_object(to_plain(call(get_tenant.sync_detailed, tenant_id, client=client)), st.output)


@tenants_app.command("create")
@handled
def tenants_create(ctx: typer.Context, tenant_id: str,
                   name: Annotated[str, typer.Option("--name", help="Display name.")] = "") -> None:
    st = state(ctx)
    body = BinoauthTenantV1Tenant.from_dict({"tenant_id": tenant_id, **({"display_name": name} if name else {})})
    with st.client() as client:
        output.emit_object(to_plain(call(create_tenant.sync_detailed, client=client, body=body)), st.output)


@tenants_app.command("delete")
@handled
def tenants_delete(ctx: typer.Context, tenant_id: str,
                   yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False) -> None:
    st = state(ctx)
    if not yes:
        typer.confirm(f"Delete tenant {tenant_id} and everything in it?", abort=True)
    with st.client() as client:
        call(delete_tenant.sync_detailed, tenant_id, client=client)
    _done(st, {"deleted": tenant_id})


# --- applications --------------------------------------------------------------------------

APP_COLUMNS = [("CLIENT ID", "client_id"), ("NAME", "display_name"), ("TYPE", "client_type"),
               ("GRANTS", "grant_types"), ("SCOPES", "allowed_scopes")]


class ClientType(StrEnum):
    confidential = "confidential"
    public = "public"


@apps_app.command("list")
@handled
def apps_list(ctx: typer.Context, tenant: TenantOpt = "") -> None:
    st = state(ctx)
    with st.client(tenant) as client:
        rows = [to_plain(a) for a in _pages(list_apps.sync_detailed, "applications", client=client)]
    output.emit_rows(rows, APP_COLUMNS, st.output, title="applications")


@apps_app.command("get")
@handled
def apps_get(ctx: typer.Context, client_id: str, tenant: TenantOpt = "") -> None:
    st = state(ctx)
    with st.client(tenant) as client:
        output.emit_object(to_plain(call(get_app.sync_detailed, client_id, client=client)), st.output)


@apps_app.command("create")
@handled
def apps_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    tenant: TenantOpt = "",
    client_type: Annotated[ClientType, typer.Option("--type")] = ClientType.confidential,
    grant: Annotated[list[str] | None, typer.Option("--grant", help="Grant type (repeat).")] = None,
    redirect_uri: Annotated[list[str] | None, typer.Option("--redirect-uri", help="Redirect URI (repeat).")] = None,
    scope: Annotated[list[str] | None, typer.Option("--scope", help="Allowed scope (repeat).")] = None,
) -> None:
    """Register an application; a confidential client's secret is shown once."""
    st = state(ctx)
    fields: dict[str, Any] = {"display_name": name, "client_type": f"CLIENT_TYPE_{client_type.value.upper()}"}
    for key, values in (("grant_types", grant), ("redirect_uris", redirect_uri), ("allowed_scopes", scope)):
        if values:
            fields[key] = list(values)
    with st.client(tenant) as client:
        created = to_plain(call(create_app.sync_detailed, client=client,
                                body=BinoauthTokenV1Application.from_dict(fields)))
    if st.output == "json":
        output.emit_json(created)
        return
    output.emit_object(created.get("application", {}), st.output)
    if created.get("client_secret"):
        output.stdout().print(f"client_secret: {created['client_secret']}  (shown once: store it now)")


@apps_app.command("delete")
@handled
def apps_delete(ctx: typer.Context, client_id: str, tenant: TenantOpt = "") -> None:
    st = state(ctx)
    with st.client(tenant) as client:
        call(delete_app.sync_detailed, client_id, client=client)
    _done(st, {"deleted": client_id})


# --- users ---------------------------------------------------------------------------------

USER_COLUMNS = [("USER ID", "user_id"), ("EMAIL", "email"), ("NAME", "name"), ("STATE", "state"),
                ("VERIFIED", "email_verified"), ("MFA", "mfa_enabled")]


@users_app.command("list")
@handled
def users_list(ctx: typer.Context, tenant: TenantOpt = "",
               query: Annotated[str, typer.Option("--query", "-q", help="Filter by email/name.")] = "") -> None:
    st = state(ctx)
    with st.client(tenant) as client:
        rows = [to_plain(u) for u in _pages(list_users.sync_detailed, "users", client=client,
                                            query=query or UNSET)]
    output.emit_rows(rows, USER_COLUMNS, st.output, title="users")


@users_app.command("get")
@handled
def users_get(ctx: typer.Context, user_id: str, tenant: TenantOpt = "") -> None:
    st = state(ctx)
    with st.client(tenant) as client:
        output.emit_object(to_plain(call(get_user.sync_detailed, user_id, client=client)), st.output)


@users_app.command("create")
@handled
def users_create(
    ctx: typer.Context,
    email: Annotated[str, typer.Option("--email", "-e")],
    tenant: TenantOpt = "",
    name: Annotated[str, typer.Option("--name")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Initial password from stdin.")] = False,
    invite: Annotated[bool, typer.Option("--invite", help="Mail an invitation to choose a password.")] = False,
    verified: Annotated[bool, typer.Option("--verified", help="Mark the email verified.")] = False,
) -> None:
    st = state(ctx)
    body: dict[str, Any] = {"user": {"email": email, **({"name": name} if name else {})}}
    if password_stdin:
        body["password"] = typer.get_text_stream("stdin").readline().rstrip("\n")
    if invite:
        body["send_invite"] = True
    if verified:
        body["email_verified"] = True
    with st.client(tenant) as client:
        created = call(create_user.sync_detailed, client=client, body=UserAdminServiceCreateUserBody.from_dict(body))
    output.emit_object(to_plain(created), st.output)


@users_app.command("delete")
@handled
def users_delete(ctx: typer.Context, user_id: str, tenant: TenantOpt = "") -> None:
    st = state(ctx)
    with st.client(tenant) as client:
        call(delete_user.sync_detailed, user_id, client=client)
    _done(st, {"deleted": user_id})


# --- API keys ------------------------------------------------------------------------------

KEY_COLUMNS = [("KEY ID", "api_key_id"), ("TENANT", "tenant_id"), ("NAME", "display_name"), ("SCOPES", "scopes"),
               ("STATE", "state"), ("EXPIRES", "expire_time")]


@keys_app.command("list")
@handled
def api_keys_list(ctx: typer.Context, tenant: TenantOpt = "") -> None:
    st = state(ctx)
    with st.client() as client:
        rows = [to_plain(k) for k in _pages(list_keys.sync_detailed, "api_keys", client=client,
                                            tenant_id=tenant or UNSET)]
    output.emit_rows(rows, KEY_COLUMNS, st.output, title="API keys")


@keys_app.command("create")
@handled
def api_keys_create(
    ctx: typer.Context,
    scope: Annotated[list[str], typer.Option("--scope", "-s", help="Scope (repeat), e.g. users:read.")],
    tenant: TenantOpt = "",
    name: Annotated[str, typer.Option("--name")] = "",
) -> None:
    """Create a platform key, or with --tenant a key of that tenant; the secret is shown once."""
    st = state(ctx)
    fields: dict[str, Any] = {"scopes": list(scope), **({"display_name": name} if name else {})}
    with st.client() as client:
        if tenant:
            created = call(create_tenant_key.sync_detailed, tenant, client=client,
                           body=ApiKeyServiceCreateApiKey2Body.from_dict(fields))
        else:
            created = call(create_platform_key.sync_detailed, client=client,
                           body=BinoauthTenantV1ApiKey.from_dict(fields))
    plain = to_plain(created)
    if st.output == "json":
        output.emit_json(plain)
        return
    output.emit_object(plain.get("api_key", {}), st.output)
    output.stdout().print(f"secret: {plain.get('secret', '')}  (shown once: store it now)")


@keys_app.command("revoke")
@handled
def api_keys_revoke(ctx: typer.Context, api_key_id: str) -> None:
    st = state(ctx)
    with st.client() as client:
        revoked = call(revoke_key.sync_detailed, api_key_id, client=client, body=ApiKeyServiceRevokeApiKeyBody())
    output.emit_object(to_plain(revoked), st.output)


# --- signing keys --------------------------------------------------------------------------

SIGNING_COLUMNS = [("KID", "kid"), ("ALG", "algorithm"), ("STATE", "state"), ("CREATED", "create_time"),
                   ("RETIRES", "retire_time")]


@signing_app.command("list")
@handled
def signing_list(ctx: typer.Context, tenant: TenantOpt = "") -> None:
    st = state(ctx)
    with st.client(tenant) as client:
        answer = to_plain(call(list_signing_keys.sync_detailed, client=client))
    output.emit_rows(answer.get("signing_keys", []), SIGNING_COLUMNS, st.output, title="signing keys")


@signing_app.command("rotate")
@handled
def signing_rotate(
    ctx: typer.Context, tenant: TenantOpt = "",
    algorithm: Annotated[str, typer.Option("--algorithm", help="ES256, RS256 or EdDSA; default all.")] = "",
) -> None:
    """A new key per algorithm signs from now on; the old ones stay published until tokens expire."""
    st = state(ctx)
    body = SigningKeyServiceRotateSigningKeysBody.from_dict({"algorithm": algorithm} if algorithm else {})
    with st.client(tenant) as client:
        answer = to_plain(call(rotate_keys.sync_detailed, client=client, body=body))
    output.emit_rows(answer.get("signing_keys", []), SIGNING_COLUMNS, st.output, title="signing keys",
                     json_data=answer)


# --- events --------------------------------------------------------------------------------

EVENT_COLUMNS = [("TIME", "create_time"), ("TYPE", "type"), ("USER", "user_id"), ("ACTOR", "actor"),
                 ("IP", "ip_address"), ("DETAILS", "details")]


def _events(client: Any, user: str, event_type: str, limit: int) -> list[dict[str, Any]]:
    answer = call(list_events.sync_detailed, client=client, page_size=min(max(limit, 1), 100),
                  user_id=user or UNSET, type_=event_type or UNSET)
    return [to_plain(e) for e in (answer.events or [])] if answer.events is not UNSET else []


@events_app.command("list")
@handled
def events_list(ctx: typer.Context, tenant: TenantOpt = "",
                user: Annotated[str, typer.Option("--user")] = "",
                event_type: Annotated[str, typer.Option("--type")] = "",
                limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100)] = 20) -> None:
    """The newest events first."""
    st = state(ctx)
    with st.client(tenant) as client:
        rows = _events(client, user, event_type, limit)
    output.emit_rows(rows, EVENT_COLUMNS, st.output, title="events", keep=("TYPE",))


@events_app.command("tail")
@handled
def events_tail(
    ctx: typer.Context, tenant: TenantOpt = "",
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep polling for new events.")] = False,
    interval: Annotated[float, typer.Option("--interval", min=0.2, help="Seconds between polls.")] = 2.0,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100)] = 10,
    event_type: Annotated[str, typer.Option("--type")] = "",
    max_polls: Annotated[int, typer.Option("--max-polls", hidden=True)] = 0,
) -> None:
    """The last events, oldest first, one per line; with --follow, new ones as they happen
    (JSON lines with --output json)."""
    st = state(ctx)
    seen: dict[str, None] = {}  # insertion-ordered, so the oldest ids can be forgotten
    polls = 0
    with st.client(tenant) as client:
        while True:
            # Each poll reads the newest 100: a burst of more than 100 events between two polls
            # shows only its newest 100.
            fresh = [e for e in reversed(_events(client, "", event_type, limit if polls == 0 else 100))
                     if e.get("event_id") not in seen]
            for event in fresh:
                seen[str(event.get("event_id"))] = None
                _print_event(event, st.output)
            for old_id in list(seen)[:-1000]:
                del seen[old_id]
            polls += 1
            if not follow or (max_polls and polls >= max_polls):
                return
            time.sleep(interval)


def _print_event(event: dict[str, Any], output_format: str) -> None:
    if output_format == "json":
        import json

        print(json.dumps(event, sort_keys=True), flush=True)
        return
    details = " ".join(f"{k}={v}" for k, v in (event.get("details") or {}).items())
    parts = [event.get("create_time", ""), event.get("type", ""), event.get("user_id") or "-",
             event.get("ip_address") or "-", details]
    print("  ".join(str(p) for p in parts).rstrip(), flush=True)


# --- token ---------------------------------------------------------------------------------

@app.command()
@handled
def token(
    ctx: typer.Context,
    client_id: Annotated[str, typer.Option("--client-id", envvar="BINOAUTH_CLIENT_ID")],
    tenant: TenantOpt = "",
    scope: Annotated[list[str] | None, typer.Option("--scope", "-s", help="Scope (repeat).")] = None,
    resource: Annotated[str, typer.Option("--resource", help="RFC 8707 resource (the token's audience).")] = "",
    url: Annotated[str, typer.Option("--url", help="Deployment URL (default: the profile's).")] = "",
) -> None:
    """Get a client_credentials access token (the secret from BINOAUTH_CLIENT_SECRET or a prompt).
    Prints the token alone, or the whole token response with --output json."""
    st = state(ctx)
    profile = config.load_all().get(st.profile_name)
    base = (url or st.url or (profile.url if profile else "")).rstrip("/")
    tenant = tenant or (profile.tenant if profile else "")
    if not base or not tenant:
        raise CliError("give --url and --tenant (or sign in with a profile that has them)", USAGE)
    secret = os.environ.get("BINOAUTH_CLIENT_SECRET") or typer.prompt("Client secret", hide_input=True)
    form = {"grant_type": "client_credentials"}
    if scope:
        form["scope"] = " ".join(scope)
    if resource:
        form["resource"] = resource
    with api.http_client(base) as client:
        try:
            response = client.post(f"/tenant/{tenant}/oauth2/token", data=form, auth=(client_id, secret))
        except httpx.TransportError as error:
            raise CliError(f"cannot reach the server: {api.describe_transport_error(error)}", api.UNREACHABLE) \
                from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        raise CliError(error_line(response.status_code, body), api.exit_code_for(response.status_code))
    if st.output == "json":
        output.emit_json(body)
    else:
        print(body["access_token"])


# --- doctor --------------------------------------------------------------------------------

@app.command("doctor")
@handled
def doctor_command(
    ctx: typer.Context, tenant: TenantOpt = "",
    url: Annotated[str, typer.Option("--url", help="Deployment URL (default: the profile's).")] = "",
) -> None:
    """Check a deployment: discovery, JWKS, clock skew, TLS, rate-limit headers. Exit 1 if any check fails."""
    st = state(ctx)
    profile = config.load_all().get(st.profile_name)
    base = (url or st.url or (profile.url if profile else "")).rstrip("/")
    if not base:
        raise CliError("give --url (or sign in first)", USAGE)
    usable = profile is not None and bool(profile.token) and not profile.expired and profile.url.rstrip("/") == base
    checks = doctor.run(base, tenant or (profile.tenant if profile else ""),
                        token=profile.token if usable and profile else "")
    rows = [{"check": c.name, "status": c.status, "detail": c.detail} for c in checks]
    output.emit_rows(rows, [("CHECK", "check"), ("STATUS", "status"), ("DETAIL", "detail")], st.output,
                     title=f"doctor {base}")
    if any(c.status == doctor.FAIL for c in checks):
        raise typer.Exit(api.API_ERROR)


# --- helpers -------------------------------------------------------------------------------

def _pages(operation: Callable[..., Any], field: str, **kwargs: Any) -> list[Any]:
    items: list[Any] = []
    token: Any = UNSET
    for _ in range(100):  # at most 100 pages: a bound, not a limit anyone reaches interactively
        answer = call(operation, page_size=100, page_token=token, **kwargs)
        found = getattr(answer, field, UNSET)
        if isinstance(found, list):
            items.extend(found)
        token = getattr(answer, "next_page_token", UNSET)
        if not token or token is UNSET:
            break
    return items


def _done(st: State, data: dict[str, Any]) -> None:
    if st.output == "json":
        output.emit_json(data)
    else:
        output.stdout().print(", ".join(f"{k} {v}" for k, v in data.items()))


def main() -> None:
    app(prog_name="binoauth")
