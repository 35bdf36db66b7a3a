"""Contains all the data models used in inputs/outputs"""

from .admin_user_service_admin_login_body import AdminUserServiceAdminLoginBody
from .admin_user_service_create_admin_session_body import (
    AdminUserServiceCreateAdminSessionBody,
)
from .admin_user_service_create_admin_user_body import (
    AdminUserServiceCreateAdminUserBody,
)
from .admin_user_service_disable_admin_user_body import (
    AdminUserServiceDisableAdminUserBody,
)
from .admin_user_service_enable_admin_user_body import (
    AdminUserServiceEnableAdminUserBody,
)
from .admin_user_service_end_current_admin_session_body import (
    AdminUserServiceEndCurrentAdminSessionBody,
)
from .admin_user_service_end_current_admin_session_response_200 import (
    AdminUserServiceEndCurrentAdminSessionResponse200,
)
from .api_key_service_create_api_key_2_body import ApiKeyServiceCreateApiKey2Body
from .api_key_service_revoke_api_key_body import ApiKeyServiceRevokeApiKeyBody
from .application_service_delete_application_response_200 import (
    ApplicationServiceDeleteApplicationResponse200,
)
from .application_service_rotate_client_secret_body import (
    ApplicationServiceRotateClientSecretBody,
)
from .application_service_update_application_body import (
    ApplicationServiceUpdateApplicationBody,
)
from .application_service_update_application_body_jwks import (
    ApplicationServiceUpdateApplicationBodyJwks,
)
from .application_service_update_application_body_scope_descriptions import (
    ApplicationServiceUpdateApplicationBodyScopeDescriptions,
)
from .auth_service_complete_mfa_login_body import AuthServiceCompleteMfaLoginBody
from .auth_service_confirm_password_reset_body import (
    AuthServiceConfirmPasswordResetBody,
)
from .auth_service_consume_magic_link_body import AuthServiceConsumeMagicLinkBody
from .auth_service_login_body import AuthServiceLoginBody
from .auth_service_logout_body import AuthServiceLogoutBody
from .auth_service_request_password_reset_body import (
    AuthServiceRequestPasswordResetBody,
)
from .auth_service_resend_verification_body import AuthServiceResendVerificationBody
from .auth_service_send_magic_link_body import AuthServiceSendMagicLinkBody
from .auth_service_sign_up_body import AuthServiceSignUpBody
from .auth_service_verify_email_body import AuthServiceVerifyEmailBody
from .binoauth_identity_v1_analytics import BinoauthIdentityV1Analytics
from .binoauth_identity_v1_analytics_bucket import BinoauthIdentityV1AnalyticsBucket
from .binoauth_identity_v1_analytics_bucket_tokens_issued import (
    BinoauthIdentityV1AnalyticsBucketTokensIssued,
)
from .binoauth_identity_v1_analytics_totals import BinoauthIdentityV1AnalyticsTotals
from .binoauth_identity_v1_analytics_totals_tokens_issued import (
    BinoauthIdentityV1AnalyticsTotalsTokensIssued,
)
from .binoauth_identity_v1_change_password_response import (
    BinoauthIdentityV1ChangePasswordResponse,
)
from .binoauth_identity_v1_confirm_password_reset_response import (
    BinoauthIdentityV1ConfirmPasswordResetResponse,
)
from .binoauth_identity_v1_confirm_totp_response import (
    BinoauthIdentityV1ConfirmTotpResponse,
)
from .binoauth_identity_v1_disable_totp_response import (
    BinoauthIdentityV1DisableTotpResponse,
)
from .binoauth_identity_v1_enroll_totp_response import (
    BinoauthIdentityV1EnrollTotpResponse,
)
from .binoauth_identity_v1_event import BinoauthIdentityV1Event
from .binoauth_identity_v1_event_details import BinoauthIdentityV1EventDetails
from .binoauth_identity_v1_federated_identity import BinoauthIdentityV1FederatedIdentity
from .binoauth_identity_v1_identity_provider import BinoauthIdentityV1IdentityProvider
from .binoauth_identity_v1_identity_provider_claim_mapping import (
    BinoauthIdentityV1IdentityProviderClaimMapping,
)
from .binoauth_identity_v1_list_events_response import (
    BinoauthIdentityV1ListEventsResponse,
)
from .binoauth_identity_v1_list_identities_response import (
    BinoauthIdentityV1ListIdentitiesResponse,
)
from .binoauth_identity_v1_list_identity_providers_response import (
    BinoauthIdentityV1ListIdentityProvidersResponse,
)
from .binoauth_identity_v1_list_users_response import (
    BinoauthIdentityV1ListUsersResponse,
)
from .binoauth_identity_v1_login_response import BinoauthIdentityV1LoginResponse
from .binoauth_identity_v1_logout_response import BinoauthIdentityV1LogoutResponse
from .binoauth_identity_v1_provider_type import BinoauthIdentityV1ProviderType
from .binoauth_identity_v1_request_password_reset_response import (
    BinoauthIdentityV1RequestPasswordResetResponse,
)
from .binoauth_identity_v1_resend_verification_response import (
    BinoauthIdentityV1ResendVerificationResponse,
)
from .binoauth_identity_v1_send_magic_link_response import (
    BinoauthIdentityV1SendMagicLinkResponse,
)
from .binoauth_identity_v1_send_phone_code_response import (
    BinoauthIdentityV1SendPhoneCodeResponse,
)
from .binoauth_identity_v1_sign_up_response import BinoauthIdentityV1SignUpResponse
from .binoauth_identity_v1_user import BinoauthIdentityV1User
from .binoauth_identity_v1_user_metadata import BinoauthIdentityV1UserMetadata
from .binoauth_identity_v1_user_state import BinoauthIdentityV1UserState
from .binoauth_identity_v1_verify_email_response import (
    BinoauthIdentityV1VerifyEmailResponse,
)
from .binoauth_session_v1_list_my_sessions_response import (
    BinoauthSessionV1ListMySessionsResponse,
)
from .binoauth_session_v1_list_user_sessions_response import (
    BinoauthSessionV1ListUserSessionsResponse,
)
from .binoauth_session_v1_revoke_all_user_sessions_response import (
    BinoauthSessionV1RevokeAllUserSessionsResponse,
)
from .binoauth_session_v1_revoke_my_other_sessions_response import (
    BinoauthSessionV1RevokeMyOtherSessionsResponse,
)
from .binoauth_session_v1_session import BinoauthSessionV1Session
from .binoauth_tenant_v1_admin_login_response import BinoauthTenantV1AdminLoginResponse
from .binoauth_tenant_v1_admin_session import BinoauthTenantV1AdminSession
from .binoauth_tenant_v1_admin_user import BinoauthTenantV1AdminUser
from .binoauth_tenant_v1_admin_user_state import BinoauthTenantV1AdminUserState
from .binoauth_tenant_v1_api_key import BinoauthTenantV1ApiKey
from .binoauth_tenant_v1_api_key_state import BinoauthTenantV1ApiKeyState
from .binoauth_tenant_v1_branding import BinoauthTenantV1Branding
from .binoauth_tenant_v1_branding_scope_descriptions import (
    BinoauthTenantV1BrandingScopeDescriptions,
)
from .binoauth_tenant_v1_create_api_key_response import (
    BinoauthTenantV1CreateApiKeyResponse,
)
from .binoauth_tenant_v1_list_admin_users_response import (
    BinoauthTenantV1ListAdminUsersResponse,
)
from .binoauth_tenant_v1_list_api_keys_response import (
    BinoauthTenantV1ListApiKeysResponse,
)
from .binoauth_tenant_v1_list_tenants_response import (
    BinoauthTenantV1ListTenantsResponse,
)
from .binoauth_tenant_v1_lockout_policy import BinoauthTenantV1LockoutPolicy
from .binoauth_tenant_v1_login_methods import BinoauthTenantV1LoginMethods
from .binoauth_tenant_v1_password_policy import BinoauthTenantV1PasswordPolicy
from .binoauth_tenant_v1_public_tenant import BinoauthTenantV1PublicTenant
from .binoauth_tenant_v1_rate_limit import BinoauthTenantV1RateLimit
from .binoauth_tenant_v1_rate_limits import BinoauthTenantV1RateLimits
from .binoauth_tenant_v1_session_settings import BinoauthTenantV1SessionSettings
from .binoauth_tenant_v1_tenant import BinoauthTenantV1Tenant
from .binoauth_tenant_v1_tenant_settings import BinoauthTenantV1TenantSettings
from .binoauth_tenant_v1_tenant_state import BinoauthTenantV1TenantState
from .binoauth_tenant_v1_token_settings import BinoauthTenantV1TokenSettings
from .binoauth_token_v1_application import BinoauthTokenV1Application
from .binoauth_token_v1_application_jwks import BinoauthTokenV1ApplicationJwks
from .binoauth_token_v1_application_scope_descriptions import (
    BinoauthTokenV1ApplicationScopeDescriptions,
)
from .binoauth_token_v1_application_type import BinoauthTokenV1ApplicationType
from .binoauth_token_v1_client_type import BinoauthTokenV1ClientType
from .binoauth_token_v1_consent import BinoauthTokenV1Consent
from .binoauth_token_v1_create_application_response import (
    BinoauthTokenV1CreateApplicationResponse,
)
from .binoauth_token_v1_list_applications_response import (
    BinoauthTokenV1ListApplicationsResponse,
)
from .binoauth_token_v1_list_my_consents_response import (
    BinoauthTokenV1ListMyConsentsResponse,
)
from .binoauth_token_v1_list_signing_keys_response import (
    BinoauthTokenV1ListSigningKeysResponse,
)
from .binoauth_token_v1_list_user_consents_response import (
    BinoauthTokenV1ListUserConsentsResponse,
)
from .binoauth_token_v1_revoke_my_consent_response import (
    BinoauthTokenV1RevokeMyConsentResponse,
)
from .binoauth_token_v1_rotate_client_secret_response import (
    BinoauthTokenV1RotateClientSecretResponse,
)
from .binoauth_token_v1_rotate_signing_keys_response import (
    BinoauthTokenV1RotateSigningKeysResponse,
)
from .binoauth_token_v1_signing_key import BinoauthTokenV1SigningKey
from .binoauth_token_v1_signing_key_state import BinoauthTokenV1SigningKeyState
from .binoauth_token_v1_token_lifetimes import BinoauthTokenV1TokenLifetimes
from .error_envelope import ErrorEnvelope
from .error_envelope_error import ErrorEnvelopeError
from .error_envelope_error_details import ErrorEnvelopeErrorDetails
from .federated_identity_service_unlink_my_identity_response_200 import (
    FederatedIdentityServiceUnlinkMyIdentityResponse200,
)
from .federated_identity_service_unlink_user_identity_response_200 import (
    FederatedIdentityServiceUnlinkUserIdentityResponse200,
)
from .federated_sign_in_service_federated_callback_post_body import (
    FederatedSignInServiceFederatedCallbackPostBody,
)
from .federated_sign_in_service_start_federated_link_body import (
    FederatedSignInServiceStartFederatedLinkBody,
)
from .hosted_pages_service_submit_forgot_password_body import (
    HostedPagesServiceSubmitForgotPasswordBody,
)
from .hosted_pages_service_submit_login_body import HostedPagesServiceSubmitLoginBody
from .hosted_pages_service_submit_login_mfa_body import (
    HostedPagesServiceSubmitLoginMfaBody,
)
from .hosted_pages_service_submit_logout_body import HostedPagesServiceSubmitLogoutBody
from .hosted_pages_service_submit_magic_link_request_body import (
    HostedPagesServiceSubmitMagicLinkRequestBody,
)
from .hosted_pages_service_submit_magic_link_sign_in_body import (
    HostedPagesServiceSubmitMagicLinkSignInBody,
)
from .hosted_pages_service_submit_reset_password_body import (
    HostedPagesServiceSubmitResetPasswordBody,
)
from .hosted_pages_service_submit_signup_body import HostedPagesServiceSubmitSignupBody
from .hosted_pages_service_submit_verify_email_body import (
    HostedPagesServiceSubmitVerifyEmailBody,
)
from .identity_provider_service_delete_identity_provider_response_200 import (
    IdentityProviderServiceDeleteIdentityProviderResponse200,
)
from .identity_provider_service_disable_identity_provider_body import (
    IdentityProviderServiceDisableIdentityProviderBody,
)
from .identity_provider_service_enable_identity_provider_body import (
    IdentityProviderServiceEnableIdentityProviderBody,
)
from .identity_provider_service_update_identity_provider_body import (
    IdentityProviderServiceUpdateIdentityProviderBody,
)
from .identity_provider_service_update_identity_provider_body_claim_mapping import (
    IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping,
)
from .o_auth_service_authorize_body import OAuthServiceAuthorizeBody
from .o_auth_service_device_authorization_body import (
    OAuthServiceDeviceAuthorizationBody,
)
from .o_auth_service_device_authorization_response_200 import (
    OAuthServiceDeviceAuthorizationResponse200,
)
from .o_auth_service_device_authorization_response_400 import (
    OAuthServiceDeviceAuthorizationResponse400,
)
from .o_auth_service_device_authorization_response_401 import (
    OAuthServiceDeviceAuthorizationResponse401,
)
from .o_auth_service_end_session_body import OAuthServiceEndSessionBody
from .o_auth_service_get_authorization_server_metadata_2_response_200 import (
    OAuthServiceGetAuthorizationServerMetadata2Response200,
)
from .o_auth_service_get_authorization_server_metadata_response_200 import (
    OAuthServiceGetAuthorizationServerMetadataResponse200,
)
from .o_auth_service_get_open_id_configuration_response_200 import (
    OAuthServiceGetOpenIdConfigurationResponse200,
)
from .o_auth_service_introspect_body import OAuthServiceIntrospectBody
from .o_auth_service_introspect_response_200 import OAuthServiceIntrospectResponse200
from .o_auth_service_introspect_response_400 import OAuthServiceIntrospectResponse400
from .o_auth_service_introspect_response_401 import OAuthServiceIntrospectResponse401
from .o_auth_service_revoke_body import OAuthServiceRevokeBody
from .o_auth_service_revoke_response_200 import OAuthServiceRevokeResponse200
from .o_auth_service_revoke_response_400 import OAuthServiceRevokeResponse400
from .o_auth_service_revoke_response_401 import OAuthServiceRevokeResponse401
from .o_auth_service_revoke_user_consent_response_200 import (
    OAuthServiceRevokeUserConsentResponse200,
)
from .o_auth_service_submit_consent_body import OAuthServiceSubmitConsentBody
from .o_auth_service_submit_device_page_body import OAuthServiceSubmitDevicePageBody
from .o_auth_service_token_body import OAuthServiceTokenBody
from .o_auth_service_token_response_200 import OAuthServiceTokenResponse200
from .o_auth_service_token_response_400 import OAuthServiceTokenResponse400
from .o_auth_service_token_response_401 import OAuthServiceTokenResponse401
from .o_auth_service_user_info_2_response_200 import OAuthServiceUserInfo2Response200
from .o_auth_service_user_info_2_response_401 import OAuthServiceUserInfo2Response401
from .o_auth_service_user_info_2_response_403 import OAuthServiceUserInfo2Response403
from .o_auth_service_user_info_body import OAuthServiceUserInfoBody
from .o_auth_service_user_info_response_200 import OAuthServiceUserInfoResponse200
from .o_auth_service_user_info_response_401 import OAuthServiceUserInfoResponse401
from .o_auth_service_user_info_response_403 import OAuthServiceUserInfoResponse403
from .session_service_revoke_all_user_sessions_body import (
    SessionServiceRevokeAllUserSessionsBody,
)
from .session_service_revoke_my_other_sessions_body import (
    SessionServiceRevokeMyOtherSessionsBody,
)
from .session_service_revoke_my_session_response_200 import (
    SessionServiceRevokeMySessionResponse200,
)
from .session_service_revoke_user_session_response_200 import (
    SessionServiceRevokeUserSessionResponse200,
)
from .signing_key_service_get_jwks_response_200 import (
    SigningKeyServiceGetJwksResponse200,
)
from .signing_key_service_get_jwks_response_200_keys_item import (
    SigningKeyServiceGetJwksResponse200KeysItem,
)
from .signing_key_service_rotate_signing_keys_body import (
    SigningKeyServiceRotateSigningKeysBody,
)
from .tenant_service_delete_tenant_response_200 import (
    TenantServiceDeleteTenantResponse200,
)
from .tenant_service_resume_tenant_body import TenantServiceResumeTenantBody
from .tenant_service_suspend_tenant_body import TenantServiceSuspendTenantBody
from .tenant_service_update_tenant_2_body import TenantServiceUpdateTenant2Body
from .tenant_service_update_tenant_body import TenantServiceUpdateTenantBody
from .user_admin_service_create_user_body import UserAdminServiceCreateUserBody
from .user_admin_service_delete_user_response_200 import (
    UserAdminServiceDeleteUserResponse200,
)
from .user_admin_service_disable_user_body import UserAdminServiceDisableUserBody
from .user_admin_service_enable_user_body import UserAdminServiceEnableUserBody
from .user_admin_service_reset_user_mfa_body import UserAdminServiceResetUserMfaBody
from .user_admin_service_unlock_user_body import UserAdminServiceUnlockUserBody
from .user_admin_service_update_user_body import UserAdminServiceUpdateUserBody
from .user_admin_service_update_user_body_metadata import (
    UserAdminServiceUpdateUserBodyMetadata,
)
from .user_self_service_change_email_body import UserSelfServiceChangeEmailBody
from .user_self_service_change_password_body import UserSelfServiceChangePasswordBody
from .user_self_service_confirm_totp_body import UserSelfServiceConfirmTotpBody
from .user_self_service_disable_totp_body import UserSelfServiceDisableTotpBody
from .user_self_service_enroll_totp_body import UserSelfServiceEnrollTotpBody
from .user_self_service_send_phone_code_body import UserSelfServiceSendPhoneCodeBody
from .user_self_service_verify_phone_body import UserSelfServiceVerifyPhoneBody

