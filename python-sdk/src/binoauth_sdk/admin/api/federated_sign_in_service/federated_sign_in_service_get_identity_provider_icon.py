from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import Response


def _get_kwargs(
    provider_id: str,
    icon_hash: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/federation/{provider_id}/icon/{icon_hash}".format(
            provider_id=quote(str(provider_id), safe=""),
            icon_hash=quote(str(icon_hash), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> str | None:
    if response.status_code == 404:
        response_404 = response.text
        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    provider_id: str,
    icon_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[str]:
    """Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path)

     Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year; 404 for an unknown provider
    or hash.

    Args:
        provider_id (str):
        icon_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
        icon_hash=icon_hash,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    provider_id: str,
    icon_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> str | None:
    """Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path)

     Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year; 404 for an unknown provider
    or hash.

    Args:
        provider_id (str):
        icon_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return sync_detailed(
        provider_id=provider_id,
        icon_hash=icon_hash,
        client=client,
    ).parsed


async def asyncio_detailed(
    provider_id: str,
    icon_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[str]:
    """Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path)

     Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year; 404 for an unknown provider
    or hash.

    Args:
        provider_id (str):
        icon_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
        icon_hash=icon_hash,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    provider_id: str,
    icon_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> str | None:
    """Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path)

     Public: the uploaded icon of a provider's button (IdentityProvider.icon_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year; 404 for an unknown provider
    or hash.

    Args:
        provider_id (str):
        icon_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return (
        await asyncio_detailed(
            provider_id=provider_id,
            icon_hash=icon_hash,
            client=client,
        )
    ).parsed
