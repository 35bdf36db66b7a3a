from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_service_get_authorization_server_metadata_2_response_200 import (
    OAuthServiceGetAuthorizationServerMetadata2Response200,
)
from ...types import Response


def _get_kwargs(
    tenant_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/.well-known/oauth-authorization-server/tenant/{tenant_id}".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OAuthServiceGetAuthorizationServerMetadata2Response200 | None:
    if response.status_code == 200:
        response_200 = OAuthServiceGetAuthorizationServerMetadata2Response200.from_dict(
            response.json()
        )

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OAuthServiceGetAuthorizationServerMetadata2Response200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[OAuthServiceGetAuthorizationServerMetadata2Response200]:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceGetAuthorizationServerMetadata2Response200]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> OAuthServiceGetAuthorizationServerMetadata2Response200 | None:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceGetAuthorizationServerMetadata2Response200
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[OAuthServiceGetAuthorizationServerMetadata2Response200]:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceGetAuthorizationServerMetadata2Response200]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> OAuthServiceGetAuthorizationServerMetadata2Response200 | None:
    """RFC 8414 authorization server metadata: exactly what this issuer supports

     RFC 8414 authorization server metadata: exactly what this issuer supports. Served at the path-
    inserted URL of section 3.1 (/.well-known/oauth-authorization-server/tenant/<id>) and, for clients
    that append, under the issuer.

    Args:
        tenant_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceGetAuthorizationServerMetadata2Response200
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
        )
    ).parsed
