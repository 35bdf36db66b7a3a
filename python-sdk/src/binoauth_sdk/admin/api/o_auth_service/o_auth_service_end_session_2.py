from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    id_token_hint: str | Unset = UNSET,
    post_logout_redirect_uri: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    state: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["id_token_hint"] = id_token_hint

    params["post_logout_redirect_uri"] = post_logout_redirect_uri

    params["ui_locales"] = ui_locales

    params["state"] = state

    params["client_id"] = client_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/oauth2/logout",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 302:
        response_302 = cast(Any, None)
        return response_302

    if response.status_code == 303:
        response_303 = cast(Any, None)
        return response_303

    if response.status_code == 403:
        response_403 = response.text
        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    id_token_hint: str | Unset = UNSET,
    post_logout_redirect_uri: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    state: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
) -> Response[Any | str]:
    """OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in us

     OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in user, else asks the user first (CSRF-protected form, posted back here); then
    returns to a registered post_logout_redirect_uri or shows a page.

    Args:
        id_token_hint (str | Unset):
        post_logout_redirect_uri (str | Unset):
        ui_locales (str | Unset):
        state (str | Unset):
        client_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        id_token_hint=id_token_hint,
        post_logout_redirect_uri=post_logout_redirect_uri,
        ui_locales=ui_locales,
        state=state,
        client_id=client_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    id_token_hint: str | Unset = UNSET,
    post_logout_redirect_uri: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    state: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
) -> Any | str | None:
    """OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in us

     OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in user, else asks the user first (CSRF-protected form, posted back here); then
    returns to a registered post_logout_redirect_uri or shows a page.

    Args:
        id_token_hint (str | Unset):
        post_logout_redirect_uri (str | Unset):
        ui_locales (str | Unset):
        state (str | Unset):
        client_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        client=client,
        id_token_hint=id_token_hint,
        post_logout_redirect_uri=post_logout_redirect_uri,
        ui_locales=ui_locales,
        state=state,
        client_id=client_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    id_token_hint: str | Unset = UNSET,
    post_logout_redirect_uri: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    state: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
) -> Response[Any | str]:
    """OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in us

     OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in user, else asks the user first (CSRF-protected form, posted back here); then
    returns to a registered post_logout_redirect_uri or shows a page.

    Args:
        id_token_hint (str | Unset):
        post_logout_redirect_uri (str | Unset):
        ui_locales (str | Unset):
        state (str | Unset):
        client_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        id_token_hint=id_token_hint,
        post_logout_redirect_uri=post_logout_redirect_uri,
        ui_locales=ui_locales,
        state=state,
        client_id=client_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    id_token_hint: str | Unset = UNSET,
    post_logout_redirect_uri: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    state: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
) -> Any | str | None:
    """OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in us

     OpenID Connect RP-initiated logout, GET or form POST: ends the session when a valid id_token_hint
    names the signed-in user, else asks the user first (CSRF-protected form, posted back here); then
    returns to a registered post_logout_redirect_uri or shows a page.

    Args:
        id_token_hint (str | Unset):
        post_logout_redirect_uri (str | Unset):
        ui_locales (str | Unset):
        state (str | Unset):
        client_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            client=client,
            id_token_hint=id_token_hint,
            post_logout_redirect_uri=post_logout_redirect_uri,
            ui_locales=ui_locales,
            state=state,
            client_id=client_id,
        )
    ).parsed
