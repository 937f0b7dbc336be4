"""A trainer's terminal: an XLSForm imported into a pack, a key made, a pack signed, and a
participant's companion that installs it only from a trusted signer or after agreeing."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINI_PACK, ROOT
from tests.e2e.conftest import one_line
from tests.unit.test_packs import newer_pack, zip_of

SAMPLE = ROOT / "content" / "samples" / "consultation-plan.xlsx"


@pytest.fixture
def run(tmp_path: Path):
    def run(*args: str, stdin: str | None = None):
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update({"COMPANION_CONTENT": str(MINI_PACK), "COMPANION_HOME": str(tmp_path / "home"),
                    "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "laptop")})
        return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=180, input=stdin)
    return run


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_xlsform_becomes_a_worksheet_the_pack_check_accepts(run, tmp_path):
    pytest.importorskip("pyxform")
    pack = shutil.copytree(MINI_PACK, tmp_path / "en")
    done = run("content", "import-xlsform", str(SAMPLE), "--pack", str(pack), "--module", "m1")
    assert done.returncode == 0, done.stderr
    assert f"wrote {pack / 'worksheets' / 'consultation-plan.yaml'}" in done.stdout
    assert "French (fr)" in done.stdout  # no French pack beside it: said, not written
    checked = run("content", "check", str(pack))
    assert checked.returncode == 0 and "3 worksheets" in checked.stdout, checked.stdout + checked.stderr


def test_a_form_with_a_row_it_cannot_express_is_refused_with_its_row_and_nothing_is_written(run, tmp_path):
    pytest.importorskip("pyxform")
    from openpyxl import load_workbook

    pack = shutil.copytree(MINI_PACK, tmp_path / "en")
    before = _tree(pack)
    form = tmp_path / "survey-with-gps.xlsx"
    book = load_workbook(SAMPLE)
    book["survey"].insert_rows(4)
    book["survey"]["A4"], book["survey"]["B4"], book["survey"]["C4"] = "geopoint", "where", "Where is it?"
    book.save(form)
    refused = run("content", "import-xlsform", str(form), "--pack", str(pack))
    assert refused.returncode == 2
    line = one_line(refused)
    assert line.startswith("companion: survey-with-gps.xlsx:survey!4: the question type 'geopoint' is not supported")
    assert refused.stdout.splitlines()[0] == line.removeprefix("companion: ")
    assert _tree(pack) == before
    (tmp_path / "junk.xlsx").write_bytes(os.urandom(4000))
    junk = run("content", "import-xlsform", str(tmp_path / "junk.xlsx"), "--pack", str(pack))
    assert junk.returncode == 2 and "is not an .xlsx workbook" in one_line(junk) and _tree(pack) == before


def _signed_pack(run, tmp_path: Path, name: str = "amina") -> tuple[Path, str]:
    made = run("content", "keygen", "--out", str(tmp_path / name), "--name", "Amina (trainer)")
    assert made.returncode == 0, made.stderr
    fingerprint = made.stdout.split("fingerprint: ")[1].strip()
    source = newer_pack(tmp_path / f"src-{name}")
    archive = tmp_path / f"mini-{name}.zip"
    packed = run("content", "pack", str(source), "--out", str(archive), "--sign", str(tmp_path / f"{name}.key"))
    assert packed.returncode == 0, packed.stderr
    assert f"signed by Amina (trainer) (fingerprint {fingerprint})" in packed.stdout
    return archive, fingerprint


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(run, tmp_path):
    made = run("content", "keygen", "--out", str(tmp_path / "amina"))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE((tmp_path / "amina.key").stat().st_mode) == 0o600
    public = json.loads((tmp_path / "amina.pub").read_text())
    assert public["kind"] == "public" and public["name"] == "amina" and "seed" not in public
    again = run("content", "keygen", "--out", str(tmp_path / "amina"))
    assert again.returncode == 2 and "exists" in one_line(again)
    assert not (tmp_path / "home").exists()  # keygen never touches the data folder


def test_a_pack_signed_by_an_unknown_key_shows_its_fingerprint_and_waits_for_agreement(run, tmp_path):
    archive, fingerprint = _signed_pack(run, tmp_path)
    dry = run("content", "install", str(archive), "--dry-run")
    assert f"fingerprint {fingerprint}), a key this companion does not trust yet" in dry.stdout
    refused = run("content", "install", str(archive))
    assert refused.returncode == 2 and fingerprint in one_line(refused)
    assert not (tmp_path / "home" / "packs" / "mini-en").exists()
    wrong = run("content", "install", str(archive), "--fingerprint", "babab-babab-babab-babab")
    assert wrong.returncode == 2 and "not the fingerprint" in one_line(wrong)
    assert not (tmp_path / "home" / "trusted-keys").exists()
    said = fingerprint.upper().replace("-", " ")  # as the person types the words read out
    agreed = run("content", "install", str(archive), "--fingerprint", said, "--json")
    assert agreed.returncode == 0, agreed.stderr
    report = json.loads(agreed.stdout)
    assert report["status"] == "installed" and report["signer"] == {"name": "Amina (trainer)",
                                                                     "fingerprint": fingerprint}
    assert (tmp_path / "home" / "trusted-keys" / f"{fingerprint}.pub").is_file()


def test_a_trusted_signer_installs_and_one_changed_byte_or_entry_is_refused(run, tmp_path):
    archive, fingerprint = _signed_pack(run, tmp_path)
    piped = run("content", "trust", str(tmp_path / "amina.pub"), stdin="yes\n")
    assert piped.returncode == 2 and "--fingerprint" in one_line(piped)  # no terminal: the words are needed
    private = run("content", "trust", str(tmp_path / "amina.key"), "--fingerprint", fingerprint)
    assert private.returncode == 2 and "is a private key" in one_line(private)
    trusted = run("content", "trust", str(tmp_path / "amina.pub"), "--fingerprint", fingerprint)
    assert trusted.returncode == 0, trusted.stderr

    with zipfile.ZipFile(archive) as original:
        entries = [(info.filename, original.read(info.filename)) for info in original.infolist()]
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries:
            if name == "mini-en/glossary.yaml":
                data = data.replace(b"Returnee", b"Returnea", 1)  # one byte inside one entry
            out.writestr(name, data)
    extra = tmp_path / "extra.zip"
    with zipfile.ZipFile(extra, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries:
            out.writestr(name, data)
        out.writestr("mini-en/pages/extra.md", b"---\nid: extra\ntitle: Extra\n---\nAdded later.\n")
    for bad, said in ((changed, "'mini-en/glossary.yaml' in the signed pack was changed after signing"),
                      (extra, "'mini-en/pages/extra.md', which was added or removed after signing")):
        refused = run("content", "install", str(bad), "--allow-unsigned")
        assert refused.returncode == 2 and said in one_line(refused)
        assert not (tmp_path / "home" / "packs" / "mini-en").exists()

    done = run("content", "install", str(archive))
    assert done.returncode == 0, done.stderr
    assert f"signed by Amina (trainer) (fingerprint {fingerprint}), a trusted key" in done.stdout
    assert "installed mini-en version 1.1.0" in done.stdout


def test_an_unsigned_pack_installs_only_when_the_person_agrees(run, tmp_path):
    archive = zip_of(newer_pack(tmp_path / "src"), tmp_path / "unsigned.zip")
    refused = run("content", "install", str(archive))
    assert refused.returncode == 2 and "not signed" in one_line(refused) and "--allow-unsigned" in refused.stderr
    assert not (tmp_path / "home" / "packs" / "mini-en").exists()
    agreed = run("content", "install", str(archive), "--allow-unsigned")
    assert agreed.returncode == 0 and "not signed: nobody can tell who made this pack" in agreed.stdout


def test_a_private_key_never_goes_into_a_pack_and_a_public_one_cannot_sign(run, tmp_path):
    assert run("content", "keygen", "--out", str(tmp_path / "amina")).returncode == 0
    source = newer_pack(tmp_path / "src")
    shutil.copy(tmp_path / "amina.key", source / "pages" / "notes.txt")
    leaked = run("content", "pack", str(source), "--out", str(tmp_path / "leak.zip"))
    assert leaked.returncode == 2 and "private signing key" in one_line(leaked)
    assert not (tmp_path / "leak.zip").exists()
    (source / "pages" / "notes.txt").unlink()
    public = run("content", "pack", str(source), "--out", str(tmp_path / "p.zip"), "--sign", str(tmp_path / "amina.pub"))
    assert public.returncode == 2 and "signing needs the private key" in one_line(public)
    assert not (tmp_path / "p.zip").exists()
