from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    client_id: str,
    *,
    v: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["v"] = v

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/oauth2/applications/{client_id}/logo".format(
            client_id=quote(str(client_id), safe=""),
        ),
        "params": params,
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
    client_id: str,
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> Response[str]:
    """An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the c

     An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the consent page's CSP can be img-src 'self'. The consent page links it with
    ?v=<hash of the logo>, so it may be cached for long. 404 without one.

    Args:
        client_id (str):
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        v=v,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    client_id: str,
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> str | None:
    """An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the c

     An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the consent page's CSP can be img-src 'self'. The consent page links it with
    ?v=<hash of the logo>, so it may be cached for long. 404 without one.

    Args:
        client_id (str):
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return sync_detailed(
        client_id=client_id,
        client=client,
        v=v,
    ).parsed


async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> Response[str]:
    """An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the c

     An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the consent page's CSP can be img-src 'self'. The consent page links it with
    ?v=<hash of the logo>, so it may be cached for long. 404 without one.

    Args:
        client_id (str):
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        v=v,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> str | None:
    """An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the c

     An application's logo (Application.logo_image, or logo_url fetched and cached), served from the
    tenant's origin so the consent page's CSP can be img-src 'self'. The consent page links it with
    ?v=<hash of the logo>, so it may be cached for long. 404 without one.

    Args:
        client_id (str):
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return (
        await asyncio_detailed(
            client_id=client_id,
            client=client,
            v=v,
        )
    ).parsed
