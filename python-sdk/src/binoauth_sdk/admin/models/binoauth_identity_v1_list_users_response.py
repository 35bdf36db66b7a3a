from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.binoauth_identity_v1_user import BinoauthIdentityV1User


T = TypeVar("T", bound="BinoauthIdentityV1ListUsersResponse")


@_attrs_define
class BinoauthIdentityV1ListUsersResponse:
    """Response for UserAdminService.ListUsers.

    Attributes:
        users (list[BinoauthIdentityV1User] | Unset):
        next_page_token (str | Unset):
    """

    users: list[BinoauthIdentityV1User] | Unset = UNSET
    next_page_token: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.users, Unset):
            users = []
            for users_item_data in self.users:
                users_item = users_item_data.to_dict()
                users.append(users_item)

        next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if users is not UNSET:
            field_dict["users"] = users
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.binoauth_identity_v1_user import BinoauthIdentityV1User

        d = dict(src_dict)
        _users = d.pop("users", UNSET)
        users: list[BinoauthIdentityV1User] | Unset = UNSET
        if _users is not UNSET:
            users = []
            for users_item_data in _users:
                users_item = BinoauthIdentityV1User.from_dict(users_item_data)

                users.append(users_item)

        next_page_token = d.pop("next_page_token", UNSET)

        binoauth_identity_v1_list_users_response = cls(
            users=users,
            next_page_token=next_page_token,
        )

        return binoauth_identity_v1_list_users_response
