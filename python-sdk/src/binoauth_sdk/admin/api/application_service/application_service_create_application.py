from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_token_v1_application import BinoauthTokenV1Application
from ...models.binoauth_token_v1_create_application_response import (
    BinoauthTokenV1CreateApplicationResponse,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: BinoauthTokenV1Application,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/applications",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTokenV1CreateApplicationResponse.from_dict(
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
) -> Response[BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BinoauthTokenV1Application,
) -> Response[BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope]:
    """Registers an application; a confidential client's secret is returned here, once.

     Registers an application; a confidential client's secret is returned here, once.

    Args:
        body (BinoauthTokenV1Application): An OAuth 2.0 / OpenID Connect client of one tenant. A
            confidential client's secret is shown once (at creation and at rotation) and stored only
            as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope]
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
    body: BinoauthTokenV1Application,
) -> BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope | None:
    """Registers an application; a confidential client's secret is returned here, once.

     Registers an application; a confidential client's secret is returned here, once.

    Args:
        body (BinoauthTokenV1Application): An OAuth 2.0 / OpenID Connect client of one tenant. A
            confidential client's secret is shown once (at creation and at rotation) and stored only
            as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BinoauthTokenV1Application,
) -> Response[BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope]:
    """Registers an application; a confidential client's secret is returned here, once.

     Registers an application; a confidential client's secret is returned here, once.

    Args:
        body (BinoauthTokenV1Application): An OAuth 2.0 / OpenID Connect client of one tenant. A
            confidential client's secret is shown once (at creation and at rotation) and stored only
            as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BinoauthTokenV1Application,
) -> BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope | None:
    """Registers an application; a confidential client's secret is returned here, once.

     Registers an application; a confidential client's secret is returned here, once.

    Args:
        body (BinoauthTokenV1Application): An OAuth 2.0 / OpenID Connect client of one tenant. A
            confidential client's secret is shown once (at creation and at rotation) and stored only
            as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1CreateApplicationResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
