"""Migration 0005 turns each petition's typed list of goals into one row per goal."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("petitions", "0004_signature_keeps_the_name_given")]
AFTER = [("petitions", "0005_goals_as_rows")]


@pytest.mark.django_db(transaction=True)
def test_typed_lists_become_goal_rows_and_junk_is_dropped(campaign):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Petition = old.get_model("petitions", "Petition")
    made = {}
    for slug, typed in [
        ("listed", [1000, 10, 100, 100]),
        ("junk", [0, -5, "50", 2.5, True, 500]),
        ("not-a-list", {"goal": 10}),
    ]:
        made[slug] = Petition.objects.create(
            campaign_id=campaign.pk, slug=slug, title=slug, target="x", milestones=typed
        ).pk

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Goal = new.get_model("petitions", "Goal")

    def goals(slug):
        return list(
            Goal.objects.filter(petition_id=made[slug]).values_list("signatures", flat=True)
        )

    assert goals("listed") == [10, 100, 1000]
    assert goals("junk") == [500]
    assert goals("not-a-list") == []
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
