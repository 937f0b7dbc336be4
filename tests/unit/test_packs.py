"""Content packs from a stick: choosing, packing, installing, and every hostile archive refused."""
from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from companion.content import archive
from companion.workbook import packs
from companion.errors import InputError
from companion.workbook import Workbook
from companion.worksheets import answers as answers_mod
from tests.conftest import MINI_PACK


# helpers -------------------------------------------------------------------------------
def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def newer_pack(folder: Path, version: str = "1.1.0") -> Path:
    """The mini pack, one release later: a topic changed, a topic added, the
    plan at version 2 without 'objective' and with 'partners', a term added."""
    shutil.copytree(MINI_PACK, folder)
    _edit(folder / "manifest.yaml", "version: 1.0.0", f"version: {version}")
    plan = folder / "worksheets" / "plan.yaml"
    _edit(plan, "version: 1\n", "version: 2\n")
    _edit(plan, "      - id: objective\n        type: longtext\n        label: Objective\n        advisable: true\n",
          "      - id: partners\n        type: text\n        label: Partners\n")
    _edit(plan, "    objective: Open a resource centre by 2027.\n", "    partners: The regional office\n")
    topic = folder / "modules" / "core" / "01-why-local.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nA sentence added in 1.1.\n", encoding="utf-8")
    extra = folder / "modules" / "core" / "03-new.md"
    extra.write_text((folder / "modules" / "core" / "02-concepts.md").read_text(encoding="utf-8")
                     .replace("id: core-concepts", "id: core-new").replace("title: ", "title: New ", 1),
                     encoding="utf-8")
    _edit(folder / "glossary.yaml", "terms:\n", "terms:\n  - id: returnee\n    term: Returnee\n"
          "    definition: Someone who came back.\n")
    return folder


