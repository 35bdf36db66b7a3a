from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import Response


def _get_kwargs(
    logo_hash: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/branding/logos/{logo_hash}".format(
            logo_hash=quote(str(logo_hash), safe=""),
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
    logo_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[str]:
    """Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path)

     Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year. 404 for an unknown hash.

    Args:
        logo_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        logo_hash=logo_hash,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    logo_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> str | None:
    """Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path)

     Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year. 404 for an unknown hash.

    Args:
        logo_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return sync_detailed(
        logo_hash=logo_hash,
        client=client,
    ).parsed


async def asyncio_detailed(
    logo_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[str]:
    """Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path)

     Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year. 404 for an unknown hash.

    Args:
        logo_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        logo_hash=logo_hash,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    logo_hash: str,
    *,
    client: AuthenticatedClient | Client,
) -> str | None:
    """Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path)

     Public: an uploaded logo of the selected tenant (settings.branding.logo_image holds its path). The
    path carries the hash of the image, so the answer is cached for a year. 404 for an unknown hash.

    Args:
        logo_hash (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return (
        await asyncio_detailed(
            logo_hash=logo_hash,
            client=client,
        )
    ).parsed
