from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_identity_v1_user import BinoauthIdentityV1User
from ...models.error_envelope import ErrorEnvelope
from ...models.user_admin_service_disable_user_body import (
    UserAdminServiceDisableUserBody,
)
from ...types import Response


def _get_kwargs(
    user_id: str,
    *,
    body: UserAdminServiceDisableUserBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/users/{user_id}:disable".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthIdentityV1User | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthIdentityV1User.from_dict(response.json())

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
) -> Response[BinoauthIdentityV1User | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserAdminServiceDisableUserBody,
) -> Response[BinoauthIdentityV1User | ErrorEnvelope]:
    """Disables sign-in and ends every session and token of the user at once.

     Disables sign-in and ends every session and token of the user at once.

    Args:
        user_id (str):
        body (UserAdminServiceDisableUserBody): Request for UserAdminService.DisableUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1User | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserAdminServiceDisableUserBody,
) -> BinoauthIdentityV1User | ErrorEnvelope | None:
    """Disables sign-in and ends every session and token of the user at once.

     Disables sign-in and ends every session and token of the user at once.

    Args:
        user_id (str):
        body (UserAdminServiceDisableUserBody): Request for UserAdminService.DisableUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1User | ErrorEnvelope
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserAdminServiceDisableUserBody,
) -> Response[BinoauthIdentityV1User | ErrorEnvelope]:
    """Disables sign-in and ends every session and token of the user at once.

     Disables sign-in and ends every session and token of the user at once.

    Args:
        user_id (str):
        body (UserAdminServiceDisableUserBody): Request for UserAdminService.DisableUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1User | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: UserAdminServiceDisableUserBody,
) -> BinoauthIdentityV1User | ErrorEnvelope | None:
    """Disables sign-in and ends every session and token of the user at once.

     Disables sign-in and ends every session and token of the user at once.

    Args:
        user_id (str):
        body (UserAdminServiceDisableUserBody): Request for UserAdminService.DisableUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1User | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            body=body,
        )
    ).parsed
