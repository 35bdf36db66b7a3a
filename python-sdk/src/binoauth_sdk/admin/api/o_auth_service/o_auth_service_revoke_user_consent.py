from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.o_auth_service_revoke_user_consent_response_200 import (
    OAuthServiceRevokeUserConsentResponse200,
)
from ...types import Response


def _get_kwargs(
    user_id: str,
    client_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/users/{user_id}/consents/{client_id}".format(
            user_id=quote(str(user_id), safe=""),
            client_id=quote(str(client_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200 | None:
    if response.status_code == 200:
        response_200 = OAuthServiceRevokeUserConsentResponse200.from_dict(
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
) -> Response[ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str,
    client_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200]:
    """Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens

     Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens the user granted it end. Scope: users:write.

    Args:
        user_id (str):
        client_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        client_id=client_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    client_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200 | None:
    """Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens

     Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens the user granted it end. Scope: users:write.

    Args:
        user_id (str):
        client_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200
    """

    return sync_detailed(
        user_id=user_id,
        client_id=client_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    client_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200]:
    """Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens

     Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens the user granted it end. Scope: users:write.

    Args:
        user_id (str):
        client_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        client_id=client_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    client_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200 | None:
    """Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens

     Admin: withdraws a user's consent to a client, as RevokeMyConsent does: the client asks again next
    time, and the tokens the user granted it end. Scope: users:write.

    Args:
        user_id (str):
        client_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OAuthServiceRevokeUserConsentResponse200
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client_id=client_id,
            client=client,
        )
    ).parsed
