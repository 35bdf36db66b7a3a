from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_service_update_application_body import (
    ApplicationServiceUpdateApplicationBody,
)
from ...models.binoauth_token_v1_application import BinoauthTokenV1Application
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    client_id: str,
    *,
    body: ApplicationServiceUpdateApplicationBody,
    update_mask: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["update_mask"] = update_mask

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/applications/{client_id}".format(
            client_id=quote(str(client_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthTokenV1Application | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthTokenV1Application.from_dict(response.json())

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
) -> Response[BinoauthTokenV1Application | ErrorEnvelope]:
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
    body: ApplicationServiceUpdateApplicationBody,
    update_mask: str | Unset = UNSET,
) -> Response[BinoauthTokenV1Application | ErrorEnvelope]:
    """Updates the fields named in update_mask (without a mask: every field sent).

     Updates the fields named in update_mask (without a mask: every field sent).

    Args:
        client_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (ApplicationServiceUpdateApplicationBody): An OAuth 2.0 / OpenID Connect client of
            one tenant. A confidential client's secret is shown once (at creation and at rotation) and
            stored only as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1Application | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        body=body,
        update_mask=update_mask,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplicationServiceUpdateApplicationBody,
    update_mask: str | Unset = UNSET,
) -> BinoauthTokenV1Application | ErrorEnvelope | None:
    """Updates the fields named in update_mask (without a mask: every field sent).

     Updates the fields named in update_mask (without a mask: every field sent).

    Args:
        client_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (ApplicationServiceUpdateApplicationBody): An OAuth 2.0 / OpenID Connect client of
            one tenant. A confidential client's secret is shown once (at creation and at rotation) and
            stored only as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1Application | ErrorEnvelope
    """

    return sync_detailed(
        client_id=client_id,
        client=client,
        body=body,
        update_mask=update_mask,
    ).parsed


async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplicationServiceUpdateApplicationBody,
    update_mask: str | Unset = UNSET,
) -> Response[BinoauthTokenV1Application | ErrorEnvelope]:
    """Updates the fields named in update_mask (without a mask: every field sent).

     Updates the fields named in update_mask (without a mask: every field sent).

    Args:
        client_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (ApplicationServiceUpdateApplicationBody): An OAuth 2.0 / OpenID Connect client of
            one tenant. A confidential client's secret is shown once (at creation and at rotation) and
            stored only as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthTokenV1Application | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        body=body,
        update_mask=update_mask,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: ApplicationServiceUpdateApplicationBody,
    update_mask: str | Unset = UNSET,
) -> BinoauthTokenV1Application | ErrorEnvelope | None:
    """Updates the fields named in update_mask (without a mask: every field sent).

     Updates the fields named in update_mask (without a mask: every field sent).

    Args:
        client_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (ApplicationServiceUpdateApplicationBody): An OAuth 2.0 / OpenID Connect client of
            one tenant. A confidential client's secret is shown once (at creation and at rotation) and
            stored only as a SHA-256 hash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthTokenV1Application | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client_id=client_id,
            client=client,
            body=body,
            update_mask=update_mask,
        )
    ).parsed
