"""Share files: worksheets in a file a colleague's companion can import.

A share file is UTF-8 JSON::

    {"format": "mld-companion-share", "format_version": 1,
     "app_version": "0.1.0", "exported_at": "...",
     "worksheets": [{"uid", "template_id", "template_version", "title", "status",
                     "revision", "created_at", "updated_at", "answers"}],
     "participant": {"id", "name", "organisation", "role", "city", "country"},
     "checksum": "sha256:<hex of the canonical JSON of everything else>"}

``participant`` (who handed the file in: the data folder's participant id
and the profile) is optional and inside the checksum: files written before
it existed still import, and a companion that does not know it reads the
new files as before (it checks the checksum over every key but its own).

:func:`decode` refuses every malformed shape with a message fit for a
person (raises :class:`~companion.errors.InputError`); it never trusts a
field's type. The answers are checked against the template by the importer.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable

from companion import __version__, jsonfile
from companion.errors import InputError
from companion.messages import t

FORMAT = "mld-companion-share"
FORMAT_VERSION = 1
SUFFIX = ".mldshare"
MAX_BYTES = 20 * 1024 * 1024
MAX_WORKSHEETS = 2000
MAX_TITLE = 300
MAX_CHECK_ANSWERS = 1000
PARTICIPANT_FIELDS = ("id", "name", "organisation", "role", "city", "country")
MAX_PARTICIPANT_TEXT = 200


@dataclass(frozen=True)
class SharedWorksheet:
    uid: str
    template_id: str
    template_version: int
    title: str
    status: str
    revision: int
    created_at: str
    updated_at: str
    answers: dict[str, Any]

    def content_hash(self) -> str:
        """What identifies this worksheet's content, for "already imported"."""
        body = _canonical({"uid": self.uid, "title": self.title, "answers": self.answers,
                           "template": self.template_id})
        return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class ShareFile:
    """A share file read whole: its worksheets and who handed it in (None in
    files from before the participant was carried)."""

    worksheets: list[SharedWorksheet]
    participant: dict[str, str] | None
    exported_at: str
    checks: tuple[dict, ...] = ()  # the knowledge-check answers of who handed it in


def _canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def checksum(payload: dict) -> str:
    return "sha256:" + hashlib.sha256(_canonical(payload)).hexdigest()


def encode(worksheets: list[SharedWorksheet], participant: dict[str, str] | None = None,
           checks: list[dict] | None = None) -> bytes:
    payload = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "worksheets": [w.__dict__ for w in worksheets],
    }
    if participant:
        payload["participant"] = _carried(participant)
    if checks:
        payload["checks"] = checks
    payload["checksum"] = checksum({k: v for k, v in payload.items()})
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def _carried(participant: dict[str, str]) -> dict[str, str]:
    """The participant as a share file carries it."""
    return {key: str(participant.get(key) or "")[:MAX_PARTICIPANT_TEXT] for key in PARTICIPANT_FIELDS}


