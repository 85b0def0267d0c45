"""The personal data of staff accounts: their users and second-factor devices, traced in the
audit trail without the values that change at every login."""

from tadamun.supporters import registry

THROTTLING = ("last_used_at", "throttling_failure_timestamp", "throttling_failure_count")

DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "auth.User", about_supporters=False, audit_skips=("password", "last_login")
        ),
        registry.PersonalDataModel(
            "otp_totp.TOTPDevice",
            about_supporters=False,
            audit_skips=("key", "last_t", "drift", *THROTTLING),
        ),
        registry.PersonalDataModel(
            "otp_static.StaticDevice", about_supporters=False, audit_skips=THROTTLING
        ),
    ]
)
