from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_service_rotate_client_secret_body import (
    ApplicationServiceRotateClientSecretBody,
)
from ...models.binoauth_token_v1_rotate_client_secret_response import (
    BinoauthTokenV1RotateClientSecretResponse,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    client_id: str,
    *,
    body: ApplicationServiceRotateClientSecretBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/applications/{client_id}:rotateSecret".format(
            client_id=quote(str(client_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTokenV1RotateClientSecretResponse.from_dict(
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
) -> Response[BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplicationServiceRotateClientSecretBody,
) -> Response[BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope]:
    """Generates a new client secret (returned once)

     Generates a new client secret (returned once). The previous secret stays valid for the overlap
    window, then stops working; a second rotation discards it at once.

    Args:
        client_id (str):
        body (ApplicationServiceRotateClientSecretBody): Request for
            ApplicationService.RotateClientSecret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplicationServiceRotateClientSecretBody,
) -> BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope | None:
    """Generates a new client secret (returned once)

     Generates a new client secret (returned once). The previous secret stays valid for the overlap
    window, then stops working; a second rotation discards it at once.

    Args:
        client_id (str):
        body (ApplicationServiceRotateClientSecretBody): Request for
            ApplicationService.RotateClientSecret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope
    """

    return sync_detailed(
        client_id=client_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplicationServiceRotateClientSecretBody,
) -> Response[BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope]:
    """Generates a new client secret (returned once)

     Generates a new client secret (returned once). The previous secret stays valid for the overlap
    window, then stops working; a second rotation discards it at once.

    Args:
        client_id (str):
        body (ApplicationServiceRotateClientSecretBody): Request for
            ApplicationService.RotateClientSecret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplicationServiceRotateClientSecretBody,
) -> BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope | None:
    """Generates a new client secret (returned once)

     Generates a new client secret (returned once). The previous secret stays valid for the overlap
    window, then stops working; a second rotation discards it at once.

    Args:
        client_id (str):
        body (ApplicationServiceRotateClientSecretBody): Request for
            ApplicationService.RotateClientSecret.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1RotateClientSecretResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client_id=client_id,
            client=client,
            body=body,
        )
    ).parsed