class Encoder:
    """A share file written one worksheet at a time to ``write`` (a file, a
    compressor), so that a thousand worksheets are never in memory together:
    the bytes :func:`encode` makes of the same worksheets. The checksum, last,
    covers the canonical JSON of everything else, whose last key is
    "worksheets": the list is hashed as it grows."""

    def __init__(self, write: Callable[[bytes], Any], participant: dict[str, str] | None = None,
                 exported_at: str | None = None, checks: list[dict] | None = None) -> None:
        self._write, self._count = write, 0
        head = {"format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
                "exported_at": exported_at or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        self._tail = {"checks": checks} if checks else {}
        if participant:
            self._tail["participant"] = _carried(participant)
        assert all(key < "worksheets" for key in self._tail)  # else the list would not come last in the hash
        self._digest = hashlib.sha256(_canonical({**head, **self._tail})[:-1] + b',"worksheets":[')
        self._write((json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "worksheets": [').encode("utf-8"))

    def add(self, worksheet: SharedWorksheet) -> None:
        entry = worksheet.__dict__
        self._digest.update((b"," if self._count else b"") + _canonical(entry))
        text = json.dumps(entry, ensure_ascii=False, indent=1).replace("\n", "\n  ")  # strings hold no newline
        self._write(((",\n  " if self._count else "\n  ") + text).encode("utf-8"))
        self._count += 1

    def finish(self) -> None:
        self._digest.update(b"]}")
        end = "\n ]" if self._count else "]"
        for key, value in self._tail.items():
            end += f',\n "{key}": ' + json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n ")
        self._write(f'{end},\n "checksum": "sha256:{self._digest.hexdigest()}"\n}}'.encode("utf-8"))


def _need(entry: dict, key: str, kind: type | tuple, number: int) -> Any:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, kind):
        raise InputError(t("share.bad_entry", number=number, key=key))
    return value


def _checks(value: Any) -> tuple[dict, ...]:
    """The knowledge-check answers a share file carries (who handed it in,
    for a trainer); an import keeps them out of the importer's own progress."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_CHECK_ANSWERS:
        raise InputError(t("share.bad_checks"))
    found = []
    for entry in value:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("topic", "question")) \
                or not isinstance(entry.get("chosen"), list) or not all(isinstance(c, str) for c in entry["chosen"]) \
                or not isinstance(entry.get("right"), bool):
            raise InputError(t("share.bad_checks"))
        found.append({"topic": entry["topic"][:200], "question": entry["question"][:200],
                      "chosen": [c[:200] for c in entry["chosen"][:20]], "right": entry["right"],
                      "answered_at": str(entry.get("answered_at") or "")[:40]})
    return tuple(found)


def _participant(value: Any) -> dict[str, str] | None:
    """Who handed the file in, as text of bounded length; None when the file does not say."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(t("share.bad_participant"))
    found = {}
    for key in PARTICIPANT_FIELDS:
        text = value.get(key, "")
        if not isinstance(text, str):
            raise InputError(t("share.bad_participant"))
        found[key] = " ".join(text.split())[:MAX_PARTICIPANT_TEXT]
    return found if any(found.values()) else None


def decode(data: bytes) -> list[SharedWorksheet]:
    """The worksheets in a share file's bytes; InputError names what is wrong."""
    return decode_file(data).worksheets


def decode_file(data: bytes) -> ShareFile:
    """A share file's worksheets and participant; InputError names what is wrong."""
    if len(data) > MAX_BYTES:
        raise InputError(t("share.too_big", limit=MAX_BYTES // (1024 * 1024)))
    try:
        payload = jsonfile.loads(data)
    except UnicodeDecodeError:
        raise InputError(t("share.not_text")) from None
    except jsonfile.Malformed:
        raise InputError(t("share.not_json")) from None
    except jsonfile.Refused as exc:
        raise InputError(t("share.limits", detail=exc)) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InputError(t("share.not_share"))
    version = payload.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise InputError(t("share.not_share"))
    if version > FORMAT_VERSION:
        raise InputError(t("share.future", version=version, app=payload.get("app_version", "?")))
    given = payload.get("checksum")
    if given != checksum({k: v for k, v in payload.items() if k != "checksum"}):
        raise InputError(t("share.checksum"))
    entries = payload.get("worksheets")
    if not isinstance(entries, list) or not entries:
        raise InputError(t("share.empty"))
    if len(entries) > MAX_WORKSHEETS:
        raise InputError(t("share.too_many", limit=MAX_WORKSHEETS))
    found = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise InputError(t("share.bad_entry", number=number, key="worksheet"))
        title = _need(entry, "title", str, number)
        if len(title) > MAX_TITLE:
            raise InputError(t("share.title_too_long", number=number, limit=MAX_TITLE))
        found.append(SharedWorksheet(
            uid=_need(entry, "uid", str, number), template_id=_need(entry, "template_id", str, number),
            template_version=_need(entry, "template_version", int, number),
            title=title, status=_need(entry, "status", str, number),
            revision=_need(entry, "revision", int, number),
            created_at=_need(entry, "created_at", str, number), updated_at=_need(entry, "updated_at", str, number),
            answers=_need(entry, "answers", dict, number),
        ))
    exported = payload.get("exported_at")
    return ShareFile(found, _participant(payload.get("participant")), exported if isinstance(exported, str) else "",
                     _checks(payload.get("checks")))
