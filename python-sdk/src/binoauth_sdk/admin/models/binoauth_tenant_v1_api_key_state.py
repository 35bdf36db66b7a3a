from enum import StrEnum


class BinoauthTenantV1ApiKeyState(StrEnum):
    API_KEY_STATE_ACTIVE = "API_KEY_STATE_ACTIVE"
    API_KEY_STATE_EXPIRED = "API_KEY_STATE_EXPIRED"
    API_KEY_STATE_REVOKED = "API_KEY_STATE_REVOKED"
    API_KEY_STATE_UNSPECIFIED = "API_KEY_STATE_UNSPECIFIED"

    def __str__(self) -> str:
        return str(self.value)
