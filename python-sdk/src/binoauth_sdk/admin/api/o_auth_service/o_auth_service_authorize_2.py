from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    response_type: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    redirect_uri: str | Unset = UNSET,
    scope: str | Unset = UNSET,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
    prompt: str | Unset = UNSET,
    max_age: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    response_mode: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["response_type"] = response_type

    params["client_id"] = client_id

    params["redirect_uri"] = redirect_uri

    params["scope"] = scope

    params["state"] = state

    params["nonce"] = nonce

    params["code_challenge"] = code_challenge

    params["code_challenge_method"] = code_challenge_method

    params["prompt"] = prompt

    params["max_age"] = max_age

    params["login_hint"] = login_hint

    params["ui_locales"] = ui_locales

    params["response_mode"] = response_mode

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/oauth2/authorize",
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

    if response.status_code == 400:
        response_400 = response.text
        return response_400

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
    response_type: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    redirect_uri: str | Unset = UNSET,
    scope: str | Unset = UNSET,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
    prompt: str | Unset = UNSET,
    max_age: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    response_mode: str | Unset = UNSET,
) -> Response[Any | str]:
    """RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss)

     RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss). Without a session it sends
    the browser to the tenant's hosted login page and back; third-party clients get a consent page. Bad
    client_id or redirect_uri: an error page, never a redirect. GET with query parameters or POST with a
    form body (OpenID Connect Core 3.1.2.1).

    Args:
        response_type (str | Unset):
        client_id (str | Unset):
        redirect_uri (str | Unset):
        scope (str | Unset):
        state (str | Unset):
        nonce (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):
        prompt (str | Unset):
        max_age (str | Unset):
        login_hint (str | Unset):
        ui_locales (str | Unset):
        response_mode (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        response_type=response_type,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        prompt=prompt,
        max_age=max_age,
        login_hint=login_hint,
        ui_locales=ui_locales,
        response_mode=response_mode,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    response_type: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    redirect_uri: str | Unset = UNSET,
    scope: str | Unset = UNSET,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
    prompt: str | Unset = UNSET,
    max_age: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    response_mode: str | Unset = UNSET,
) -> Any | str | None:
    """RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss)

     RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss). Without a session it sends
    the browser to the tenant's hosted login page and back; third-party clients get a consent page. Bad
    client_id or redirect_uri: an error page, never a redirect. GET with query parameters or POST with a
    form body (OpenID Connect Core 3.1.2.1).

    Args:
        response_type (str | Unset):
        client_id (str | Unset):
        redirect_uri (str | Unset):
        scope (str | Unset):
        state (str | Unset):
        nonce (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):
        prompt (str | Unset):
        max_age (str | Unset):
        login_hint (str | Unset):
        ui_locales (str | Unset):
        response_mode (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        client=client,
        response_type=response_type,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        prompt=prompt,
        max_age=max_age,
        login_hint=login_hint,
        ui_locales=ui_locales,
        response_mode=response_mode,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    response_type: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    redirect_uri: str | Unset = UNSET,
    scope: str | Unset = UNSET,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
    prompt: str | Unset = UNSET,
    max_age: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    response_mode: str | Unset = UNSET,
) -> Response[Any | str]:
    """RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss)

     RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss). Without a session it sends
    the browser to the tenant's hosted login page and back; third-party clients get a consent page. Bad
    client_id or redirect_uri: an error page, never a redirect. GET with query parameters or POST with a
    form body (OpenID Connect Core 3.1.2.1).

    Args:
        response_type (str | Unset):
        client_id (str | Unset):
        redirect_uri (str | Unset):
        scope (str | Unset):
        state (str | Unset):
        nonce (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):
        prompt (str | Unset):
        max_age (str | Unset):
        login_hint (str | Unset):
        ui_locales (str | Unset):
        response_mode (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        response_type=response_type,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        prompt=prompt,
        max_age=max_age,
        login_hint=login_hint,
        ui_locales=ui_locales,
        response_mode=response_mode,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    response_type: str | Unset = UNSET,
    client_id: str | Unset = UNSET,
    redirect_uri: str | Unset = UNSET,
    scope: str | Unset = UNSET,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
    prompt: str | Unset = UNSET,
    max_age: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    ui_locales: str | Unset = UNSET,
    response_mode: str | Unset = UNSET,
) -> Any | str | None:
    """RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss)

     RFC 6749 authorization endpoint (response_type=code, PKCE, RFC 9207 iss). Without a session it sends
    the browser to the tenant's hosted login page and back; third-party clients get a consent page. Bad
    client_id or redirect_uri: an error page, never a redirect. GET with query parameters or POST with a
    form body (OpenID Connect Core 3.1.2.1).

    Args:
        response_type (str | Unset):
        client_id (str | Unset):
        redirect_uri (str | Unset):
        scope (str | Unset):
        state (str | Unset):
        nonce (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):
        prompt (str | Unset):
        max_age (str | Unset):
        login_hint (str | Unset):
        ui_locales (str | Unset):
        response_mode (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            client=client,
            response_type=response_type,
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=scope,
            state=state,
            nonce=nonce,
            code_challenge=code_challenge,
            code_challenge_method=code_challenge_method,
            prompt=prompt,
            max_age=max_age,
            login_hint=login_hint,
            ui_locales=ui_locales,
            response_mode=response_mode,
        )
    ).parsed
