"""Between the identity service's protobuf messages and its domain objects."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format
from google.protobuf.field_mask_pb2 import FieldMask

from binoauth.identity.v1 import event_service_pb2 as event_pb2
from binoauth.identity.v1 import user_pb2
from services.common.errors import InvalidArgument
from services.common.timestamps import to_timestamp
from services.identity.events import SecurityEvent
from services.identity.users import User, UserState

_STATES = {UserState.ACTIVE: user_pb2.USER_STATE_ACTIVE, UserState.DISABLED: user_pb2.USER_STATE_DISABLED}




def user_to_proto(user: User) -> user_pb2.User:
    message = user_pb2.User(
        user_id=user.user_id, email=user.email, email_verified=user.email_verified,
        phone_number=user.phone_number, phone_verified=user.phone_verified,
        name=user.profile.name, given_name=user.profile.given_name, family_name=user.profile.family_name,
        picture=user.profile.picture, locale=user.profile.locale, zoneinfo=user.profile.zoneinfo,
        state=user_pb2.USER_STATE_LOCKED if user.locked and user.active else _STATES[user.state],
        mfa_enabled=user.mfa_enabled, create_time=to_timestamp(user.create_time),
        update_time=to_timestamp(user.update_time),
        last_login_time=to_timestamp(user.last_login_time),
    )
    if user.metadata:
        message.metadata.update(user.metadata)
    return message


_OUTPUT_ONLY = {"user_id", "email_verified", "phone_verified", "state", "mfa_enabled", "create_time",
                "update_time", "last_login_time"}


def user_changes(message: user_pb2.User, mask: FieldMask, has_mask: bool, allowed: tuple[str, ...]) -> dict[str, Any]:
    """{field: value} of an update (AIP-134: without a mask, every populated field)."""
    full = json_format.MessageToDict(message, preserving_proto_field_name=True,
                                     always_print_fields_with_no_presence=True)
    if not has_mask or not mask.paths:
        present = json_format.MessageToDict(message, preserving_proto_field_name=True)
        paths = [p for p in present if p != "user_id"]
    else:
        paths = list(mask.paths)
    changes: dict[str, Any] = {}
    for path in paths:
        if path in _OUTPUT_ONLY or path not in allowed:
            raise InvalidArgument(f"field {path!r} cannot be updated", reason="INVALID_UPDATE_MASK",
                                  details={"field": path})
        changes[path] = full.get(path)
    return changes


def struct_to_dict(message: user_pb2.User) -> dict[str, Any] | None:
    return json_format.MessageToDict(message.metadata) if message.HasField("metadata") else None


def event_to_proto(event: SecurityEvent) -> event_pb2.Event:
    return event_pb2.Event(event_id=event.event_id, type=event.type, user_id=event.user_id,
                           ip_address=event.ip_address, user_agent=event.user_agent, actor=event.actor,
                           details=event.details, create_time=to_timestamp(event.create_time))
