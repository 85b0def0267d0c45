"""The counters always equal the confirmed rows, whatever happens in whatever order."""

from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tadamun.petitions import counters, services
from tadamun.petitions.models import CountryCount, DailyCount, Petition, Signature
from tadamun.petitions.tasks import reconcile_counters
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Supporter

PEOPLE = [f"person{n}@example.org" for n in range(4)]
COUNTRIES = ["FR", "DE", "TR"]
operations = st.lists(
    st.tuples(
        st.sampled_from(["sign", "confirm", "invalidate", "erase"]),
        st.sampled_from(PEOPLE),
        st.sampled_from(COUNTRIES),
    ),
    max_size=25,
)


def assert_counters_match_rows(petition):
    petition.refresh_from_db()
    confirmed = Signature.objects.confirmed().filter(petition=petition)
    assert petition.confirmed_count == confirmed.count()
    rows = dict(confirmed.values_list("country").annotate(n=Count("pk")).order_by())
    kept = dict(
        CountryCount.objects.filter(petition=petition, count__gt=0).values_list("country", "count")
    )
    assert kept == rows
    by_day = sum(DailyCount.objects.filter(petition=petition).values_list("count", flat=True))
    assert by_day == petition.confirmed_count


def signature_of(petition, email):
    supporter = Supporter.objects.with_email(email).first()
    if supporter is None:
        return None
    return Signature.objects.filter(petition=petition, supporter=supporter).first()


def apply(petition, operation, email, country):
    signature = signature_of(petition, email)
    if operation == "sign":
        services.sign(petition, services.SignatureRequest(name="A B", email=email, country=country))
    elif operation == "confirm" and signature:
        services.confirm(signature)
    elif operation == "invalidate" and signature:
        services.invalidate(Signature.objects.filter(pk=signature.pk), "test")
    elif operation == "erase" and (supporter := Supporter.objects.with_email(email).first()):
        supporters.erase(supporter)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_counters_equal_confirmed_rows_after_any_sequence(petition, steps):
    with transaction.atomic():
        for step in steps:
            apply(petition, *step)
            assert_counters_match_rows(petition)
        assert not counters.reconcile(petition)  # nothing had drifted
        transaction.set_rollback(True)


def test_reconciling_repairs_drift(petition, sign):
    sign("a@example.org", "FR", confirm=True)
    sign("b@example.org", "DE", confirm=True)
    Petition.objects.filter(pk=petition.pk).update(confirmed_count=99)
    CountryCount.objects.filter(country="FR").update(count=7)
    DailyCount.objects.all().delete()
    assert reconcile_counters.call() == 1
    assert_counters_match_rows(petition)
    assert reconcile_counters.call() == 0
