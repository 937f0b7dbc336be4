"""The one catalogue of user-visible text outside the Qt user interface.

Every message the CLI, the validators and the exporters show a person is
here, looked up by key and passed through gettext, so that a translation
(``resources/locale/<lang>/LC_MESSAGES/companion.mo``) replaces it whole.
The UI uses Qt's own ``tr()`` for its strings.
"""
from __future__ import annotations

import gettext
from functools import lru_cache

from companion.messages import reading, sharing

CATALOGUE: dict[str, str] = {**reading.TEXTS, **sharing.TEXTS}


@lru_cache(maxsize=1)
def _translation() -> gettext.NullTranslations:
    from companion.paths import resources_dir

    return gettext.translation(
        "companion", localedir=str(resources_dir() / "locale"), fallback=True
    )


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the person's language, filled with ``values``."""
    text = _translation().gettext(CATALOGUE[key])
    return text.format(**values) if values else text


def t_count(key: str, count: int, /, **values: object) -> str:
    """The message ``key`` for ``count`` things, filled with ``values`` and ``count``:
    ``key + "_one"`` is the wording for one, ``key`` for any other number (a
    translation gives each plural form of its language)."""
    text = _translation().ngettext(CATALOGUE[key + "_one"], CATALOGUE[key], count)
    return text.format(count=count, **values)
