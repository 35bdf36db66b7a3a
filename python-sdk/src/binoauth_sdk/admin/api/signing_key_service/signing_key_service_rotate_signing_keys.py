from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_token_v1_rotate_signing_keys_response import (
    BinoauthTokenV1RotateSigningKeysResponse,
)
from ...models.error_envelope import ErrorEnvelope
from ...models.signing_key_service_rotate_signing_keys_body import (
    SigningKeyServiceRotateSigningKeysBody,
)
from ...types import Response


def _get_kwargs(
    *,
    body: SigningKeyServiceRotateSigningKeysBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/signingKeys:rotate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTokenV1RotateSigningKeysResponse.from_dict(
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
) -> Response[BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SigningKeyServiceRotateSigningKeysBody,
) -> Response[BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope]:
    """A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every tok

     A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every token they signed has expired.

    Args:
        body (SigningKeyServiceRotateSigningKeysBody): Request for
            SigningKeyService.RotateSigningKeys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope]
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
    body: SigningKeyServiceRotateSigningKeysBody,
) -> BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope | None:
    """A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every tok

     A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every token they signed has expired.

    Args:
        body (SigningKeyServiceRotateSigningKeysBody): Request for
            SigningKeyService.RotateSigningKeys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SigningKeyServiceRotateSigningKeysBody,
) -> Response[BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope]:
    """A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every tok

     A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every token they signed has expired.

    Args:
        body (SigningKeyServiceRotateSigningKeysBody): Request for
            SigningKeyService.RotateSigningKeys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SigningKeyServiceRotateSigningKeysBody,
) -> BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope | None:
    """A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every tok

     A new key per algorithm (or for one algorithm) takes over signing at once; the old ones stay in the
    JWKS until every token they signed has expired.

    Args:
        body (SigningKeyServiceRotateSigningKeysBody): Request for
            SigningKeyService.RotateSigningKeys.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1RotateSigningKeysResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
