"""A pack parsed when it is built or installed, kept beside it, read at the first start."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from companion.content import pack as pack_mod
from companion.content import translation as translation_mod
from companion.content.translation import keep_parsed
from companion.content.parsed import built_path, read_built


def _no_parsing(monkeypatch):
    def refuse(root):
        raise AssertionError("parsed again")

    monkeypatch.setattr(pack_mod, "load_pack", refuse)
    monkeypatch.setattr(translation_mod, "load_pack", refuse)


def test_the_first_start_reads_the_pack_parsed_beside_it_wherever_it_was_moved(tmp_path: Path, mini_pack, monkeypatch):
    keep_parsed(mini_pack)
    assert built_path([mini_pack]).is_file()
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
    assert read_built([mini_pack]) is None
    loaded = pack_mod.load_pack_cached(mini_pack, tmp_path / "cache")
    assert loaded.pack.templates["plan"].title == "Changed plan"
    _no_parsing(monkeypatch)
    with pytest.raises(AssertionError):
        pack_mod.load_pack_cached(mini_pack, None)
    built_path([mini_pack]).write_bytes(b"not a pickle")
    assert read_built([mini_pack]) is None


def test_a_translation_is_kept_parsed_over_the_pack_beside_it_that_it_translates(tmp_path: Path, monkeypatch):
    from tests.translated_packs import make_packs

    made = make_packs(tmp_path / "bundle" / "content")
    keep_parsed(made["en"])
    keep_parsed(made["ar"])
    assert built_path([made["ar"]]).is_file()
    assert built_path([made["ar"]]).stat().st_size < built_path([made["en"]]).stat().st_size  # its own parts only
    moved = tmp_path / "unpacked" / "content"
    shutil.copytree(made["ar"].parent, moved)  # every pack and .parsed beside them, as a bundle is unpacked
    monkeypatch.setattr("companion.paths.content_dir", lambda language="en": moved / "en")
    _no_parsing(monkeypatch)
    loaded = translation_mod.load_content(moved / "ar", tmp_path / "data" / "cache")
    assert loaded.pack.language == "ar" and loaded.pack.root == (moved / "ar").resolve()
    english = [tp for tp in loaded.pack.topics() if f"topic:{tp.id}" in loaded.pack.untranslated]
    assert english and all(str(tp.path).startswith(str((moved / "en").resolve())) for tp in english)
    from companion.content import parsed  # the next start compares neither pack's files again

    monkeypatch.setattr(parsed, "contents_key", lambda roots: pytest.fail("compared again"))
    again = translation_mod.load_content(moved / "ar", tmp_path / "data" / "cache")
    assert again.pack.language == "ar" and again.pack.untranslated == loaded.pack.untranslated


@pytest.mark.parametrize("manifest", sorted(Path(__file__).resolve().parents[2].glob("content/*/manifest.yaml")))
def test_a_bundled_manifest_is_read_without_a_yaml_parser_as_the_parser_reads_it(manifest, monkeypatch):
    from companion import yamlfile
    from companion.content.shelf import INFO_KEYS, read_info

    parsed = yamlfile.loads(manifest.read_text(encoding="utf-8"))
    monkeypatch.setattr(yamlfile, "loads", lambda *a: pytest.fail("parsed as YAML"))
    info = read_info(manifest.parent, "bundled")
    assert {k: getattr(info, k) for k in INFO_KEYS} == {k: str(parsed.get(k) or "") for k in INFO_KEYS}


@pytest.mark.parametrize("text", ["id: x\nversion: 1.0\n", "id: x\nlanguage: no\n", "id: 'x'\n", "id: x # a\n",
                                  "id: a\nid: b\n", "id: x\nversion: 2\n", "title: a: b\n"])
def test_a_manifest_yaml_reads_otherwise_is_parsed(text, tmp_path):
    from companion import yamlfile
    from companion.content.shelf import INFO_KEYS, read_info

    (tmp_path / "manifest.yaml").write_text(text, encoding="utf-8")
    info = read_info(tmp_path, "bundled")
    try:
        parsed = yamlfile.loads(text)
    except Exception:
        assert info is None
        return
    expected = {k: str(parsed.get(k) or "") for k in INFO_KEYS}
    assert {k: getattr(info, k) for k in INFO_KEYS} == expected | {"language": expected["language"] or "en"}


def test_a_parse_kept_in_an_older_format_is_parsed_again(tmp_path: Path, mini_pack, monkeypatch):
    from companion.content import parsed

    keep_parsed(mini_pack)
    assert read_built([mini_pack]) is not None
    monkeypatch.setattr(parsed, "FORMAT", parsed.FORMAT + "-next")  # the app reads another format now
    assert read_built([mini_pack]) is None


def test_once_the_parse_matched_the_files_the_next_start_reads_none_of_them(tmp_path: Path, mini_pack, monkeypatch):
    from companion.content import parsed

    keep_parsed(mini_pack)
    cache = tmp_path / "data" / "cache"
    first = pack_mod.load_pack_cached(mini_pack, cache)  # compares the files' bytes once
    _no_parsing(monkeypatch)
    compared = []
    real_key = parsed.contents_key
    monkeypatch.setattr(parsed, "contents_key", lambda roots: compared.append(roots) or real_key(roots))
    again = pack_mod.load_pack_cached(mini_pack, cache)
    assert compared == [] and again.pack.templates.keys() == first.pack.templates.keys()

    plan = mini_pack / "worksheets" / "plan.yaml"  # a file changed: its bytes are compared again
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed again"):
        pack_mod.load_pack_cached(mini_pack, cache)
    assert len(compared) == 1
    assert len(list(cache.glob("built-*"))) == 0  # the mark for the files as they were is gone


def test_a_parse_an_older_version_copied_into_the_data_folder_is_let_go(tmp_path: Path, mini_pack):
    keep_parsed(mini_pack)
    cache = tmp_path / "data" / "cache"
    from companion.timefmt import fingerprint

    slot = fingerprint(str(mini_pack.resolve())).hexdigest()[:8]  # as cached_load names the pack's files
    cache.mkdir(parents=True)
    (cache / f"pack-{slot}-{'0' * 32}.pickle").write_bytes(b"an older version's copy")
    (cache / f"pack-{'f' * 8}-{'0' * 32}.pickle").write_bytes(b"another pack's")
    pack_mod.load_pack_cached(mini_pack, cache)
    assert sorted(p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in cache.iterdir()) == [
        f"built-{slot}", f"pack-{'f' * 8}"]


def test_a_parse_made_again_over_the_same_files_is_compared_again(tmp_path: Path, mini_pack, monkeypatch):
    from companion.content import parsed

    keep_parsed(mini_pack)
    cache = tmp_path / "data" / "cache"
    pack_mod.load_pack_cached(mini_pack, cache)
    made = built_path([mini_pack])
    made.write_bytes(made.read_bytes() + b"\0")  # another parse than the one that matched
    compared = []
    real_key = parsed.contents_key
    monkeypatch.setattr(parsed, "contents_key", lambda roots: compared.append(roots) or real_key(roots))
    pack_mod.load_pack_cached(mini_pack, cache)
    assert len(compared) == 1
