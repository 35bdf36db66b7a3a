from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_service_user_info_2_response_200 import (
    OAuthServiceUserInfo2Response200,
)
from ...models.o_auth_service_user_info_2_response_401 import (
    OAuthServiceUserInfo2Response401,
)
from ...models.o_auth_service_user_info_2_response_403 import (
    OAuthServiceUserInfo2Response403,
)
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/oauth2/userinfo",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    OAuthServiceUserInfo2Response200
    | OAuthServiceUserInfo2Response401
    | OAuthServiceUserInfo2Response403
    | None
):
    if response.status_code == 200:
        response_200 = OAuthServiceUserInfo2Response200.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = OAuthServiceUserInfo2Response401.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = OAuthServiceUserInfo2Response403.from_dict(response.json())

        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    OAuthServiceUserInfo2Response200
    | OAuthServiceUserInfo2Response401
    | OAuthServiceUserInfo2Response403
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
) -> Response[
    OAuthServiceUserInfo2Response200
    | OAuthServiceUserInfo2Response401
    | OAuthServiceUserInfo2Response403
]:
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceUserInfo2Response200 | OAuthServiceUserInfo2Response401 | OAuthServiceUserInfo2Response403]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> (
    OAuthServiceUserInfo2Response200
    | OAuthServiceUserInfo2Response401
    | OAuthServiceUserInfo2Response403
    | None
):
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceUserInfo2Response200 | OAuthServiceUserInfo2Response401 | OAuthServiceUserInfo2Response403
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    OAuthServiceUserInfo2Response200
    | OAuthServiceUserInfo2Response401
    | OAuthServiceUserInfo2Response403
]:
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthServiceUserInfo2Response200 | OAuthServiceUserInfo2Response401 | OAuthServiceUserInfo2Response403]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> (
    OAuthServiceUserInfo2Response200
    | OAuthServiceUserInfo2Response401
    | OAuthServiceUserInfo2Response403
    | None
):
    """OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

     OpenID Connect userinfo: bearer token in the header (GET or POST) or the form body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthServiceUserInfo2Response200 | OAuthServiceUserInfo2Response401 | OAuthServiceUserInfo2Response403
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
