"""The `query` of List methods as a LIKE pattern, and the list filters' enum mappings."""

from __future__ import annotations

import pytest

from binoauth.tenant.v1 import tenant_pb2
from binoauth.token.v1 import application_pb2
from services.common.errors import InvalidArgument
from services.common.search import MAX_QUERY, like_pattern
from services.tenant.mapping import state_filter
from services.tenant.tenants import TenantState
from services.token.applications.mapping import list_filter
from services.token.applications.model import ApplicationType, ClientType

pytestmark = pytest.mark.unit


def test_a_query_is_a_lower_case_substring_whose_wildcards_match_themselves() -> None:
    assert like_pattern("") is None and like_pattern("   ") is None
    assert like_pattern(" Acme ") == "%acme%"
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
    assert like_pattern("x" * MAX_QUERY) == f"%{'x' * MAX_QUERY}%"
    with pytest.raises(InvalidArgument) as refused:
        like_pattern("x" * (MAX_QUERY + 1))
    assert refused.value.details == {"field": "query"}


def test_tenant_state_filter_offers_active_and_suspended_only() -> None:
    assert state_filter(tenant_pb2.TENANT_STATE_UNSPECIFIED) is None
    assert state_filter(tenant_pb2.TENANT_STATE_ACTIVE) is TenantState.ACTIVE
    assert state_filter(tenant_pb2.TENANT_STATE_SUSPENDED) is TenantState.SUSPENDED
    for other in (tenant_pb2.TENANT_STATE_DELETING, tenant_pb2.TENANT_STATE_PROVISIONING, 99):
        with pytest.raises(InvalidArgument) as refused:
            state_filter(other)
        assert refused.value.details == {"field": "state"}


def test_application_type_filters() -> None:
    assert list_filter(0, 0) == (None, None)
    assert list_filter(application_pb2.CLIENT_TYPE_PUBLIC, application_pb2.APPLICATION_TYPE_NATIVE) == (
        ClientType.PUBLIC, ApplicationType.NATIVE)
    for client_type, application_type, field in ((7, 0, "client_type"), (0, 7, "application_type")):
        with pytest.raises(InvalidArgument) as refused:
            list_filter(client_type, application_type)
        assert refused.value.details == {"field": field}
