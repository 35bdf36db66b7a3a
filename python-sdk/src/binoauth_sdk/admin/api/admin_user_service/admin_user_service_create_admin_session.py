from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.admin_user_service_create_admin_session_body import (
    AdminUserServiceCreateAdminSessionBody,
)
from ...models.binoauth_tenant_v1_admin_session import BinoauthTenantV1AdminSession
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: AdminUserServiceCreateAdminSessionBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/sessions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTenantV1AdminSession | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTenantV1AdminSession.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorEnvelope.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorEnvelope.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BinoauthTenantV1AdminSession | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceCreateAdminSessionBody,
) -> Response[BinoauthTenantV1AdminSession | ErrorEnvelope]:
    """Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators)

     Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators). The answer sets the HttpOnly, SameSite=Strict cookie binoauth_console
    (Secure over https), whose value scripts can never read; the server keeps the session (hashed), with
    an idle and an absolute timeout. Other management calls authenticate with that cookie when they
    carry no Authorization header and do carry "X-BinoAuth-Console: 1", and act with the administrator's
    own scopes and tenant. The three session methods answer with Cache-Control: no-store.

    Args:
        body (AdminUserServiceCreateAdminSessionBody): Request for
            AdminUserService.CreateAdminSession.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1AdminSession | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceCreateAdminSessionBody,
) -> BinoauthTenantV1AdminSession | ErrorEnvelope | None:
    """Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators)

     Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators). The answer sets the HttpOnly, SameSite=Strict cookie binoauth_console
    (Secure over https), whose value scripts can never read; the server keeps the session (hashed), with
    an idle and an absolute timeout. Other management calls authenticate with that cookie when they
    carry no Authorization header and do carry "X-BinoAuth-Console: 1", and act with the administrator's
    own scopes and tenant. The three session methods answer with Cache-Control: no-store.

    Args:
        body (AdminUserServiceCreateAdminSessionBody): Request for
            AdminUserService.CreateAdminSession.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1AdminSession | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceCreateAdminSessionBody,
) -> Response[BinoauthTenantV1AdminSession | ErrorEnvelope]:
    """Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators)

     Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators). The answer sets the HttpOnly, SameSite=Strict cookie binoauth_console
    (Secure over https), whose value scripts can never read; the server keeps the session (hashed), with
    an idle and an absolute timeout. Other management calls authenticate with that cookie when they
    carry no Authorization header and do carry "X-BinoAuth-Console: 1", and act with the administrator's
    own scopes and tenant. The three session methods answer with Cache-Control: no-store.

    Args:
        body (AdminUserServiceCreateAdminSessionBody): Request for
            AdminUserService.CreateAdminSession.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1AdminSession | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceCreateAdminSessionBody,
) -> BinoauthTenantV1AdminSession | ErrorEnvelope | None:
    """Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators)

     Public: signs an administrator in to the console (same checks as AdminLogin: argon2id, lockout,
    disabled administrators). The answer sets the HttpOnly, SameSite=Strict cookie binoauth_console
    (Secure over https), whose value scripts can never read; the server keeps the session (hashed), with
    an idle and an absolute timeout. Other management calls authenticate with that cookie when they
    carry no Authorization header and do carry "X-BinoAuth-Console: 1", and act with the administrator's
    own scopes and tenant. The three session methods answer with Cache-Control: no-store.

    Args:
        body (AdminUserServiceCreateAdminSessionBody): Request for
            AdminUserService.CreateAdminSession.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1AdminSession | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
