"""A pack parsed when it is built or installed, kept beside it, read at the first start."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from companion.content import pack as pack_mod
from companion.content.pack import keep_parsed
from companion.content.parsed import built_path, read_built


def _no_parsing(monkeypatch):
    def refuse(root):
        raise AssertionError("parsed again")

    monkeypatch.setattr(pack_mod, "load_pack", refuse)


def test_the_first_start_reads_the_pack_parsed_beside_it_wherever_it_was_moved(tmp_path: Path, mini_pack, monkeypatch):
    keep_parsed(mini_pack)
    assert built_path(mini_pack).is_file()
    moved = tmp_path / "elsewhere" / "pack"
    shutil.copytree(mini_pack.parent, moved.parent)  # the pack and .parsed beside it, as a bundle is unpacked
    shutil.rmtree(mini_pack)
    _no_parsing(monkeypatch)
    loaded = pack_mod.load_pack_cached(moved, tmp_path / "data" / "cache")  # no cache in the data folder
    assert loaded.pack.root == moved.resolve() and "plan" in loaded.pack.templates
    assert all(str(topic.path).startswith(str(moved.resolve())) for topic in loaded.pack.topics())


def test_a_pack_changed_since_it_was_parsed_is_parsed_again(tmp_path: Path, mini_pack, monkeypatch):
    keep_parsed(mini_pack)
    plan = mini_pack / "worksheets" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: Action plan", "title: Changed plan"),
                    encoding="utf-8")
    assert read_built(mini_pack) is None
    loaded = pack_mod.load_pack_cached(mini_pack, tmp_path / "cache")
    assert loaded.pack.templates["plan"].title == "Changed plan"
    _no_parsing(monkeypatch)
    with pytest.raises(AssertionError):
        pack_mod.load_pack_cached(mini_pack, None)
    built_path(mini_pack).write_bytes(b"not a pickle")
    assert read_built(mini_pack) is None
