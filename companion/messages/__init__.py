"""The one catalogue of user-visible text outside the Qt user interface, and
the language every text is shown in.

Every message the CLI, the validators and the exporters show a person is
here, looked up by key and passed through gettext; the window's ``tr()``
texts go through the same gettext catalogue (``companion/ui/translator.py``).
A language's catalogue is ``resources/locale/<lang>/LC_MESSAGES/companion.mo``;
its msgids are the English texts. The language is set once at start
(:func:`set_language`); a thread may write in another one for a while
(:func:`in_language`), as a PDF with labels in another language does.
"""
from __future__ import annotations

import gettext as _gettext
import threading
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from companion.messages import reading, sharing
from companion.messages.pseudo import PSEUDO, pseudo

CATALOGUE: dict[str, str] = {**reading.TEXTS, **sharing.TEXTS}

ENGLISH = "en"
LANGUAGES = ("en", "fr", "es", "pt", "ar")
"""The interface languages, English first; ``qps`` (the pseudo-language) is for testing."""
NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية",
         PSEUDO: "[Ƥšéúðö]"}
"""Each language's name in that language (as a language menu lists them)."""
RIGHT_TO_LEFT = frozenset({"ar"})

_state = {"language": ENGLISH}
_local = threading.local()


def known(code: str | None) -> str | None:
    """The interface language that ``code`` names ("pt_BR.UTF-8" → "pt"), or None."""
    if not code:
        return None
    base = code.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return base if base in LANGUAGES or base == PSEUDO else None


def set_language(code: str) -> str:
    """Show every text in ``code`` from now on; an unknown code means English. Returns the language set."""
    _state["language"] = known(code) or ENGLISH
    return _state["language"]


def current_language() -> str:
    return getattr(_local, "language", None) or _state["language"]


def is_right_to_left(code: str | None = None) -> bool:
    return (code or current_language()) in RIGHT_TO_LEFT


@contextmanager
def in_language(code: str | None) -> Iterator[str]:
    """Texts of this thread in ``code`` (None: the current language) until the block ends."""
    before = getattr(_local, "language", None)
    _local.language = known(code) or current_language()
    try:
        yield _local.language
    finally:
        _local.language = before


@lru_cache(maxsize=None)
def _translation(language: str) -> _gettext.NullTranslations:
    if language in (ENGLISH, PSEUDO):
        return _gettext.NullTranslations()
    from companion.paths import resources_dir

    return _gettext.translation("companion", localedir=str(resources_dir() / "locale"),
                                languages=[language], fallback=True)


RLM = "\u200f"


def right_to_left_first(text: str) -> str:
    """A right-to-left text that starts with a Latin word ("PDF …" in Arabic) marked
    so that it reads right to left, its punctuation in place, wherever it is shown."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return text
        if kind == "L":
            return RLM + text if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text) else text
    return text


def _shown(translated: str, language: str) -> str:
    if language == PSEUDO:
        return pseudo(translated)
    return right_to_left_first(translated) if language in RIGHT_TO_LEFT else translated


def gettext(text: str) -> str:
    """``text`` (an English msgid) in the current language."""
    language = current_language()
    return _shown(_translation(language).gettext(text), language)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular``/``plural`` for ``count`` in the current language."""
    language = current_language()
    return _shown(_translation(language).ngettext(singular, plural, count), language)


def is_translated(text: str) -> bool:
    """Whether the current language's catalogue has ``text`` (always true in English and the pseudo-language)."""
    language = current_language()
    if language in (ENGLISH, PSEUDO):
        return True
    return _translation(language).gettext(text) != text


def app_name() -> str:
    """The companion's name in the current language."""
    from companion import APP_NAME

    return gettext(APP_NAME)


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the person's language, filled with ``values``."""
    text = gettext(CATALOGUE[key])
    return text.format(**values) if values else text


def t_count(key: str, count: int, /, **values: object) -> str:
    """The message ``key`` for ``count`` things, filled with ``values`` and ``count``:
    ``key + "_one"`` is the wording for one, ``key`` for any other number (a
    translation gives each plural form of its language)."""
    text = ngettext(CATALOGUE[key + "_one"], CATALOGUE[key], count)
    return text.format(count=count, **values)
