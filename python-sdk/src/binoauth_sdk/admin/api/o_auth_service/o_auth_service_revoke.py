from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_service_revoke_body import OAuthServiceRevokeBody
from ...models.o_auth_service_revoke_response_200 import OAuthServiceRevokeResponse200
from ...models.o_auth_service_revoke_response_400 import OAuthServiceRevokeResponse400
from ...models.o_auth_service_revoke_response_401 import OAuthServiceRevokeResponse401
from ...types import Response


def _get_kwargs(
    *,
    body: OAuthServiceRevokeBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth2/revoke",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    OAuthServiceRevokeResponse200
    | OAuthServiceRevokeResponse400
    | OAuthServiceRevokeResponse401
    | None
):
    if response.status_code == 200:
        response_200 = OAuthServiceRevokeResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = OAuthServiceRevokeResponse400.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OAuthServiceRevokeResponse401.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    OAuthServiceRevokeResponse200
    | OAuthServiceRevokeResponse400
    | OAuthServiceRevokeResponse401
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OAuthServiceRevokeBody,
) -> Response[
    OAuthServiceRevokeResponse200
    | OAuthServiceRevokeResponse400
    | OAuthServiceRevokeResponse401
]:
    """RFC 7009 token revocation, for authenticated clients.

     RFC 7009 token revocation, for authenticated clients.

    Args:
        body (OAuthServiceRevokeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceRevokeResponse200 | OAuthServiceRevokeResponse400 | OAuthServiceRevokeResponse401]
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
    body: OAuthServiceRevokeBody,
) -> (
    OAuthServiceRevokeResponse200
    | OAuthServiceRevokeResponse400
    | OAuthServiceRevokeResponse401
    | None
):
    """RFC 7009 token revocation, for authenticated clients.

     RFC 7009 token revocation, for authenticated clients.

    Args:
        body (OAuthServiceRevokeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceRevokeResponse200 | OAuthServiceRevokeResponse400 | OAuthServiceRevokeResponse401
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OAuthServiceRevokeBody,
) -> Response[
    OAuthServiceRevokeResponse200
    | OAuthServiceRevokeResponse400
    | OAuthServiceRevokeResponse401
]:
    """RFC 7009 token revocation, for authenticated clients.

     RFC 7009 token revocation, for authenticated clients.

    Args:
        body (OAuthServiceRevokeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceRevokeResponse200 | OAuthServiceRevokeResponse400 | OAuthServiceRevokeResponse401]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OAuthServiceRevokeBody,
) -> (
    OAuthServiceRevokeResponse200
    | OAuthServiceRevokeResponse400
    | OAuthServiceRevokeResponse401
    | None
):
    """RFC 7009 token revocation, for authenticated clients.

     RFC 7009 token revocation, for authenticated clients.

    Args:
        body (OAuthServiceRevokeBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceRevokeResponse200 | OAuthServiceRevokeResponse400 | OAuthServiceRevokeResponse401
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
