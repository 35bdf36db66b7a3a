"""The CLI's view of the admin API: the generated client (binoauth_sdk.admin) on an httpx
client the CLI configures, and every failure turned into one CliError with its exit code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from binoauth_sdk import __version__
from binoauth_sdk.admin import AuthenticatedClient
from binoauth_sdk.admin.types import Response

# Exit codes scripts can rely on (README, "Python client and CLI").
OK, API_ERROR, USAGE, AUTH, UNREACHABLE = 0, 1, 2, 3, 4

# Tests swap in an httpx.MockTransport; None means the network.
TRANSPORT: httpx.BaseTransport | None = None


class CliError(Exception):
    def __init__(self, message: str, code: int = API_ERROR) -> None:
        super().__init__(message)
        self.code = code


def http_client(base_url: str, token: str = "", tenant: str = "", timeout: float = 15) -> httpx.Client:
    headers = {"User-Agent": f"binoauth-cli/{__version__}", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if tenant:
        headers["X-Tenant-ID"] = tenant
    statuses: list[int] = []

    def remember(response: httpx.Response) -> None:
        statuses[:] = [response.status_code]

    client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=TRANSPORT,
                          follow_redirects=False, event_hooks={"response": [remember]})
    client.binoauth_statuses = statuses  # type: ignore[attr-defined]  # read by call() when parsing fails
    return client


def admin_client(base_url: str, token: str = "", tenant: str = "") -> AuthenticatedClient:
    client = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=False)
    # Our own httpx client: a public call (admin login) sends no empty Authorization header,
    # X-Tenant-ID selects the tenant, and tests can swap the transport.
    client.set_httpx_client(http_client(base_url, token, tenant))
    return client


def error_line(status: int, body: Any) -> str:
    """The API's error envelope as one line: message, the offending field, the code."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or f"HTTP {status}")
        details = error.get("details")
        if isinstance(details, dict) and details.get("field"):
            message += f" (field: {details['field']})"
        code = error.get("code")
        return f"{message} [{code}]" if code else message
    if isinstance(error, str):  # an OAuth endpoint's RFC 6749 error
        description = body.get("error_description")
        return f"{description} [{error}]" if description else error
    return f"HTTP {status}"


def exit_code_for(status: int) -> int:
    return AUTH if status in (401, 403) else API_ERROR


def call(operation: Callable[..., Response[Any]], *args: Any, **kwargs: Any) -> Any:
    """Runs one generated `sync_detailed` operation; answers its parsed body or raises CliError."""
    try:
        response = operation(*args, **kwargs)
    except httpx.TransportError as error:
        raise CliError(f"cannot reach the server: {describe_transport_error(error)}", UNREACHABLE) from None
    except ValueError:
        # The generated parser found no JSON where the document promises it (a proxy's page, a
        # route the gateway does not know): say the status instead.
        status = _last_status(kwargs.get("client"))
        raise CliError(f"HTTP {status}: the answer is not the API's JSON" if status else
                       "the server's answer is not the API's JSON", exit_code_for(status)) from None
    status = int(response.status_code)
    if 200 <= status < 300:
        return response.parsed
    try:
        body = httpx.Response(status, content=response.content).json()
    except ValueError:
        body = None
    raise CliError(error_line(status, body), exit_code_for(status))


def _last_status(client: Any) -> int:
    try:
        statuses: list[int] = client.get_httpx_client().binoauth_statuses
    except AttributeError:
        return 0
    return statuses[0] if statuses else 0


def describe_transport_error(error: httpx.TransportError) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]


def to_plain(value: Any) -> Any:
    """Generated models (attrs, with to_dict) and lists of them as plain JSON data."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
