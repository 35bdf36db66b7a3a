from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.signing_key_service_get_jwks_response_200 import (
    SigningKeyServiceGetJwksResponse200,
)
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/.well-known/jwks.json",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> SigningKeyServiceGetJwksResponse200 | None:
    if response.status_code == 200:
        response_200 = SigningKeyServiceGetJwksResponse200.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[SigningKeyServiceGetJwksResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[SigningKeyServiceGetJwksResponse200]:
    """The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

     The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SigningKeyServiceGetJwksResponse200]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> SigningKeyServiceGetJwksResponse200 | None:
    """The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

     The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SigningKeyServiceGetJwksResponse200
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[SigningKeyServiceGetJwksResponse200]:
    """The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

     The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[SigningKeyServiceGetJwksResponse200]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> SigningKeyServiceGetJwksResponse200 | None:
    """The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

     The tenant's JSON Web Key Set (RFC 7517): every active and not yet expired public key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        SigningKeyServiceGetJwksResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
