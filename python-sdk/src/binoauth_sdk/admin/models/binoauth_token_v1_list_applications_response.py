from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_token_v1_application import BinoauthTokenV1Application


T = TypeVar("T", bound="BinoauthTokenV1ListApplicationsResponse")


@_attrs_define
class BinoauthTokenV1ListApplicationsResponse:
    """Response for ApplicationService.ListApplications.

    Attributes:
        applications (list[BinoauthTokenV1Application] | Unset):
        next_page_token (str | Unset):
    """

    applications: list[BinoauthTokenV1Application] | Unset = UNSET
    next_page_token: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        applications: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.applications, Unset):
            applications = []
            for applications_item_data in self.applications:
                applications_item = applications_item_data.to_dict()
                applications.append(applications_item)

        next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if applications is not UNSET:
            field_dict["applications"] = applications
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_token_v1_application import BinoauthTokenV1Application

        d = dict(src_dict)
        _applications = d.pop("applications", UNSET)
        applications: list[BinoauthTokenV1Application] | Unset = UNSET
        if _applications is not UNSET:
            applications = []
            for applications_item_data in _applications:
                applications_item = BinoauthTokenV1Application.from_dict(
                    applications_item_data
                )

                applications.append(applications_item)

        next_page_token = d.pop("next_page_token", UNSET)

        binoauth_token_v1_list_applications_response = cls(
            applications=applications,
            next_page_token=next_page_token,
        )

        return binoauth_token_v1_list_applications_response
