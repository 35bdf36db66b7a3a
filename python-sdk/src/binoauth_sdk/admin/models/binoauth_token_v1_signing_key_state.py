from enum import StrEnum


class BinoauthTokenV1SigningKeyState(StrEnum):
    SIGNING_KEY_STATE_ACTIVE = "SIGNING_KEY_STATE_ACTIVE"
    SIGNING_KEY_STATE_RETIRED = "SIGNING_KEY_STATE_RETIRED"
    SIGNING_KEY_STATE_UNSPECIFIED = "SIGNING_KEY_STATE_UNSPECIFIED"

    def __str__(self) -> str:
        return str(self.value)
