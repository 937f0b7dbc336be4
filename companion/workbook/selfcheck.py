"""``companion self-check``: does this installation work, end to end?

Run on a participant's laptop (or by the test suite on a freshly built
bundle) it loads every content pack, bundled and installed, creates
worksheets, exports a PDF, exports a share file and imports it back, all in
a temporary folder that is removed afterwards: the person's own data is only
read (to find the packs installed in it), never written. Each step gives one
line, "ok: ...", "FAILED: ..." or "skipped: ...".
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from companion import paths
from companion.workbook import packs
from companion.errors import CompanionError
from companion.messages import t, t_count

OK, FAILED, SKIPPED = "ok", "FAILED", "skipped"


@dataclass(frozen=True)
class Step:
    status: str
    line: str

    @property
    def failed(self) -> bool:
        return self.status == FAILED


def ok(text: str) -> Step:
    return Step(OK, t("selfcheck.ok", what=text))


def failed(what: str, detail: object) -> Step:
    return Step(FAILED, t("selfcheck.failed", what=what, detail=detail))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, CompanionError) else text


def check_resources() -> Step:
    fonts = sorted(paths.fonts_dir().glob("*.ttf"))
    if not fonts:
        return failed(t("selfcheck.resources", path=paths.resources_dir(), fonts=0),
                      t("selfcheck.no_fonts", path=paths.fonts_dir()))
    return ok(t("selfcheck.resources", path=paths.resources_dir(), fonts=len(fonts)))


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}", re.MULTILINE)


def _render(pack) -> None:
    """Every topic to HTML, as the reader shows it: Markdown's extensions are
    loaded by name, so a bundle that lacks one shows tables as plain text."""
    from companion.content.markdown import to_html, topic_html

    for topic in pack.topics():
        topic_html(pack, topic)
        if _TABLE_RULE.search(topic.body) and "<table" not in to_html(topic.body):
            raise CompanionError(t("selfcheck.no_tables", topic=topic.id))


def check_packs(data_dir: Path) -> Iterator[Step]:
    found = [*packs.bundled_packs(), *packs.installed_packs(data_dir)]
    if not found:
        yield failed(t("selfcheck.pack_what", origin=t("selfcheck.origin.bundled"), path=paths.content_dir()),
                     t("pack.no_manifest"))
    for info in found:
        origin = t(f"selfcheck.origin.{info.origin}")
        try:
            checked = packs.validate(info.root)
            from companion.content.pack import load_pack

            pack = load_pack(info.root).pack
            _render(pack)
            yield ok(t("selfcheck.pack", origin=origin, id=checked.id, version=checked.version,
                       topics=sum(1 for _ in pack.topics()), worksheets=len(pack.templates)))
        except Exception as exc:  # noqa: BLE001 - a self-check reports every failure and goes on
            yield failed(t("selfcheck.pack_what", origin=origin, path=info.root), _short(exc))


def check_workbook(content_root: Path, scratch: Path,
                   window_check: Callable[[object], Step] | None = None) -> Iterator[Step]:
    """Worksheets, a PDF, a share file round trip (and the window) in ``scratch``."""
    from companion.workbook import Workbook

    book = Workbook(scratch / "data", content_root)
    try:
        try:
            created = [book.book.create_worksheet(tp.id, tp.example_title or tp.title, tp.example or {})
                       for tp in book.templates()]
            if not created:
                raise CompanionError(t("export.nothing"))
            yield ok(t_count("selfcheck.worksheets", len(created)))
        except Exception as exc:  # noqa: BLE001
            yield failed(t("selfcheck.worksheets_what"), _short(exc))
            return
        yield _check_pdf(book, created, scratch / "self-check.pdf")
        yield _check_share(book, created, scratch)
        if window_check is not None:
            try:
                yield window_check(book)
            except Exception as exc:  # noqa: BLE001
                yield failed(t("selfcheck.window_what"), _short(exc))
    finally:
        book.close()


def _check_pdf(book, created, out: Path) -> Step:
    try:
        book.sharing.export_pdf([w.id for w in created], out)
        from pypdf import PdfReader

        reader = PdfReader(str(out))
        text = " ".join((page.extract_text() or "") for page in reader.pages[:3])
        words = re.findall(r"[^\W\d_]{4,}", created[0].title)
        if not reader.pages or (words and words[0] not in text):
            return failed(t("selfcheck.pdf_what"), t("selfcheck.pdf_short"))
        return ok(t("selfcheck.pdf", pages=len(reader.pages), size=max(1, out.stat().st_size // 1024)))
    except Exception as exc:  # noqa: BLE001
        return failed(t("selfcheck.pdf_what"), _short(exc))


def _check_share(book, created, scratch: Path) -> Step:
    from companion.workbook import Workbook

    other = Workbook(scratch / "colleague", book.content_root)
    try:
        out = book.sharing.export_share([w.id for w in created], scratch / "self-check.mldshare")
        results = other.sharing.import_paths([Path(out)])
        brought = [other.book.worksheet(r.worksheet_id) for r in results if r.status == "imported"]
        if sorted(map(repr, (w.answers for w in brought))) != sorted(map(repr, (w.answers for w in created))):
            reasons = "; ".join(r.reason for r in results if getattr(r, "reason", ""))
            return failed(t("selfcheck.share_what"), reasons or t("selfcheck.share_differs"))
        return ok(t_count("selfcheck.share", len(brought)))
    except Exception as exc:  # noqa: BLE001
        return failed(t("selfcheck.share_what"), _short(exc))
    finally:
        other.close()


def run(data_dir: Path, window_check: Callable[[object], Step] | None = None) -> Iterator[Step]:
    """Every step, as it is done. ``data_dir`` is only read (for installed
    packs and the pack in use); all writing happens in a temporary folder."""
    yield check_resources()
    yield from check_packs(data_dir)
    with tempfile.TemporaryDirectory(prefix="companion-self-check-") as scratch:
        yield from check_workbook(packs.active_root(data_dir), Path(scratch), window_check)
