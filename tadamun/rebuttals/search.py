"""Full-text search of claims in every language, the same on SQLite and PostgreSQL.

Each claim keeps `search_text`: every word of its source text and of all its translations,
reduced to a key (no case, accents or Arabic diacritics; Arabic letter variants unified; the
Arabic article ال, the transliterated al- and Arabic plural and feminine endings dropped),
between spaces. A query is reduced
the same way and each of its words must begin a word of the text, so "réfugié" finds
"réfugiés", "اللاجئين" finds "اللاجئون", and a claim is found in any language it is
translated into.
"""

import re

from tadamun.core.text import BIDI_CONTROLS, CONTROL_CHARACTERS
from tadamun.places.names import normalise

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
_ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=\w{2})")
_LATIN_ARTICLE = re.compile(r"^(?:al|el)-")
_NOT_A_WORD = re.compile(r"[^\w]+")
# A light stem for Arabic: plural and feminine endings, so "اللاجئين" meets "اللاجئون".
_ARABIC_ENDING = re.compile(r"(?<=[\u0621-\u064a]{3})(?:ون|ين|ات|ان|ها|هم|ه)$")


def words(text: str) -> list[str]:
    """The search keys of the words of `text`."""
    text = CONTROL_CHARACTERS.sub(" ", BIDI_CONTROLS.sub("", text))
    keys = []
    for word in normalise(_LATIN_ARTICLE.sub("", text.lower())).split():
        word = _ARABIC_ENDING.sub("", _NOT_A_WORD.sub("", _ARABIC_ARTICLE.sub("", word)))
        if word:
            keys.append(word)
    return keys


def index_text(claim) -> str:
    """The claim's `search_text`: its words in every language, once each."""
    texts = [claim]
    if claim.pk is not None:
        texts += list(claim.translations.all())
    found = dict.fromkeys(
        word
        for text in texts
        for field in claim.text_fields
        for word in words(getattr(text, field, "") or "")
    )
    return f" {' '.join(found)} " if found else ""


def query_words(query: str) -> list[str]:
    return words(query[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]
