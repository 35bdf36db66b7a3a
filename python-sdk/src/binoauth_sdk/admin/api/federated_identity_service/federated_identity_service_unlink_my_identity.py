from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.federated_identity_service_unlink_my_identity_response_200 import (
    FederatedIdentityServiceUnlinkMyIdentityResponse200,
)
from ...types import Response


def _get_kwargs(
    identity_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/users/me/identities/{identity_id}".format(
            identity_id=quote(str(identity_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200 | None:
    if response.status_code == 200:
        response_200 = FederatedIdentityServiceUnlinkMyIdentityResponse200.from_dict(
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
) -> Response[ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    identity_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200]:
    """Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

     Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

    Args:
        identity_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200]
    """

    kwargs = _get_kwargs(
        identity_id=identity_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    identity_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200 | None:
    """Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

     Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

    Args:
        identity_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200
    """

    return sync_detailed(
        identity_id=identity_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    identity_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200]:
    """Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

     Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

    Args:
        identity_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200]
    """

    kwargs = _get_kwargs(
        identity_id=identity_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    identity_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200 | None:
    """Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

     Unlinks one identity; refused (FAILED_PRECONDITION) when it is the last way to sign in.

    Args:
        identity_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | FederatedIdentityServiceUnlinkMyIdentityResponse200
    """

    return (
        await asyncio_detailed(
            identity_id=identity_id,
            client=client,
        )
    ).parsed
