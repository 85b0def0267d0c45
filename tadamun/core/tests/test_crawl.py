"""A crawl from the home page in every language: every internal link answers without error."""

import pytest

from tadamun.core.tests.pages import LANGUAGES, crawl


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_internal_link_answers(client, demo, language):
    responses = crawl(client, language)
    failed = [
        f"{path} → {response.status_code}"
        for path, response in responses.items()
        if response.status_code not in (200, 301, 302)
    ]
    assert not failed, "\n".join(failed)
    assert len(responses) > 10
