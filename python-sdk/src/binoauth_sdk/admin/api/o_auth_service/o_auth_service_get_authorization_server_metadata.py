from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_service_get_authorization_server_metadata_response_200 import (
    OAuthServiceGetAuthorizationServerMetadataResponse200,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tenant_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["tenant_id"] = tenant_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/.well-known/oauth-authorization-server",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OAuthServiceGetAuthorizationServerMetadataResponse200 | None:
    if response.status_code == 200:
        response_200 = OAuthServiceGetAuthorizationServerMetadataResponse200.from_dict(
            response.json()
        )

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OAuthServiceGetAuthorizationServerMetadataResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
) -> Response[OAuthServiceGetAuthorizationServerMetadataResponse200]:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceGetAuthorizationServerMetadataResponse200]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
) -> OAuthServiceGetAuthorizationServerMetadataResponse200 | None:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceGetAuthorizationServerMetadataResponse200
    """

    return sync_detailed(
        client=client,
        tenant_id=tenant_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
) -> Response[OAuthServiceGetAuthorizationServerMetadataResponse200]:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceGetAuthorizationServerMetadataResponse200]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
) -> OAuthServiceGetAuthorizationServerMetadataResponse200 | None:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceGetAuthorizationServerMetadataResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            tenant_id=tenant_id,
        )
    ).parsed
