from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_token_v1_application_type import BinoauthTokenV1ApplicationType
from ...models.binoauth_token_v1_client_type import BinoauthTokenV1ClientType
from ...models.binoauth_token_v1_list_applications_response import (
    BinoauthTokenV1ListApplicationsResponse,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    query: str | Unset = UNSET,
    client_type: BinoauthTokenV1ClientType | Unset = UNSET,
    application_type: BinoauthTokenV1ApplicationType | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page_size"] = page_size

    params["page_token"] = page_token

    params["query"] = query

    json_client_type: str | Unset = UNSET
    if not isinstance(client_type, Unset):
        json_client_type = client_type.value

    params["client_type"] = json_client_type

    json_application_type: str | Unset = UNSET
    if not isinstance(application_type, Unset):
        json_application_type = application_type.value

    params["application_type"] = json_application_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/applications",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTokenV1ListApplicationsResponse.from_dict(
            response.json()
        )

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
) -> Response[BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope]:
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
    client_type: BinoauthTokenV1ClientType | Unset = UNSET,
    application_type: BinoauthTokenV1ApplicationType | Unset = UNSET,
) -> Response[BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope]:
    """Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_typ

     Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_type`.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        client_type (BinoauthTokenV1ClientType | Unset): Whether an application can keep a secret.
        application_type (BinoauthTokenV1ApplicationType | Unset): Where an application runs,
            which decides its redirect URI rules (RFC 8252, OpenID Connect Dynamic Client Registration
            `application_type`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        query=query,
        client_type=client_type,
        application_type=application_type,
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
    client_type: BinoauthTokenV1ClientType | Unset = UNSET,
    application_type: BinoauthTokenV1ApplicationType | Unset = UNSET,
) -> BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope | None:
    """Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_typ

     Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_type`.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        client_type (BinoauthTokenV1ClientType | Unset): Whether an application can keep a secret.
        application_type (BinoauthTokenV1ApplicationType | Unset): Where an application runs,
            which decides its redirect URI rules (RFC 8252, OpenID Connect Dynamic Client Registration
            `application_type`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        page_size=page_size,
        page_token=page_token,
        query=query,
        client_type=client_type,
        application_type=application_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    query: str | Unset = UNSET,
    client_type: BinoauthTokenV1ClientType | Unset = UNSET,
    application_type: BinoauthTokenV1ApplicationType | Unset = UNSET,
) -> Response[BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope]:
    """Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_typ

     Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_type`.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        client_type (BinoauthTokenV1ClientType | Unset): Whether an application can keep a secret.
        application_type (BinoauthTokenV1ApplicationType | Unset): Where an application runs,
            which decides its redirect URI rules (RFC 8252, OpenID Connect Dynamic Client Registration
            `application_type`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        page_size=page_size,
        page_token=page_token,
        query=query,
        client_type=client_type,
        application_type=application_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    query: str | Unset = UNSET,
    client_type: BinoauthTokenV1ClientType | Unset = UNSET,
    application_type: BinoauthTokenV1ApplicationType | Unset = UNSET,
) -> BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope | None:
    """Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_typ

     Lists the tenant's applications ordered by client_id, optionally filtered by `query`, `client_type`
    and `application_type`.

    Args:
        page_size (int | Unset):
        page_token (str | Unset):
        query (str | Unset):
        client_type (BinoauthTokenV1ClientType | Unset): Whether an application can keep a secret.
        application_type (BinoauthTokenV1ApplicationType | Unset): Where an application runs,
            which decides its redirect URI rules (RFC 8252, OpenID Connect Dynamic Client Registration
            `application_type`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1ListApplicationsResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            page_size=page_size,
            page_token=page_token,
            query=query,
            client_type=client_type,
            application_type=application_type,
        )
    ).parsed
