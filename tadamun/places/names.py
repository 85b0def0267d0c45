"""Place names reduced to a key that matches however a supporter spells them.

"München", "Munchen" and "MÜNCHEN" share the key "munchen"; "إدلب" and "ادلب" share one too.
The gazetteer stores the keys of every known name of a city (`index_keys`); a search looks
up the keys of what was typed (`search_keys`), which are built so as to meet them.
"""

import re
import unicodedata
from collections import Counter

from tadamun.core.text import in_arabic_script

# Arabic letters that people write interchangeably: hamza forms of alef, alef maksura for ya,
# ta marbuta for ha; tatweel (ـ) only stretches a word and is dropped.
# Persian keyboards give ی and ک for the Arabic ي and ك.
_ARABIC = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ـ": None}
)

# Latin letters that NFKD leaves whole (they are not a base letter plus a mark).
_LATIN = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"}
)

# Apostrophes and the ʿayn/hamza signs of transliterated Arabic are dropped, not spaced:
# GeoNames writes "Ma‘arrat an Nu‘mān" where people type "Maarrat al-Numan".
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘‛ʼʻʿʾ`´′", None))

# Hyphens, dashes, dots and other joiners separate words.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.·・,_/()]+")

# Transliterated Arabic spells the article as the next letter sounds: "Jisr ash Shughur" is
# "Jisr al-Shughur"; "el", "ad", "an"... are all "al" in a second key.
_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az"}
    | {"ech", "ed", "edh", "en", "er", "es", "esh", "et", "eth", "ez"}
)

# German spells ü as ue when it has no umlauts ("Muenchen"); the index keeps both spellings.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def normalise(text: str) -> str:
    """The search key of a place name: no accents or case, Arabic letter variants unified."""
    if text.isascii():  # most names; the same result, several times faster
        text = text.lower()
    else:
        # Before NFKD too, which would turn ´ into a space and a combining accent.
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        text = text.casefold().translate(_ARABIC).translate(_LATIN)
    return _SEPARATORS.sub(" ", text.translate(_APOSTROPHES)).strip()


def _with_article_al(key: str) -> str:
    words = key.split(" ")
    return " ".join(["al" if w in _ARTICLES else w for w in words[:-1]] + words[-1:])


def search_keys(text: str) -> set[str]:
    """The keys to look up for what someone typed: its own and its article-as-"al" key."""
    key = normalise(text)
    return {key, _with_article_al(key)} - {""}


def index_keys(name: str) -> set[str]:
    """Every key under which the gazetteer finds `name`, so that `search_keys` meets one.

    Besides the name's own key: its German ae/oe/ue spelling and its article-as-"al" key.
    """
    keys = {normalise(name)}
    if any(c in name for c in "äöüÄÖÜ"):
        keys.add(normalise(unicodedata.normalize("NFC", name).translate(_UMLAUTS)))
    keys |= {_with_article_al(key) for key in keys}
    keys.discard("")
    return keys


# The letters of the Arabic language itself: a name with Persian, Urdu, Kurdish or Uyghur
# letters (پ چ ژ گ ک ی ە ۆ...) is another language's spelling in the same script.
_ARABIC_LETTERS = frozenset("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي")


def _is_arabic_spelling(name: str) -> bool:
    words = name.split()
    # Arabic writes alef maksura (ى) only at the end of a word; Uyghur writes it inside.
    # No Arabic word begins with a hamza on ya ("ئاممان" is Kurdish).
    return bool(words) and all(
        set(w) <= _ARABIC_LETTERS and "ى" not in w[:-1] and not w.startswith("ئ") for w in words
    )


_OTHER_LETTERS = str.maketrans({"ی": "ي", "ک": "ك", "ە": None, "ۆ": "و", "ێ": "ي"})


def _letters_key(name: str) -> str:
    """A name with the Persian and Kurdish letters read as the Arabic ones: the Persian "لندن"
    is the Arabic word, the Kurdish "لەندەن" (its vowels written) too."""
    return name.translate(_OTHER_LETTERS)


def arabic_name(names) -> str:
    """The Arabic name of a city among its GeoNames alternate names, or "".

    GeoNames' extract gives the names without their language, so the Arabic one is told by
    its letters, then ranked: the Arabic way of writing a name ("القاهرة" with its article
    before the Persian "قاهره"); no hamza inside a word (the transliteration "لأندأن");
    the spelling other Arabic-script languages share (the Persian "لندن" backs "لندن"); the
    one word ("حمص" before "مدينة حمص"); the long vowels by which Arabic writes European names
    ("كولونيا" before "كولن"); a hamza written ("إدلب" before "ادلب"). A heuristic, checked on
    the large cities of the demo's countries; "" when no name is written the Arabic way.
    """
    script = [name for name in names if in_arabic_script(name)]
    shared = Counter(_letters_key(name) for name in script)
    candidates = [name for name in script if _is_arabic_spelling(name)]
    if not candidates:
        return ""

    def rank(name):
        hamza_inside = any(c in "أإ" for word in name.split() for c in word[1:])
        return (
            not name.startswith("ال"),
            hamza_inside,
            -shared[_letters_key(name)],
            name.count(" "),
            -sum(name.count(c) for c in "اأإآوي"),
            not set("أإآ") & set(name),
            name,
        )

    return min(candidates, key=rank)


def name_for_reader(typed: str, gazetteer_name: str, language: str) -> str:
    """A place's name for a reader of `language`: as the organiser typed it when it is written
    in the reader's script ("Köln" stays "Köln"), else the gazetteer's name in that language
    ("غازي عنتاب" reads "Gaziantep" in English, "Madrid" reads "مدريد" in Arabic)."""
    reader_reads_arabic = language == "ar"
    if not gazetteer_name or in_arabic_script(typed) == reader_reads_arabic:
        return typed
    return gazetteer_name
