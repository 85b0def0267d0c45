"""Every model holding personal data is declared in its app's `personal_data.py`, so that
retention, the audit trail, the roles' never-by-hand list, "your data" and erasure (which
all read `tadamun.supporters.registry`) cannot miss it."""

from auditlog.registry import auditlog
from django.apps import apps

from tadamun.core.crypto import encrypted_fields
from tadamun.staff import roles
from tadamun.supporters import registry
from tadamun.supporters.models import Supporter

# Encrypted, but about no person.
NOT_PERSONAL = {"api.WebhookEndpoint"}  # a partner's signing secret


def links_to_supporter(model) -> bool:
    return any(
        field.related_model is Supporter
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete
    )


def test_every_model_with_encrypted_fields_or_a_supporter_is_declared():
    declared = {model.label for model in registry.personal_data_models()}
    holding = {model._meta.label for model, _field in encrypted_fields()} | {
        model._meta.label for model in apps.get_models() if links_to_supporter(model)
    }
    assert holding - NOT_PERSONAL - declared == set()


def test_declarations_name_real_models_and_fields():
    for declared in registry.personal_data_models():
        field_names = {field.name for field in declared.model._meta.get_fields()}
        assert set(declared.audit_skips) <= field_names, declared.label
        assert not declared.keeps_supporter or declared.keeps_supporter in field_names
        assert not declared.unconfirmed or "created_at" in field_names, declared.label
        assert set(declared.never_by_hand) <= set(registry.EVERYTHING), declared.label


def test_the_audit_trail_and_the_roles_read_the_declarations():
    for declared in registry.personal_data_models():
        assert auditlog.contains(declared.model) == declared.audited, declared.label
        model_name = declared.model._meta.model_name
        for action in declared.never_by_hand:
            assert f"{action}_{model_name}" in roles.NEVER_BY_HAND, declared.label
