"""File → Install content from USB… with signed packs: who signed is shown, a trusted signer's
pack is offered as any update, an unknown signer's or an unsigned pack asks first."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from companion.content import signing
from companion.workbook import packs
from tests.unit.test_packs import newer_pack, zip_of

pytest.importorskip("nacl")


def _boxes(monkeypatch, click: str) -> list[dict]:
    """Record each message box (text, informative text, default button); click ``click``."""
    seen = []

    def exec_(box):
        default = box.defaultButton()
        seen.append({"text": box.text(), "info": box.informativeText(), "icon": box.icon(),
                     "default": default.text() if default else None,
                     "buttons": [b.text() for b in box.buttons()]})
        for button in box.buttons():
            if button.text() == click:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: seen.append({"text": text}))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: seen.append({"text": text}))
    return seen


def _signed(tmp_path: Path) -> tuple[Path, signing.PublicKey]:
    _secret, _public, key = signing.keygen(tmp_path / "amina", "Amina (trainer)")
    archive = tmp_path / "signed.zip"
    packs.pack_archive(newer_pack(tmp_path / "src"), archive, key=tmp_path / "amina.key")
    return archive, key


def _choose(monkeypatch, archive: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))


def test_a_pack_of_a_trusted_signer_names_them_and_installs(make_window, monkeypatch, tmp_path):
    window = make_window(tmp_path / "data")
    archive, key = _signed(tmp_path)
    window.workbook.packs.trust(key)
    _choose(monkeypatch, archive)
    seen = _boxes(monkeypatch, "Install")
    window.content_installer.action.trigger()
    box = seen[0]
    assert f"Signed by Amina (trainer) (fingerprint {key.fingerprint}), a key this companion trusts." in box["info"]
    assert box["default"] == "Install" and box["icon"] == QMessageBox.Icon.Question
    assert window.workbook.pack.version == "1.1.0"


def test_a_pack_of_an_unknown_signer_shows_the_fingerprint_and_waits_for_agreement(make_window, monkeypatch,
                                                                                   tmp_path):
    window = make_window(tmp_path / "data")
    archive, key = _signed(tmp_path)
    _choose(monkeypatch, archive)
    seen = _boxes(monkeypatch, "Cancel")
    window.content_installer.action.trigger()
    box = seen[0]
    assert f"Signed by Amina (trainer), fingerprint {key.fingerprint}: a key this companion does not know" \
        in box["info"]
    assert box["default"] == "Cancel" and "Install anyway" in box["buttons"]
    assert box["icon"] == QMessageBox.Icon.Warning
    assert window.workbook.pack.version == "1.0.0" and not (packs.packs_dir(window.workbook.data_dir) / "mini-en").exists()
    seen = _boxes(monkeypatch, "Install anyway")
    window.content_installer.action.trigger()
    assert window.workbook.pack.version == "1.1.0"
    assert not (Path(window.workbook.data_dir) / "trusted-keys").exists()  # agreeing once trusts nobody


def test_an_unsigned_pack_says_so_and_a_changed_signed_pack_is_refused(make_window, monkeypatch, tmp_path):
    window = make_window(tmp_path / "data")
    unsigned = zip_of(newer_pack(tmp_path / "plain"), tmp_path / "unsigned.zip")
    _choose(monkeypatch, unsigned)
    seen = _boxes(monkeypatch, "Cancel")
    window.content_installer.action.trigger()
    assert "This pack is not signed" in seen[0]["info"] and seen[0]["default"] == "Cancel"
    assert window.workbook.pack.version == "1.0.0"

    archive, key = _signed(tmp_path)
    window.workbook.packs.trust(key)
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(changed, "w") as out:
        for info in original.infolist():
            body = original.read(info.filename)
            if info.filename.endswith("01-why-local.md"):
                body = body[:40] + bytes([body[40] ^ 0x20]) + body[41:]  # one letter's case, one byte
            out.writestr(info.filename, body)
    _choose(monkeypatch, changed)
    seen = _boxes(monkeypatch, "Install")
    window.content_installer.action.trigger()
    assert "was changed after signing" in seen[-1]["text"] and window.workbook.pack.version == "1.0.0"
