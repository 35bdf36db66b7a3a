from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_identity_v1_disable_totp_response import (
    BinoauthIdentityV1DisableTotpResponse,
)
from ...models.error_envelope import ErrorEnvelope
from ...models.user_self_service_disable_totp_body import UserSelfServiceDisableTotpBody
from ...types import Response


def _get_kwargs(
    *,
    body: UserSelfServiceDisableTotpBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/users/me/mfa/totp:disable",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthIdentityV1DisableTotpResponse.from_dict(response.json())

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
) -> Response[BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UserSelfServiceDisableTotpBody,
) -> Response[BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope]:
    """Turns TOTP off; needs a fresh TOTP or recovery code.

     Turns TOTP off; needs a fresh TOTP or recovery code.

    Args:
        body (UserSelfServiceDisableTotpBody): Request for UserSelfService.DisableTotp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope]
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
    body: UserSelfServiceDisableTotpBody,
) -> BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope | None:
    """Turns TOTP off; needs a fresh TOTP or recovery code.

     Turns TOTP off; needs a fresh TOTP or recovery code.

    Args:
        body (UserSelfServiceDisableTotpBody): Request for UserSelfService.DisableTotp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UserSelfServiceDisableTotpBody,
) -> Response[BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope]:
    """Turns TOTP off; needs a fresh TOTP or recovery code.

     Turns TOTP off; needs a fresh TOTP or recovery code.

    Args:
        body (UserSelfServiceDisableTotpBody): Request for UserSelfService.DisableTotp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UserSelfServiceDisableTotpBody,
) -> BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope | None:
    """Turns TOTP off; needs a fresh TOTP or recovery code.

     Turns TOTP off; needs a fresh TOTP or recovery code.

    Args:
        body (UserSelfServiceDisableTotpBody): Request for UserSelfService.DisableTotp.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1DisableTotpResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
