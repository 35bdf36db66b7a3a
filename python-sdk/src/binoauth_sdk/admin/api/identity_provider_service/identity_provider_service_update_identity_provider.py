from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.binoauth_identity_v1_identity_provider import (
    BinoauthIdentityV1IdentityProvider,
)
from ...models.error_envelope import ErrorEnvelope
from ...models.identity_provider_service_update_identity_provider_body import (
    IdentityProviderServiceUpdateIdentityProviderBody,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    provider_id: str,
    *,
    body: IdentityProviderServiceUpdateIdentityProviderBody,
    update_mask: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["update_mask"] = update_mask

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/identityProviders/{provider_id}".format(
            provider_id=quote(str(provider_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BinoauthIdentityV1IdentityProvider | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BinoauthIdentityV1IdentityProvider.from_dict(response.json())

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
) -> Response[BinoauthIdentityV1IdentityProvider | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    provider_id: str,
    *,
    client: AuthenticatedClient,
    body: IdentityProviderServiceUpdateIdentityProviderBody,
    update_mask: str | Unset = UNSET,
) -> Response[BinoauthIdentityV1IdentityProvider | ErrorEnvelope]:
    """Changes the fields named in update_mask (all writable fields without one).

     Changes the fields named in update_mask (all writable fields without one).

    Args:
        provider_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (IdentityProviderServiceUpdateIdentityProviderBody): One external identity provider
            of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1IdentityProvider | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
        body=body,
        update_mask=update_mask,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    provider_id: str,
    *,
    client: AuthenticatedClient,
    body: IdentityProviderServiceUpdateIdentityProviderBody,
    update_mask: str | Unset = UNSET,
) -> BinoauthIdentityV1IdentityProvider | ErrorEnvelope | None:
    """Changes the fields named in update_mask (all writable fields without one).

     Changes the fields named in update_mask (all writable fields without one).

    Args:
        provider_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (IdentityProviderServiceUpdateIdentityProviderBody): One external identity provider
            of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1IdentityProvider | ErrorEnvelope
    """

    return sync_detailed(
        provider_id=provider_id,
        client=client,
        body=body,
        update_mask=update_mask,
    ).parsed


async def asyncio_detailed(
    provider_id: str,
    *,
    client: AuthenticatedClient,
    body: IdentityProviderServiceUpdateIdentityProviderBody,
    update_mask: str | Unset = UNSET,
) -> Response[BinoauthIdentityV1IdentityProvider | ErrorEnvelope]:
    """Changes the fields named in update_mask (all writable fields without one).

     Changes the fields named in update_mask (all writable fields without one).

    Args:
        provider_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (IdentityProviderServiceUpdateIdentityProviderBody): One external identity provider
            of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BinoauthIdentityV1IdentityProvider | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
        body=body,
        update_mask=update_mask,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    provider_id: str,
    *,
    client: AuthenticatedClient,
    body: IdentityProviderServiceUpdateIdentityProviderBody,
    update_mask: str | Unset = UNSET,
) -> BinoauthIdentityV1IdentityProvider | ErrorEnvelope | None:
    """Changes the fields named in update_mask (all writable fields without one).

     Changes the fields named in update_mask (all writable fields without one).

    Args:
        provider_id (str):
        update_mask (str | Unset): Comma-separated field paths, e.g. `display_name,settings`.
        body (IdentityProviderServiceUpdateIdentityProviderBody): One external identity provider
            of a tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BinoauthIdentityV1IdentityProvider | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            provider_id=provider_id,
            client=client,
            body=body,
            update_mask=update_mask,
        )
    ).parsed