def zip_of(folder: Path, out: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> Path:
    """A pack archive of ``folder`` (under one top folder) with ``extra`` entries added."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"mini-en/{path.relative_to(folder).as_posix()}")
        for info, data in extra:
            archive.writestr(info, data)
    return out


@pytest.fixture
def newer(tmp_path: Path) -> Path:
    return newer_pack(tmp_path / "src")


@pytest.fixture
def book(tmp_path: Path):
    workbook = Workbook(tmp_path / "data", MINI_PACK)
    yield workbook
    workbook.close()


def _nothing_installed(book: Workbook, tmp_path: Path) -> None:
    shelf = packs.packs_dir(book.data_dir)
    assert not shelf.exists() or list(shelf.iterdir()) == []
    assert Path(book.content_root) == MINI_PACK and book.pack.version == "1.0.0"
    assert not any(p.name.startswith("evil") for p in tmp_path.rglob("*")), "something was written outside"
    assert not any(p.name.startswith("evil") for p in Path("/tmp").glob("evil*"))


# which pack is in use ----------------------------------------------------------------------
def test_the_bundled_pack_is_used_until_a_newer_one_of_its_language_is_installed(tmp_path, newer, monkeypatch):
    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))
    data = tmp_path / "data"
    assert packs.active_root(data) == MINI_PACK
    shelf = packs.packs_dir(data)
    shelf.mkdir(parents=True)
    older = shutil.copytree(MINI_PACK, shelf / "old-copy")
    _edit(older / "manifest.yaml", "version: 1.0.0", "version: 0.9.0")
    assert packs.active_root(data) == MINI_PACK
    french = shutil.copytree(newer, shelf / "mini-fr")
    _edit(french / "manifest.yaml", "language: en", "language: fr")
    _edit(french / "manifest.yaml", "version: 1.1.0", "version: 3.0.0")
    assert packs.active_root(data) == MINI_PACK
    shutil.copytree(newer, shelf / "mini-en")
    assert packs.active_root(data) == shelf / "mini-en"
    assert Workbook.open(data).pack.version == "1.1.0"
    (shelf / "broken").mkdir()
    (shelf / "broken" / "manifest.yaml").write_text("id: [unclosed\n")
    assert packs.active_root(data) == shelf / "mini-en"


def test_versions_compare_as_numbers():
    assert packs.version_key("1.10.0") > packs.version_key("1.9.9")
    assert packs.version_key("2") == packs.version_key("2.0.0")
    assert packs.version_key("1.0-beta") is None and packs.version_key("") is None


# packing -----------------------------------------------------------------------------------
def test_pack_writes_a_zip_that_installs_and_is_the_same_bytes_each_time(tmp_path, newer, book):
    first = tmp_path / "a.zip"
    info = packs.pack_archive(newer, first)
    assert (info.id, info.version) == ("mini-en", "1.1.0")
    second = tmp_path / "b.zip"
    packs.pack_archive(newer, second)
    assert first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    assert "mini-en/manifest.yaml" in names and all(n.startswith("mini-en/") for n in names)
    assert book.packs.install(first, allow_unsigned=True).status == "installed"


def test_pack_refuses_an_invalid_pack_and_writes_nothing(tmp_path, newer):
    _edit(newer / "modules" / "core" / "01-why-local.md", "topic:m1-coherence", "topic:gone")
    out = tmp_path / "bad.zip"
    with pytest.raises(packs.PackInvalid) as caught:
        packs.pack_archive(newer, out)
    assert "broken link" in str(caught.value) and caught.value.problems
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_pack_refuses_a_bad_version_or_id(tmp_path, newer):
    _edit(newer / "manifest.yaml", "version: 1.1.0", "version: one")
    with pytest.raises(InputError, match="numbers and dots"):
        packs.pack_archive(newer, tmp_path / "x.zip")


# installing --------------------------------------------------------------------------------
FULL_ANSWERS = {
    "name": "Mirazul desk", "story": "It began in 2024.", "people": 12, "started": "2026-01-05",
    "finished": "2026-06-30", "scope": "other", "scope-other": "Two districts", "themes": ["jobs", "health"],
    "confidence": 4, "steps": ["map"],
    "actors": [{"actor": "City council", "interest": 4, "influence": 5}],
}


def test_installing_a_changed_pack_keeps_every_answer_of_existing_worksheets(tmp_path, newer, book, monkeypatch):
    all_fields = book.template("all-fields")
    answers = {k: v for k, v in FULL_ANSWERS.items() if all_fields.field(k) is not None}
    kept = book.book.create_worksheet("all-fields", "Everything", answers)
    plan = book.book.create_worksheet("plan", "Our plan", {
        "title": "One door", "objective": "Open a centre", "activities": [{"activity": "Rent", "budget": 1200}]})
    before = {w.id: book.book.answers(w.id) for w in (kept, plan)}

    report = book.packs.install(zip_of(newer, tmp_path / "mini-1.1.zip"), allow_unsigned=True)

    assert report.status == "installed" and report.path == packs.packs_dir(book.data_dir) / "mini-en"
    assert book.pack.version == "1.1.0" and book.template("plan").version == 2
    diff = report.diff
    assert [i for i, _ in diff.new_topics] == ["core-new"]
    assert [i for i, _ in diff.changed_topics] == ["core-why-local"]
    change = next(c for c in diff.changed_worksheets if c.id == "plan")
    assert (change.old_version, change.new_version, change.added, change.removed) == (1, 2, ["partners"],
                                                                                       ["objective"])
    assert diff.glossary["new"] == 1
    # every answer is still stored, and each is shown: fitting the new template, or from an earlier version
    for worksheet_id, stored in before.items():
        worksheet = book.book.worksheet(worksheet_id)
        assert worksheet.answers == stored
        fitting, earlier = answers_mod.split_answers(book.book.template_of(worksheet), worksheet.answers)
        assert {**fitting, **earlier} == stored
    assert book.book.set_apart(book.book.worksheet(plan.id)) == ('earlier', [("Objective", "Open a centre")])
    # the new field can be answered; the earlier answer is still kept
    book.book.save_answers(plan.id, {"partners": "The regional office"})
    assert book.book.worksheet(plan.id).answers["objective"] == "Open a centre"
    # and the next start uses the installed pack
    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))
    book.close()
    again = Workbook.open(book.data_dir)
    try:
        assert again.pack.version == "1.1.0"
        assert again.book.worksheet(plan.id).answers["objective"] == "Open a centre"
    finally:
        again.close()


def test_a_dry_run_installs_nothing_and_the_same_pack_twice_changes_nothing(tmp_path, newer, book):
    archive = zip_of(newer, tmp_path / "mini.zip")
    assert book.packs.install(archive, dry_run=True).status == "dry-run"
    assert not (packs.packs_dir(book.data_dir) / "mini-en").exists() and book.pack.version == "1.0.0"
    assert book.packs.install(archive, allow_unsigned=True).status == "installed"
    assert book.packs.install(archive, allow_unsigned=True).status == "already"
    assert sorted(p.name for p in packs.packs_dir(book.data_dir).iterdir()) == ["mini-en"]


def test_an_older_pack_another_language_or_one_dropping_a_used_worksheet_is_refused(tmp_path, book):
    older = newer_pack(tmp_path / "older", version="0.9.0")
    with pytest.raises(InputError, match="not newer"):
        book.packs.install(zip_of(older, tmp_path / "older.zip"))
    french = newer_pack(tmp_path / "fr")
    _edit(french / "manifest.yaml", "language: en", "language: fr")
    with pytest.raises(InputError, match="'fr'"):
        book.packs.install(zip_of(french, tmp_path / "fr.zip"))
    dropping = newer_pack(tmp_path / "dropping")
    (dropping / "worksheets" / "all-fields.yaml").unlink()
    book.book.create_worksheet("all-fields", "Mine")
    with pytest.raises(InputError, match="Every field type"):
        book.packs.install(zip_of(dropping, tmp_path / "dropping.zip"))
    _nothing_installed(book, tmp_path)


def test_an_invalid_pack_is_refused_and_the_app_keeps_what_it_had(tmp_path, newer, book):
    _edit(newer / "modules" / "core" / "01-why-local.md", "topic:m1-coherence", "topic:gone")
    with pytest.raises(packs.PackInvalid, match="broken link") as caught:
        book.packs.install(zip_of(newer, tmp_path / "bad.zip"))
    assert "modules/core/01-why-local.md" in str(caught.value) and str(tmp_path) not in str(caught.value)
    _nothing_installed(book, tmp_path)


# hostile archives: each refused, nothing written outside the packs folder, nothing left ---
def _link(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HOSTILE = {
    "parent": ([("mini-en/../../evil.txt", b"x")], "outside the pack folder"),
    "deep-parent": ([("mini-en/modules/../../../evil.txt", b"x")], "outside the pack folder"),
    "absolute": ([("/tmp/evil-absolute.txt", b"x")], "outside the pack folder"),
    "drive": ([("C:/evil.txt", b"x")], "outside the pack folder"),
    "backslash": ([("mini-en\\..\\..\\evil.txt", b"x")], "outside the pack folder"),
    "symlink": ([(_link("mini-en/images/evil-link", "/etc/passwd"), b"/etc/passwd")], "symbolic link"),
    "duplicate": ([("mini-en/MANIFEST.yaml", b"id: x")], "twice"),
    "windows-device": ([("mini-en/images/aux.png", b"x")], "outside the pack folder"),
    "control-character": ([("mini-en/images/evil\x07.png", b"x")], "outside the pack folder"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_entries_are_refused(case, tmp_path, newer, book):
    extra, message = HOSTILE[case]
    archive = zip_of(newer, tmp_path / f"{case}.zip", extra)
    with pytest.raises(InputError, match=message):
        book.packs.install(archive)
    _nothing_installed(book, tmp_path)


def test_a_symlink_already_in_the_way_is_not_followed(tmp_path, newer, book):
    """An entry may not write through a link, even one the archive did not make."""
    archive = zip_of(newer, tmp_path / "ok.zip")
    outside = tmp_path / "outside"
    outside.mkdir()
    real_mkdtemp = packs.tempfile.mkdtemp

    def trap(*args, **kwargs):
        folder = Path(real_mkdtemp(*args, **kwargs))
        (folder / "mini-en").symlink_to(outside)
        return str(folder)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packs.tempfile, "mkdtemp", trap)
        with pytest.raises(InputError, match="outside the pack folder"):
            book.packs.install(archive)
    assert list(outside.iterdir()) == []


def test_huge_uncompressed_sizes_are_refused_before_unpacking(tmp_path, newer, book, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 2 * archive.MIB)
    bomb = ("mini-en/images/evil-zeros.png", b"\0" * (3 * archive.MIB))  # deflates to a few KB
    with pytest.raises(InputError, match="larger than 2 MB"):
        book.packs.install(zip_of(newer, tmp_path / "bomb.zip", [bomb]))
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 1 * archive.MIB)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 300 * archive.MIB)
    with pytest.raises(InputError, match="larger than 1 MB"):
        book.packs.install(zip_of(newer, tmp_path / "big.zip", [bomb]))
    _nothing_installed(book, tmp_path)


def test_a_header_that_lies_about_the_size_is_refused(tmp_path, newer, book):
    archive = zip_of(newer, tmp_path / "lie.zip", [("mini-en/images/evil.png", b"A" * 5000)])
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo("mini-en/images/evil.png")
    # the size fields of the central directory entry and the local header say 10 bytes, not 5000
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"mini-en/images/evil.png"))
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    data[info.header_offset + 22:info.header_offset + 26] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError, match="larger than its header says|damaged"):
        book.packs.install(archive)
    _nothing_installed(book, tmp_path)


def test_thousands_of_files_are_refused(tmp_path, newer, book):
    many = [(f"mini-en/images/evil-{n}.txt", b"") for n in range(archive.MAX_FILES + 1)]
    with pytest.raises(InputError, match="more than 3000 files"):
        book.packs.install(zip_of(newer, tmp_path / "many.zip", many))
    _nothing_installed(book, tmp_path)


@pytest.mark.parametrize("manifest, message", [
    (b"id: [unclosed\nversion: 2.0.0\n", "manifest"),
    (b"- just\n- a list\n", "manifest"),
    (b"\xff\xfe not text", "manifest"),
    (b"id: mini-en\ntitle: T\nlanguage: en\nversion: 2.0.0\nmodules: [core, m1]\nid: again\n", "twice"),
])
def test_malformed_manifests_are_refused(manifest, message, tmp_path, newer, book):
    (newer / "manifest.yaml").write_bytes(manifest)
    with pytest.raises(InputError, match=message):
        book.packs.install(zip_of(newer, tmp_path / "m.zip"))
    _nothing_installed(book, tmp_path)


def test_what_is_not_a_pack_archive_is_refused(tmp_path, newer, book):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a content pack archive"):
        book.packs.install(junk)
    with pytest.raises(InputError, match="no such file"):
        book.packs.install(tmp_path / "missing.zip")
    with pytest.raises(InputError, match="not a content pack archive"):
        book.packs.install(tmp_path)
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    with pytest.raises(InputError, match="no manifest.yaml"):
        book.packs.install(empty)
    two_tops = tmp_path / "two.zip"
    with zipfile.ZipFile(two_tops, "w") as archive:
        archive.writestr("a/manifest.yaml", "id: a")
        archive.writestr("b/manifest.yaml", "id: b")
    with pytest.raises(InputError, match="no manifest.yaml"):
        book.packs.install(two_tops)
    encrypted = zip_of(newer, tmp_path / "enc.zip")
    data = bytearray(encrypted.read_bytes())
    start = data.find(b"PK\x03\x04")
    data[start + 6] |= 0x1  # the "encrypted" flag of the first local header ...
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # ... and of its central directory entry
    encrypted.write_bytes(bytes(data))
    with pytest.raises(InputError, match="encrypted"):
        book.packs.install(encrypted)
    _nothing_installed(book, tmp_path)


def test_leftovers_of_an_interrupted_install_are_cleaned_and_never_used(tmp_path, newer, book):
    shelf = packs.packs_dir(book.data_dir)
    (shelf / ".incoming-crash" / "mini-en").mkdir(parents=True)
    shutil.copytree(newer, shelf / ".incoming-crash" / "mini-en", dirs_exist_ok=True)
    assert packs.installed_packs(book.data_dir) == []
    book.packs.install(zip_of(newer, tmp_path / "mini.zip"), allow_unsigned=True)
    assert sorted(p.name for p in shelf.iterdir()) == ["mini-en"]


def test_what_archivers_add_beside_the_files_is_left_out(tmp_path, newer, book):
    clutter = [("__MACOSX/mini-en/._manifest.yaml", b"\0\5"), ("mini-en/.DS_Store", b"\0"),
               ("mini-en/modules/Thumbs.db", b"\0")]
    report = book.packs.install(zip_of(newer, tmp_path / "finder.zip", clutter), allow_unsigned=True)
    assert report.status == "installed"
    names = {p.name for p in report.path.rglob("*")}
    assert not names & {"__MACOSX", ".DS_Store", "Thumbs.db", "._manifest.yaml"}


def test_a_pack_set_aside_by_an_interrupted_replacement_comes_back(tmp_path, newer, book):
    shelf = packs.packs_dir(book.data_dir)
    shutil.copytree(newer, shelf / ".old-mini-en-x1" / "pack")
    packs._clean_leftovers(shelf)
    assert (shelf / "mini-en" / "manifest.yaml").is_file() and not (shelf / ".old-mini-en-x1").exists()


def test_a_translation_installs_as_the_pack_of_its_language_while_english_is_shown(tmp_path, monkeypatch):
    from tests.translated_packs import make_packs

    made = make_packs(tmp_path / "packs")
    monkeypatch.setenv("COMPANION_CONTENT", str(made["en"]))  # the English pack is the bundled one
    update = tmp_path / "fr-1.1"
    shutil.copytree(made["fr"], update)  # a newer French pack than the one bundled beside the English
    _edit(update / "manifest.yaml", "version: 1.0.0", "version: 1.1.0")
    workbook = Workbook(tmp_path / "data", made["en"])
    try:
        archive_path = zip_of(update, tmp_path / "fr.zip")
        report = workbook.packs.install(archive_path, allow_unsigned=True)
        assert report.status == "installed" and report.info.language == "fr" and report.previous.version == "1.0.0"
        assert workbook.pack.language == "en"  # the window keeps what it shows until the person chooses
        assert workbook.use_language("fr") == "fr"
        assert workbook.pack.version == "1.1.0" and workbook.content_root == report.path
        assert workbook.packs.install(archive_path, allow_unsigned=True).status == "already"
    finally:
        workbook.close()
