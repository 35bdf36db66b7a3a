from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.admin_user_service_enable_admin_user_body import (
    AdminUserServiceEnableAdminUserBody,
)
from ...models.binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    admin_user_id: str,
    *,
    body: AdminUserServiceEnableAdminUserBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/adminUsers/{admin_user_id}:enable".format(
            admin_user_id=quote(str(admin_user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTenantV1AdminUser | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTenantV1AdminUser.from_dict(response.json())

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
) -> Response[BinoauthTenantV1AdminUser | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    admin_user_id: str,
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceEnableAdminUserBody,
) -> Response[BinoauthTenantV1AdminUser | ErrorEnvelope]:
    """
    Args:
        admin_user_id (str):
        body (AdminUserServiceEnableAdminUserBody): Request for AdminUserService.EnableAdminUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1AdminUser | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        admin_user_id=admin_user_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    admin_user_id: str,
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceEnableAdminUserBody,
) -> BinoauthTenantV1AdminUser | ErrorEnvelope | None:
    """
    Args:
        admin_user_id (str):
        body (AdminUserServiceEnableAdminUserBody): Request for AdminUserService.EnableAdminUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1AdminUser | ErrorEnvelope
    """

    return sync_detailed(
        admin_user_id=admin_user_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    admin_user_id: str,
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceEnableAdminUserBody,
) -> Response[BinoauthTenantV1AdminUser | ErrorEnvelope]:
    """
    Args:
        admin_user_id (str):
        body (AdminUserServiceEnableAdminUserBody): Request for AdminUserService.EnableAdminUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1AdminUser | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        admin_user_id=admin_user_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    admin_user_id: str,
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceEnableAdminUserBody,
) -> BinoauthTenantV1AdminUser | ErrorEnvelope | None:
    """
    Args:
        admin_user_id (str):
        body (AdminUserServiceEnableAdminUserBody): Request for AdminUserService.EnableAdminUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1AdminUser | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            admin_user_id=admin_user_id,
            client=client,
            body=body,
        )
    ).parsed
