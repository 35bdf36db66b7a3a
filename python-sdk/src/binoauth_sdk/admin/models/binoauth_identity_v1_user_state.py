from enum import StrEnum


class BinoauthIdentityV1UserState(StrEnum):
    USER_STATE_ACTIVE = "USER_STATE_ACTIVE"
    USER_STATE_DISABLED = "USER_STATE_DISABLED"
    USER_STATE_LOCKED = "USER_STATE_LOCKED"
    USER_STATE_UNSPECIFIED = "USER_STATE_UNSPECIFIED"

    def __str__(self) -> str:
        return str(self.value)
