from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.error_envelope_error_details import ErrorEnvelopeErrorDetails


T = TypeVar("T", bound="ErrorEnvelopeError")


@_attrs_define
class ErrorEnvelopeError:
    """
    Attributes:
        code (str): UPPER_SNAKE reason, e.g. INVALID_ARGUMENT or TENANT_NOT_FOUND.
        message (str): For people; never a stack trace.
        details (ErrorEnvelopeErrorDetails): Machine-readable context, e.g. `field` names the offending field.
        timestamp (datetime.datetime):
        request_id (str): Also in the X-Request-Id header.
    """

    code: str
    message: str
    details: ErrorEnvelopeErrorDetails
    timestamp: datetime.datetime
    request_id: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        details = self.details.to_dict()

        timestamp = self.timestamp.isoformat()

        request_id = self.request_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "message": message,
                "details": details,
                "timestamp": timestamp,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_envelope_error_details import ErrorEnvelopeErrorDetails

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        details = ErrorEnvelopeErrorDetails.from_dict(d.pop("details"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        request_id = d.pop("request_id")

        error_envelope_error = cls(
            code=code,
            message=message,
            details=details,
            timestamp=timestamp,
            request_id=request_id,
        )

        return error_envelope_error
