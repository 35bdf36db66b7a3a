from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_service_user_info_body import OAuthServiceUserInfoBody
from ...models.o_auth_service_user_info_response_200 import (
    OAuthServiceUserInfoResponse200,
)
from ...models.o_auth_service_user_info_response_401 import (
    OAuthServiceUserInfoResponse401,
)
from ...models.o_auth_service_user_info_response_403 import (
    OAuthServiceUserInfoResponse403,
)
from ...types import Response


def _get_kwargs(
    *,
    body: OAuthServiceUserInfoBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth2/userinfo",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    OAuthServiceUserInfoResponse200
    | OAuthServiceUserInfoResponse401
    | OAuthServiceUserInfoResponse403
    | None
):
    if response.status_code == 200:
        response_200 = OAuthServiceUserInfoResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = OAuthServiceUserInfoResponse401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = OAuthServiceUserInfoResponse403.from_dict(response.json())

        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    OAuthServiceUserInfoResponse200
    | OAuthServiceUserInfoResponse401
    | OAuthServiceUserInfoResponse403
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: OAuthServiceUserInfoBody,
) -> Response[
    OAuthServiceUserInfoResponse200
    | OAuthServiceUserInfoResponse401
    | OAuthServiceUserInfoResponse403
]:
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Args:
        body (OAuthServiceUserInfoBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceUserInfoResponse200 | OAuthServiceUserInfoResponse401 | OAuthServiceUserInfoResponse403]
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
    client: AuthenticatedClient | Client,
    body: OAuthServiceUserInfoBody,
) -> (
    OAuthServiceUserInfoResponse200
    | OAuthServiceUserInfoResponse401
    | OAuthServiceUserInfoResponse403
    | None
):
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Args:
        body (OAuthServiceUserInfoBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceUserInfoResponse200 | OAuthServiceUserInfoResponse401 | OAuthServiceUserInfoResponse403
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: OAuthServiceUserInfoBody,
) -> Response[
    OAuthServiceUserInfoResponse200
    | OAuthServiceUserInfoResponse401
    | OAuthServiceUserInfoResponse403
]:
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Args:
        body (OAuthServiceUserInfoBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceUserInfoResponse200 | OAuthServiceUserInfoResponse401 | OAuthServiceUserInfoResponse403]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: OAuthServiceUserInfoBody,
) -> (
    OAuthServiceUserInfoResponse200
    | OAuthServiceUserInfoResponse401
    | OAuthServiceUserInfoResponse403
    | None
):
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Args:
        body (OAuthServiceUserInfoBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceUserInfoResponse200 | OAuthServiceUserInfoResponse401 | OAuthServiceUserInfoResponse403
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
