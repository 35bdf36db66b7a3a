from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.admin_user_service_end_current_admin_session_body import (
    AdminUserServiceEndCurrentAdminSessionBody,
)
from ...models.admin_user_service_end_current_admin_session_response_200 import (
    AdminUserServiceEndCurrentAdminSessionResponse200,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: AdminUserServiceEndCurrentAdminSessionBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/sessions/current:end",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AdminUserServiceEndCurrentAdminSessionResponse200.from_dict(
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
) -> Response[AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceEndCurrentAdminSessionBody,
) -> Response[AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope]:
    """Signs out: ends the cookie's console session on the server and clears the cookie

     Signs out: ends the cookie's console session on the server and clears the cookie. Answers 200 {}
    even without a valid session.

    Args:
        body (AdminUserServiceEndCurrentAdminSessionBody): Request for
            AdminUserService.EndCurrentAdminSession (the session is the cookie's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope]
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
    body: AdminUserServiceEndCurrentAdminSessionBody,
) -> AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope | None:
    """Signs out: ends the cookie's console session on the server and clears the cookie

     Signs out: ends the cookie's console session on the server and clears the cookie. Answers 200 {}
    even without a valid session.

    Args:
        body (AdminUserServiceEndCurrentAdminSessionBody): Request for
            AdminUserService.EndCurrentAdminSession (the session is the cookie's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceEndCurrentAdminSessionBody,
) -> Response[AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope]:
    """Signs out: ends the cookie's console session on the server and clears the cookie

     Signs out: ends the cookie's console session on the server and clears the cookie. Answers 200 {}
    even without a valid session.

    Args:
        body (AdminUserServiceEndCurrentAdminSessionBody): Request for
            AdminUserService.EndCurrentAdminSession (the session is the cookie's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AdminUserServiceEndCurrentAdminSessionBody,
) -> AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope | None:
    """Signs out: ends the cookie's console session on the server and clears the cookie

     Signs out: ends the cookie's console session on the server and clears the cookie. Answers 200 {}
    even without a valid session.

    Args:
        body (AdminUserServiceEndCurrentAdminSessionBody): Request for
            AdminUserService.EndCurrentAdminSession (the session is the cookie's).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdminUserServiceEndCurrentAdminSessionResponse200 | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
