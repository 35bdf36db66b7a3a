from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_tenant_v1_list_tenants_response import (
    BinoauthTenantV1ListTenantsResponse,
)
from ...models.binoauth_tenant_v1_tenant_state import BinoauthTenantV1TenantState
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    query: str | Unset = UNSET,
    state: BinoauthTenantV1TenantState | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page_size"] = page_size

    params["page_token"] = page_token

    params["query"] = query

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tenants",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTenantV1ListTenantsResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTenantV1ListTenantsResponse.from_dict(response.json())

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
) -> Response[BinoauthTenantV1ListTenantsResponse | ErrorEnvelope]:
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
    query: str | Unset = UNSET,
    state: BinoauthTenantV1TenantState | Unset = UNSET,
) -> Response[BinoauthTenantV1ListTenantsResponse | ErrorEnvelope]:
    """Lists tenants ordered by id, optionally filtered by `query` and `state`

     Lists tenants ordered by id, optionally filtered by `query` and `state`. Scope: tenants:read.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        state (BinoauthTenantV1TenantState | Unset): Lifecycle state of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1ListTenantsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        query=query,
        state=state,
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
    query: str | Unset = UNSET,
    state: BinoauthTenantV1TenantState | Unset = UNSET,
) -> BinoauthTenantV1ListTenantsResponse | ErrorEnvelope | None:
    """Lists tenants ordered by id, optionally filtered by `query` and `state`

     Lists tenants ordered by id, optionally filtered by `query` and `state`. Scope: tenants:read.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        state (BinoauthTenantV1TenantState | Unset): Lifecycle state of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1ListTenantsResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        page_size=page_size,
        page_token=page_token,
        query=query,
        state=state,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    query: str | Unset = UNSET,
    state: BinoauthTenantV1TenantState | Unset = UNSET,
) -> Response[BinoauthTenantV1ListTenantsResponse | ErrorEnvelope]:
    """Lists tenants ordered by id, optionally filtered by `query` and `state`

     Lists tenants ordered by id, optionally filtered by `query` and `state`. Scope: tenants:read.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        state (BinoauthTenantV1TenantState | Unset): Lifecycle state of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1ListTenantsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        query=query,
        state=state,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    query: str | Unset = UNSET,
    state: BinoauthTenantV1TenantState | Unset = UNSET,
) -> BinoauthTenantV1ListTenantsResponse | ErrorEnvelope | None:
    """Lists tenants ordered by id, optionally filtered by `query` and `state`

     Lists tenants ordered by id, optionally filtered by `query` and `state`. Scope: tenants:read.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        state (BinoauthTenantV1TenantState | Unset): Lifecycle state of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1ListTenantsResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            page_size=page_size,
            page_token=page_token,
            query=query,
            state=state,
        )
    ).parsed
