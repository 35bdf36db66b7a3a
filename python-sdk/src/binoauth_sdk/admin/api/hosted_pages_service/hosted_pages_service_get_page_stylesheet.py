from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    v: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["v"] = v

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/assets/pages.css",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

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
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> Response[str]:
    """The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the page

     The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the pages' CSP can be style-src 'self'. Not tenant-specific.

    Args:
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        v=v,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> str | None:
    """The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the page

     The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the pages' CSP can be style-src 'self'. Not tenant-specific.

    Args:
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return sync_detailed(
        client=client,
        v=v,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> Response[str]:
    """The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the page

     The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the pages' CSP can be style-src 'self'. Not tenant-specific.

    Args:
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[str]
    """

    kwargs = _get_kwargs(
        v=v,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    v: str | Unset = UNSET,
) -> str | None:
    """The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the page

     The one stylesheet of every hosted page of every service (built from web/pages.css by Tailwind),
    same-origin so the pages' CSP can be style-src 'self'. Not tenant-specific.

    Args:
        v (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        str
    """

    return (
        await asyncio_detailed(
            client=client,
            v=v,
        )
    ).parsed
