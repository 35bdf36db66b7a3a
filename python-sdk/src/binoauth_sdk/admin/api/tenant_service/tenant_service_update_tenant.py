from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_tenant_v1_tenant import BinoauthTenantV1Tenant
from ...models.error_envelope import ErrorEnvelope
from ...models.tenant_service_update_tenant_body import TenantServiceUpdateTenantBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    tenant_id: str,
    *,
    body: TenantServiceUpdateTenantBody,
    update_mask: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["update_mask"] = update_mask

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/tenants/{tenant_id}".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTenantV1Tenant | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTenantV1Tenant.from_dict(response.json())

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
) -> Response[BinoauthTenantV1Tenant | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: TenantServiceUpdateTenantBody,
    update_mask: str | Unset = UNSET,
) -> Response[BinoauthTenantV1Tenant | ErrorEnvelope]:
    """Updates display name, settings or custom domains

     Updates display name, settings or custom domains. Scope: tenants:write.

    Args:
        tenant_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (TenantServiceUpdateTenantBody): A tenant: one customer of the platform, with its own
            users, applications, keys and rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1Tenant | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
        update_mask=update_mask,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: TenantServiceUpdateTenantBody,
    update_mask: str | Unset = UNSET,
) -> BinoauthTenantV1Tenant | ErrorEnvelope | None:
    """Updates display name, settings or custom domains

     Updates display name, settings or custom domains. Scope: tenants:write.

    Args:
        tenant_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (TenantServiceUpdateTenantBody): A tenant: one customer of the platform, with its own
            users, applications, keys and rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1Tenant | ErrorEnvelope
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
        body=body,
        update_mask=update_mask,
    ).parsed


async def asyncio_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: TenantServiceUpdateTenantBody,
    update_mask: str | Unset = UNSET,
) -> Response[BinoauthTenantV1Tenant | ErrorEnvelope]:
    """Updates display name, settings or custom domains

     Updates display name, settings or custom domains. Scope: tenants:write.

    Args:
        tenant_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (TenantServiceUpdateTenantBody): A tenant: one customer of the platform, with its own
            users, applications, keys and rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1Tenant | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
        update_mask=update_mask,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    body: TenantServiceUpdateTenantBody,
    update_mask: str | Unset = UNSET,
) -> BinoauthTenantV1Tenant | ErrorEnvelope | None:
    """Updates display name, settings or custom domains

     Updates display name, settings or custom domains. Scope: tenants:write.

    Args:
        tenant_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (TenantServiceUpdateTenantBody): A tenant: one customer of the platform, with its own
            users, applications, keys and rules.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1Tenant | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
            body=body,
            update_mask=update_mask,
        )
    ).parsed
