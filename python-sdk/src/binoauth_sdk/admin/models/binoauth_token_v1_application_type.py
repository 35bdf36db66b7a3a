from enum import StrEnum


class BinoauthTokenV1ApplicationType(StrEnum):
    APPLICATION_TYPE_NATIVE = "APPLICATION_TYPE_NATIVE"
    APPLICATION_TYPE_UNSPECIFIED = "APPLICATION_TYPE_UNSPECIFIED"
    APPLICATION_TYPE_WEB = "APPLICATION_TYPE_WEB"

    def __str__(self) -> str:
        return str(self.value)
