import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_identity_v1_analytics import BinoauthIdentityV1Analytics
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    tenant_id: str,
    *,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_start_time: str | Unset = UNSET
    if not isinstance(start_time, Unset):
        json_start_time = start_time.isoformat()
    params["start_time"] = json_start_time

    json_end_time: str | Unset = UNSET
    if not isinstance(end_time, Unset):
        json_end_time = end_time.isoformat()
    params["end_time"] = json_end_time

    params["granularity"] = granularity

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tenants/{tenant_id}/analytics".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthIdentityV1Analytics | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthIdentityV1Analytics.from_dict(response.json())

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
) -> Response[BinoauthIdentityV1Analytics | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> Response[BinoauthIdentityV1Analytics | ErrorEnvelope]:
    """Counters per UTC day or hour in [start_time, end_time), and over the whole range

     Counters per UTC day or hour in [start_time, end_time), and over the whole range. An empty tenant_id
    means platform-wide (platform credentials only); a tenant credential sees its own tenant only.

    Args:
        tenant_id (str):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1Analytics | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        start_time=start_time,
        end_time=end_time,
        granularity=granularity,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> BinoauthIdentityV1Analytics | ErrorEnvelope | None:
    """Counters per UTC day or hour in [start_time, end_time), and over the whole range

     Counters per UTC day or hour in [start_time, end_time), and over the whole range. An empty tenant_id
    means platform-wide (platform credentials only); a tenant credential sees its own tenant only.

    Args:
        tenant_id (str):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1Analytics | ErrorEnvelope
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
        start_time=start_time,
        end_time=end_time,
        granularity=granularity,
    ).parsed


async def asyncio_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> Response[BinoauthIdentityV1Analytics | ErrorEnvelope]:
    """Counters per UTC day or hour in [start_time, end_time), and over the whole range

     Counters per UTC day or hour in [start_time, end_time), and over the whole range. An empty tenant_id
    means platform-wide (platform credentials only); a tenant credential sees its own tenant only.

    Args:
        tenant_id (str):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1Analytics | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        start_time=start_time,
        end_time=end_time,
        granularity=granularity,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: str,
    *,
    client: AuthenticatedClient,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    granularity: str | Unset = UNSET,
) -> BinoauthIdentityV1Analytics | ErrorEnvelope | None:
    """Counters per UTC day or hour in [start_time, end_time), and over the whole range

     Counters per UTC day or hour in [start_time, end_time), and over the whole range. An empty tenant_id
    means platform-wide (platform credentials only); a tenant credential sees its own tenant only.

    Args:
        tenant_id (str):
        start_time (datetime.datetime | Unset):
        end_time (datetime.datetime | Unset):
        granularity (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1Analytics | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
            start_time=start_time,
            end_time=end_time,
            granularity=granularity,
        )
    ).parsed
