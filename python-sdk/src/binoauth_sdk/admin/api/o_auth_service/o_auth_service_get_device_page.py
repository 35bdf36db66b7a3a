from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    user_code: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["user_code"] = user_code

    params["ui_locales"] = ui_locales

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/device",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 303:
        response_303 = cast(Any, None)
        return response_303

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    user_code: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
) -> Response[Any | str]:
    """The page where a signed-in user enters a device's user code (behind the hosted login).

     The page where a signed-in user enters a device's user code (behind the hosted login).

    Args:
        user_code (str | Unset):
        ui_locales (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        user_code=user_code,
        ui_locales=ui_locales,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    user_code: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
) -> Any | str | None:
    """The page where a signed-in user enters a device's user code (behind the hosted login).

     The page where a signed-in user enters a device's user code (behind the hosted login).

    Args:
        user_code (str | Unset):
        ui_locales (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        client=client,
        user_code=user_code,
        ui_locales=ui_locales,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    user_code: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
) -> Response[Any | str]:
    """The page where a signed-in user enters a device's user code (behind the hosted login).

     The page where a signed-in user enters a device's user code (behind the hosted login).

    Args:
        user_code (str | Unset):
        ui_locales (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        user_code=user_code,
        ui_locales=ui_locales,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    user_code: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
) -> Any | str | None:
    """The page where a signed-in user enters a device's user code (behind the hosted login).

     The page where a signed-in user enters a device's user code (behind the hosted login).

    Args:
        user_code (str | Unset):
        ui_locales (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            client=client,
            user_code=user_code,
            ui_locales=ui_locales,
        )
    ).parsed
