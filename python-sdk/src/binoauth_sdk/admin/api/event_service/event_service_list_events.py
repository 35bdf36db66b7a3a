from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_identity_v1_list_events_response import (
    BinoauthIdentityV1ListEventsResponse,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page_size"] = page_size

    params["page_token"] = page_token

    params["user_id"] = user_id

    params["type"] = type_

    params["start_time"] = start_time

    params["end_time"] = end_time

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthIdentityV1ListEventsResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthIdentityV1ListEventsResponse.from_dict(response.json())

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
) -> Response[BinoauthIdentityV1ListEventsResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
) -> Response[BinoauthIdentityV1ListEventsResponse | ErrorEnvelope]:
    """
    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        user_id (str | Unset):
        type_ (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1ListEventsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        user_id=user_id,
        type_=type_,
        start_time=start_time,
        end_time=end_time,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
) -> BinoauthIdentityV1ListEventsResponse | ErrorEnvelope | None:
    """
    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        user_id (str | Unset):
        type_ (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1ListEventsResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        page_size=page_size,
        page_token=page_token,
        user_id=user_id,
        type_=type_,
        start_time=start_time,
        end_time=end_time,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
) -> Response[BinoauthIdentityV1ListEventsResponse | ErrorEnvelope]:
    """
    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        user_id (str | Unset):
        type_ (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1ListEventsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        user_id=user_id,
        type_=type_,
        start_time=start_time,
        end_time=end_time,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    user_id: str | Unset = UNSET,
    type_: str | Unset = UNSET,
    start_time: str | Unset = UNSET,
    end_time: str | Unset = UNSET,
) -> BinoauthIdentityV1ListEventsResponse | ErrorEnvelope | None:
    """
    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        user_id (str | Unset):
        type_ (str | Unset):
        start_time (str | Unset):
        end_time (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1ListEventsResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            page_size=page_size,
            page_token=page_token,
            user_id=user_id,
            type_=type_,
            start_time=start_time,
            end_time=end_time,
        )
    ).parsed
