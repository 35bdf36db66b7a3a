from enum import StrEnum


class BinoauthTenantV1AdminUserState(StrEnum):
    ADMIN_USER_STATE_ACTIVE = "ADMIN_USER_STATE_ACTIVE"
    ADMIN_USER_STATE_DISABLED = "ADMIN_USER_STATE_DISABLED"
    ADMIN_USER_STATE_UNSPECIFIED = "ADMIN_USER_STATE_UNSPECIFIED"

    def __str__(self) -> str:
        return str(self.value)
