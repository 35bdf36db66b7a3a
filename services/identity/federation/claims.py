"""From an upstream's claims to one of our users: the mapping, the email-domain rule, and
which account a sign-in belongs to. Pure functions; the use cases do the I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from services.identity.users import email_or_none

MAX_SUBJECT = 255
# amr values (RFC 8176) that say the upstream used more than one factor.
MFA_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "retina", "sms", "tel"})


@dataclass(frozen=True)
class ExternalAccount:
    """Who the provider says signed in."""

    subject: str
    email: str = ""
    email_verified: bool = False
    profile: dict[str, str] = field(default_factory=dict)
    amr: tuple[str, ...] = ()

    @property
    def did_mfa(self) -> bool:
        # "mfa" says so; otherwise two distinct methods, one of them a second factor.
        methods = set(self.amr)
        return "mfa" in methods or (bool(methods & MFA_AMR) and len(methods) >= 2)


def _truthy(value: Any) -> bool:
    # Some providers (Apple) send email_verified as the string "true".
    return value is True or (isinstance(value, str) and value.lower() == "true")


def map_claims(claims: dict[str, Any], mapping: dict[str, str]) -> ExternalAccount:
    """The account an ID token's (or userinfo's) claims describe, through the provider's
    claim mapping (our claim -> theirs). Values of the wrong type are dropped, not coerced."""
    subject = claims.get("sub")
    if isinstance(subject, int) and not isinstance(subject, bool):
        subject = str(subject)  # GitHub's user id
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT:
        raise ValueError("the provider's answer has no usable subject")
    raw_email = claims.get(mapping.get("email", "email"))
    email = email_or_none(raw_email) if isinstance(raw_email, str) else None
    verified = bool(email) and _truthy(claims.get(mapping.get("email_verified", "email_verified")))
    profile: dict[str, str] = {}
    for ours in ("name", "given_name", "family_name", "picture", "locale"):
        value = claims.get(mapping.get(ours, ours))
        if isinstance(value, str) and value.strip():
            profile[ours] = value.strip()[:256]
    if profile.get("picture", "").startswith("https://") is False:
        profile.pop("picture", None)
    amr = claims.get("amr")
    methods = tuple(str(m)[:32] for m in amr if isinstance(m, str)) if isinstance(amr, list) else ()
    return ExternalAccount(subject, email or "", verified, profile, methods)


def email_domain_allowed(account: ExternalAccount, allowed: tuple[str, ...]) -> bool:
    """No list: every account. A list: only a verified email in one of its domains."""
    if not allowed:
        return True
    if not account.email or not account.email_verified:
        return False
    return account.email.rsplit("@", 1)[1].lower() in allowed


class Resolution(Enum):
    SIGN_IN = "sign_in"  # the identity is linked already
    LINK = "link"  # link to the user with that verified email, then sign in
    CREATE = "create"  # a new user, just in time
    REFUSE_EXISTING = "refuse_existing"  # the email belongs to a user; linking is not allowed


def resolve(linked_user_id: str | None, email_owner_id: str | None, account: ExternalAccount,
            link_by_verified_email: bool) -> Resolution:
    """Which account a sign-in through a provider belongs to.

    A linked (provider, subject) always wins: the email is never used to find a returning
    user (emails change hands at providers). A first sign-in whose email belongs to an
    existing user links only when the provider vouches for the address and the tenant allows
    it; otherwise the person must prove the existing account first."""
    if linked_user_id:
        return Resolution.SIGN_IN
    if email_owner_id is None:
        return Resolution.CREATE
    if link_by_verified_email and account.email_verified:
        return Resolution.LINK
    return Resolution.REFUSE_EXISTING


def session_amr(account: ExternalAccount, trust_upstream_mfa: bool) -> tuple[list[str], bool]:
    """The amr of the session a provider sign-in starts ("fed", plus "mfa" when the tenant
    trusts the upstream's own multi-factor authentication), and whether that satisfies a user
    who has MFA enabled."""
    trusted = trust_upstream_mfa and account.did_mfa
    return (["fed", "mfa"] if trusted else ["fed"]), trusted
