from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey
from ...models.binoauth_tenant_v1_create_api_key_response import (
    BinoauthTenantV1CreateApiKeyResponse,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: BinoauthTenantV1ApiKey,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/apiKeys",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTenantV1CreateApiKeyResponse.from_dict(response.json())

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
) -> Response[BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BinoauthTenantV1ApiKey,
) -> Response[BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope]:
    """Creates a key and returns its secret, once.

     Creates a key and returns its secret, once.

    Args:
        body (BinoauthTenantV1ApiKey): A management API key. Platform keys (empty tenant_id) act
            on every tenant; tenant keys on one tenant only. The secret is shown once, at creation,
            and stored only as a hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: BinoauthTenantV1ApiKey,
) -> BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope | None:
    """Creates a key and returns its secret, once.

     Creates a key and returns its secret, once.

    Args:
        body (BinoauthTenantV1ApiKey): A management API key. Platform keys (empty tenant_id) act
            on every tenant; tenant keys on one tenant only. The secret is shown once, at creation,
            and stored only as a hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BinoauthTenantV1ApiKey,
) -> Response[BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope]:
    """Creates a key and returns its secret, once.

     Creates a key and returns its secret, once.

    Args:
        body (BinoauthTenantV1ApiKey): A management API key. Platform keys (empty tenant_id) act
            on every tenant; tenant keys on one tenant only. The secret is shown once, at creation,
            and stored only as a hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BinoauthTenantV1ApiKey,
) -> BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope | None:
    """Creates a key and returns its secret, once.

     Creates a key and returns its secret, once.

    Args:
        body (BinoauthTenantV1ApiKey): A management API key. Platform keys (empty tenant_id) act
            on every tenant; tenant keys on one tenant only. The secret is shown once, at creation,
            and stored only as a hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1CreateApiKeyResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
