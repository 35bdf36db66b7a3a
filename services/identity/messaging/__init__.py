"""Outbound messages of the identity service: email over SMTP (templates, links) and SMS."""

from services.identity.messaging.mail import (
    MailDeliveryError,
    Mailer,
    MailSettings,
    OutgoingMail,
    SmtpMailer,
    recipient_hash,
)
from services.identity.messaging.sms import (
    DevSmsSender,
    SmsDeliveryError,
    SmsSender,
    WebhookSmsSender,
    sms_sender_from_env,
)
from services.identity.messaging.templates import TEMPLATES, build_link, render

__all__ = [
    "TEMPLATES",
    "DevSmsSender",
    "MailDeliveryError",
    "MailSettings",
    "Mailer",
    "OutgoingMail",
    "SmsDeliveryError",
    "SmsSender",
    "SmtpMailer",
    "WebhookSmsSender",
    "build_link",
    "recipient_hash",
    "render",
    "sms_sender_from_env",
]