__all__ = (
    "AdminUserServiceAdminLoginBody",
    "AdminUserServiceCreateAdminSessionBody",
    "AdminUserServiceCreateAdminUserBody",
    "AdminUserServiceDisableAdminUserBody",
    "AdminUserServiceEnableAdminUserBody",
    "AdminUserServiceEndCurrentAdminSessionBody",
    "AdminUserServiceEndCurrentAdminSessionResponse200",
    "ApiKeyServiceCreateApiKey2Body",
    "ApiKeyServiceRevokeApiKeyBody",
    "ApplicationServiceDeleteApplicationResponse200",
    "ApplicationServiceRotateClientSecretBody",
    "ApplicationServiceUpdateApplicationBody",
    "ApplicationServiceUpdateApplicationBodyJwks",
    "ApplicationServiceUpdateApplicationBodyScopeDescriptions",
    "AuthServiceCompleteMfaLoginBody",
    "AuthServiceConfirmPasswordResetBody",
    "AuthServiceConsumeMagicLinkBody",
    "AuthServiceLoginBody",
    "AuthServiceLogoutBody",
    "AuthServiceRequestPasswordResetBody",
    "AuthServiceResendVerificationBody",
    "AuthServiceSendMagicLinkBody",
    "AuthServiceSignUpBody",
    "AuthServiceVerifyEmailBody",
    "BinoauthIdentityV1Analytics",
    "BinoauthIdentityV1AnalyticsBucket",
    "BinoauthIdentityV1AnalyticsBucketTokensIssued",
    "BinoauthIdentityV1AnalyticsTotals",
    "BinoauthIdentityV1AnalyticsTotalsTokensIssued",
    "BinoauthIdentityV1ChangePasswordResponse",
    "BinoauthIdentityV1ConfirmPasswordResetResponse",
    "BinoauthIdentityV1ConfirmTotpResponse",
    "BinoauthIdentityV1DisableTotpResponse",
    "BinoauthIdentityV1EnrollTotpResponse",
    "BinoauthIdentityV1Event",
    "BinoauthIdentityV1EventDetails",
    "BinoauthIdentityV1FederatedIdentity",
    "BinoauthIdentityV1IdentityProvider",
    "BinoauthIdentityV1IdentityProviderClaimMapping",
    "BinoauthIdentityV1ListEventsResponse",
    "BinoauthIdentityV1ListIdentitiesResponse",
    "BinoauthIdentityV1ListIdentityProvidersResponse",
    "BinoauthIdentityV1ListUsersResponse",
    "BinoauthIdentityV1LoginResponse",
    "BinoauthIdentityV1LogoutResponse",
    "BinoauthIdentityV1ProviderType",
    "BinoauthIdentityV1RequestPasswordResetResponse",
    "BinoauthIdentityV1ResendVerificationResponse",
    "BinoauthIdentityV1SendMagicLinkResponse",
    "BinoauthIdentityV1SendPhoneCodeResponse",
    "BinoauthIdentityV1SignUpResponse",
    "BinoauthIdentityV1User",
    "BinoauthIdentityV1UserMetadata",
    "BinoauthIdentityV1UserState",
    "BinoauthIdentityV1VerifyEmailResponse",
    "BinoauthSessionV1ListMySessionsResponse",
    "BinoauthSessionV1ListUserSessionsResponse",
    "BinoauthSessionV1RevokeAllUserSessionsResponse",
    "BinoauthSessionV1RevokeMyOtherSessionsResponse",
    "BinoauthSessionV1Session",
    "BinoauthTenantV1AdminLoginResponse",
    "BinoauthTenantV1AdminSession",
    "BinoauthTenantV1AdminUser",
    "BinoauthTenantV1AdminUserState",
    "BinoauthTenantV1ApiKey",
    "BinoauthTenantV1ApiKeyState",
    "BinoauthTenantV1Branding",
    "BinoauthTenantV1BrandingScopeDescriptions",
    "BinoauthTenantV1CreateApiKeyResponse",
    "BinoauthTenantV1ListAdminUsersResponse",
    "BinoauthTenantV1ListApiKeysResponse",
    "BinoauthTenantV1ListTenantsResponse",
    "BinoauthTenantV1LockoutPolicy",
    "BinoauthTenantV1LoginMethods",
    "BinoauthTenantV1PasswordPolicy",
    "BinoauthTenantV1PublicTenant",
    "BinoauthTenantV1RateLimit",
    "BinoauthTenantV1RateLimits",
    "BinoauthTenantV1SessionSettings",
    "BinoauthTenantV1Tenant",
    "BinoauthTenantV1TenantSettings",
    "BinoauthTenantV1TenantState",
    "BinoauthTenantV1TokenSettings",
    "BinoauthTokenV1Application",
    "BinoauthTokenV1ApplicationJwks",
    "BinoauthTokenV1ApplicationScopeDescriptions",
    "BinoauthTokenV1ApplicationType",
    "BinoauthTokenV1ClientType",
    "BinoauthTokenV1Consent",
    "BinoauthTokenV1CreateApplicationResponse",
    "BinoauthTokenV1ListApplicationsResponse",
    "BinoauthTokenV1ListMyConsentsResponse",
    "BinoauthTokenV1ListSigningKeysResponse",
    "BinoauthTokenV1ListUserConsentsResponse",
    "BinoauthTokenV1RevokeMyConsentResponse",
    "BinoauthTokenV1RotateClientSecretResponse",
    "BinoauthTokenV1RotateSigningKeysResponse",
    "BinoauthTokenV1SigningKey",
    "BinoauthTokenV1SigningKeyState",
    "BinoauthTokenV1TokenLifetimes",
    "ErrorEnvelope",
    "ErrorEnvelopeError",
    "ErrorEnvelopeErrorDetails",
    "FederatedIdentityServiceUnlinkMyIdentityResponse200",
    "FederatedIdentityServiceUnlinkUserIdentityResponse200",
    "FederatedSignInServiceFederatedCallbackPostBody",
    "FederatedSignInServiceStartFederatedLinkBody",
    "HostedPagesServiceSubmitForgotPasswordBody",
    "HostedPagesServiceSubmitLoginBody",
    "HostedPagesServiceSubmitLoginMfaBody",
    "HostedPagesServiceSubmitLogoutBody",
    "HostedPagesServiceSubmitMagicLinkRequestBody",
    "HostedPagesServiceSubmitMagicLinkSignInBody",
    "HostedPagesServiceSubmitResetPasswordBody",
    "HostedPagesServiceSubmitSignupBody",
    "HostedPagesServiceSubmitVerifyEmailBody",
    "IdentityProviderServiceDeleteIdentityProviderResponse200",
    "IdentityProviderServiceDisableIdentityProviderBody",
    "IdentityProviderServiceEnableIdentityProviderBody",
    "IdentityProviderServiceUpdateIdentityProviderBody",
    "IdentityProviderServiceUpdateIdentityProviderBodyClaimMapping",
    "OAuthServiceAuthorizeBody",
    "OAuthServiceDeviceAuthorizationBody",
    "OAuthServiceDeviceAuthorizationResponse200",
    "OAuthServiceDeviceAuthorizationResponse400",
    "OAuthServiceDeviceAuthorizationResponse401",
    "OAuthServiceEndSessionBody",
    "OAuthServiceGetAuthorizationServerMetadata2Response200",
    "OAuthServiceGetAuthorizationServerMetadataResponse200",
    "OAuthServiceGetOpenIdConfigurationResponse200",
    "OAuthServiceIntrospectBody",
    "OAuthServiceIntrospectResponse200",
    "OAuthServiceIntrospectResponse400",
    "OAuthServiceIntrospectResponse401",
    "OAuthServiceRevokeBody",
    "OAuthServiceRevokeResponse200",
    "OAuthServiceRevokeResponse400",
    "OAuthServiceRevokeResponse401",
    "OAuthServiceRevokeUserConsentResponse200",
    "OAuthServiceSubmitConsentBody",
    "OAuthServiceSubmitDevicePageBody",
    "OAuthServiceTokenBody",
    "OAuthServiceTokenResponse200",
    "OAuthServiceTokenResponse400",
    "OAuthServiceTokenResponse401",
    "OAuthServiceUserInfo2Response200",
    "OAuthServiceUserInfo2Response401",
    "OAuthServiceUserInfo2Response403",
    "OAuthServiceUserInfoBody",
    "OAuthServiceUserInfoResponse200",
    "OAuthServiceUserInfoResponse401",
    "OAuthServiceUserInfoResponse403",
    "SessionServiceRevokeAllUserSessionsBody",
    "SessionServiceRevokeMyOtherSessionsBody",
    "SessionServiceRevokeMySessionResponse200",
    "SessionServiceRevokeUserSessionResponse200",
    "SigningKeyServiceGetJwksResponse200",
    "SigningKeyServiceGetJwksResponse200KeysItem",
    "SigningKeyServiceRotateSigningKeysBody",
    "TenantServiceDeleteTenantResponse200",
    "TenantServiceResumeTenantBody",
    "TenantServiceSuspendTenantBody",
    "TenantServiceUpdateTenant2Body",
    "TenantServiceUpdateTenantBody",
    "UserAdminServiceCreateUserBody",
    "UserAdminServiceDeleteUserResponse200",
    "UserAdminServiceDisableUserBody",
    "UserAdminServiceEnableUserBody",
    "UserAdminServiceResetUserMfaBody",
    "UserAdminServiceUnlockUserBody",
    "UserAdminServiceUpdateUserBody",
    "UserAdminServiceUpdateUserBodyMetadata",
    "UserSelfServiceChangeEmailBody",
    "UserSelfServiceChangePasswordBody",
    "UserSelfServiceConfirmTotpBody",
    "UserSelfServiceDisableTotpBody",
    "UserSelfServiceEnrollTotpBody",
    "UserSelfServiceSendPhoneCodeBody",
    "UserSelfServiceVerifyPhoneBody",
)
