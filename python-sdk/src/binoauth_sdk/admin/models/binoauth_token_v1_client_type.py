from enum import StrEnum


class BinoauthTokenV1ClientType(StrEnum):
    CLIENT_TYPE_CONFIDENTIAL = "CLIENT_TYPE_CONFIDENTIAL"
    CLIENT_TYPE_PUBLIC = "CLIENT_TYPE_PUBLIC"
    CLIENT_TYPE_UNSPECIFIED = "CLIENT_TYPE_UNSPECIFIED"

    def __str__(self) -> str:
        return str(self.value)
