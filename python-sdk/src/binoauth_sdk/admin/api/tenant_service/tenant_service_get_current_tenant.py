from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_tenant_v1_public_tenant import BinoauthTenantV1PublicTenant
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tenant",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTenantV1PublicTenant | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTenantV1PublicTenant.from_dict(response.json())

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
) -> Response[BinoauthTenantV1PublicTenant | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[BinoauthTenantV1PublicTenant | ErrorEnvelope]:
    """Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fi

     Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fields only. Used by hosted pages for branding.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1PublicTenant | ErrorEnvelope]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> BinoauthTenantV1PublicTenant | ErrorEnvelope | None:
    """Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fi

     Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fields only. Used by hosted pages for branding.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1PublicTenant | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[BinoauthTenantV1PublicTenant | ErrorEnvelope]:
    """Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fi

     Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fields only. Used by hosted pages for branding.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1PublicTenant | ErrorEnvelope]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> BinoauthTenantV1PublicTenant | ErrorEnvelope | None:
    """Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fi

     Public: the tenant selected by the request (path prefix, subdomain, custom domain or X-Tenant-ID
    header), with public fields only. Used by hosted pages for branding.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1PublicTenant | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
