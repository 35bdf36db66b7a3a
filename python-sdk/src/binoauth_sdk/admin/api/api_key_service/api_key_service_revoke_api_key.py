from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_service_revoke_api_key_body import ApiKeyServiceRevokeApiKeyBody
from ...models.binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    api_key_id: str,
    *,
    body: ApiKeyServiceRevokeApiKeyBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/apiKeys/{api_key_id}:revoke".format(
            api_key_id=quote(str(api_key_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTenantV1ApiKey | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTenantV1ApiKey.from_dict(response.json())

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
) -> Response[BinoauthTenantV1ApiKey | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    api_key_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyServiceRevokeApiKeyBody,
) -> Response[BinoauthTenantV1ApiKey | ErrorEnvelope]:
    """Revokes a key at once

     Revokes a key at once. Idempotent.

    Args:
        api_key_id (str):
        body (ApiKeyServiceRevokeApiKeyBody): Request for ApiKeyService.RevokeApiKey.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1ApiKey | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        api_key_id=api_key_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    api_key_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyServiceRevokeApiKeyBody,
) -> BinoauthTenantV1ApiKey | ErrorEnvelope | None:
    """Revokes a key at once

     Revokes a key at once. Idempotent.

    Args:
        api_key_id (str):
        body (ApiKeyServiceRevokeApiKeyBody): Request for ApiKeyService.RevokeApiKey.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1ApiKey | ErrorEnvelope
    """

    return sync_detailed(
        api_key_id=api_key_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    api_key_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyServiceRevokeApiKeyBody,
) -> Response[BinoauthTenantV1ApiKey | ErrorEnvelope]:
    """Revokes a key at once

     Revokes a key at once. Idempotent.

    Args:
        api_key_id (str):
        body (ApiKeyServiceRevokeApiKeyBody): Request for ApiKeyService.RevokeApiKey.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTenantV1ApiKey | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        api_key_id=api_key_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    api_key_id: str,
    *,
    client: AuthenticatedClient,
    body: ApiKeyServiceRevokeApiKeyBody,
) -> BinoauthTenantV1ApiKey | ErrorEnvelope | None:
    """Revokes a key at once

     Revokes a key at once. Idempotent.

    Args:
        api_key_id (str):
        body (ApiKeyServiceRevokeApiKeyBody): Request for ApiKeyService.RevokeApiKey.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTenantV1ApiKey | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            api_key_id=api_key_id,
            client=client,
            body=body,
        )
    ).parsed
