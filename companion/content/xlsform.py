"""``companion content import-xlsform``: an XLSForm as a worksheet template of a content pack.

The form (.xlsx) is read within the bounds of any hostile file (its size, its
entries, its rows and cells, no XML DTD) and then by pyxform, which is
imported here only, by this command: neither the app's start nor any other
command loads it. :class:`~companion.content.xlsform_map.Mapper` turns its
questions into fields; each language column (``label::French (fr)``) goes to
the content pack of that language beside the pack named. A row that cannot
be expressed is refused as ``FORM.xlsx:sheet!row: what and why``, and nothing
is written unless the whole form converts and every template it makes loads
and fits (its worked example too).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion import yamlfile
from companion.content.shelf import read_info
from companion.content.xlsform_map import Mapper, RowProblem, make_id
from companion.errors import ContentError, InputError
from companion.files import read_regular, write_atomically
from companion.messages import t, t_count
from companion.worksheets.template import ID_RE, parse_template

MIB = 1024 * 1024
MAX_BYTES = 10 * MIB        # the .xlsx itself
MAX_UNPACKED = 60 * MIB     # its entries, unpacked
MAX_ENTRIES = 500
MAX_ROWS = 5000             # rows of all its sheets
MAX_CELLS = 200_000
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*(?:On the '(\w+)' sheet,\s*)?")
_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\)\s*$")


class FormRefused(InputError):
    """The form cannot become a template: ``problems`` lists each, the message is the first."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


@dataclass
class Imported:
    id: str
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# reading within bounds ---------------------------------------------------------------------
def _check_archive(data: bytes, path: Path) -> None:
    """Refuse an .xlsx that is no zip, is encrypted, or unpacks to more than a form needs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(t("xlsform.not_xlsx", path=path.name)) from None
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise InputError(t("xlsform.too_big", path=path.name, limit=MAX_UNPACKED // MIB))
    if any(i.flag_bits & 0x1 for i in infos):
        raise InputError(t("xlsform.encrypted", path=path.name))
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise InputError(t("xlsform.not_xlsx", path=path.name))
    rows = cells = 0
    try:
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            tail = b""
            with archive.open(info) as stream:
                while chunk := stream.read(256 * 1024):
                    window = tail + chunk
                    if _DTD.search(window):
                        raise InputError(t("xlsform.dtd", path=path.name))
                    if info.filename.startswith("xl/worksheets/"):
                        rows += len(_ROW.findall(chunk))
                        cells += len(_CELL.findall(chunk))
                    tail = chunk[-16:]
            if rows > MAX_ROWS or cells > MAX_CELLS:
                raise InputError(t("xlsform.too_many_rows", path=path.name, rows=MAX_ROWS, cells=MAX_CELLS))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise InputError(t("xlsform.not_xlsx", path=path.name) + f" ({type(exc).__name__})") from None


def _read_form(data: bytes, path: Path) -> tuple[Any, dict]:
    """(pyxform's sheets, pyxform's form) of the .xlsx bytes."""
    try:
        from pyxform.errors import PyXFormError
        from pyxform.xls2json import workbook_to_json
        from pyxform.xls2json_backends import get_xlsform
    except ImportError:
        raise InputError(t("xlsform.no_pyxform")) from None
    try:
        sheets = get_xlsform(io.BytesIO(data), file_type=".xlsx")
        if not sheets.survey:
            raise InputError(t("xlsform.no_survey", path=path.name))
        form = workbook_to_json(sheets, form_name=path.stem, fallback_form_name=path.stem,
                                default_language="default", warnings=[])
    except InputError:
        raise
    except PyXFormError as exc:
        text = " ".join(str(exc).split())
        found = _PYXFORM_ROW.search(text)
        sheet, row = (found.group(2) or "survey", found.group(1)) if found else ("survey", "1")
        detail = _PYXFORM_ROW.sub("", text).strip()[:300]
        raise FormRefused([f"{path.name}:{sheet}!{row}: {detail}"]) from None
    except Exception as exc:  # noqa: BLE001 - a crafted workbook: whatever breaks, one line
        raise InputError(t("xlsform.unreadable", path=path.name, detail=type(exc).__name__)) from None
    return sheets, form


# languages -----------------------------------------------------------------------------------
def language_code(key: str) -> str | None:
    """``French (fr)`` → ``fr``; ``fr`` → ``fr``; ``default`` or a name without a code → None."""
    found = _CODE.search(key)
    if found:
        return found.group(1).lower().replace("_", "-")
    return key.lower() if re.fullmatch(r"[a-z]{2,3}", key) else None


def _language_packs(pack: Path) -> dict[str, Path]:
    """The content packs beside ``pack`` (the folders of ``pack``'s parent), by language."""
    found = {}
    for folder in sorted(pack.parent.iterdir()) if pack.parent.is_dir() else ():
        info = read_info(folder, "source") if folder.is_dir() and folder.resolve() != pack.resolve() else None
        if info is not None:
            found.setdefault(info.language, folder)
    return found


class _Localised:
    """The mapped form's texts in one language, falling back to the main one."""

    def __init__(self, key: str, main: str) -> None:
        self.key, self.main, self.missing = key, main, 0

    def __call__(self, texts: dict[str, str] | None) -> str:
        texts = texts or {}
        if not texts:
            return ""
        value = texts.get(self.key)
        if value is None:
            self.missing += 1
            value = texts.get("default") or texts.get(self.main) or next(iter(texts.values()))
        return value.strip()

    def field(self, f: dict) -> dict:
        out: dict[str, Any] = {}
        for key, value in f.items():
            if key in ("label", "help"):
                if self(value) or key == "label":
                    out[key] = self(value)
            elif key == "options":
                out[key] = [{"id": o["id"], "label": self(o["label"]) or o["id"]} for o in value]
            elif key == "columns":
                out[key] = [self.field(c) for c in value]
            elif key == "constraint":
                out[key] = {"expr": value["expr"], **({"message": self(value["message"])} if value["message"] else {})}
            else:
                out[key] = value
        return out


# the command ---------------------------------------------------------------------------------
def _settings(sheets: Any) -> dict[str, str]:
    rows = list(sheets.settings or [])
    return {str(k): str(v).strip() for k, v in (rows[0] if rows else {}).items() if v not in (None, "")}


def _manifest(pack: Path) -> dict:
    try:
        data = yamlfile.loads((pack / "manifest.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ContentError):
        data = None
    if not isinstance(data, dict):
        raise InputError(t("pack.no_manifest") + f": {pack}")
    return data


def import_xlsform(form: Path, pack: Path, module: str | None = None, replace: bool = False) -> Imported:
    """Write the XLSForm ``form`` as a worksheet template in ``pack`` (and in
    the packs of its other languages beside it); FormRefused lists what cannot be."""
    form, pack = Path(form), Path(pack)
    manifest = _manifest(pack)
    if form.is_dir():
        raise InputError(t("file.not_regular", path=form))
    data = read_regular(form, MAX_BYTES)
    _check_archive(data, form)
    sheets, parsed = _read_form(data, form)
    names = {str(n).lower(): str(n) for n in sheets.sheet_names or ()}
    settings = _settings(sheets)

    def where(problem: RowProblem) -> str:
        return f"{form.name}:{names.get(problem.sheet, problem.sheet)}!{problem.row}: {problem.message}"

    mapper = Mapper(list(sheets.survey or []), list(sheets.choices or []))
    mapper.walk(parsed.get("children") or [])
    mapper.expressions()
    template_id = make_id(settings.get("form_id") or form.stem)
    version = settings.get("version", "1")
    if not ID_RE.match(template_id):
        mapper.refuse(2, "xlsform.bad_name", sheet="settings", name=settings.get("form_id") or form.stem)
    if not version.isdigit() or len(version) > 12:
        mapper.refuse(2, "xlsform.bad_version", sheet="settings", version=version[:40])
    if not any(s["fields"] for s in mapper.sections):
        mapper.refuse(1, "xlsform.no_questions")
    elif not mapper.example:
        mapper.refuse(1, "xlsform.no_example")
    language = str(manifest.get("language") or "en")
    codes = {key: language_code(key) for key in mapper.languages}
    main = next((k for k, c in codes.items() if c == language), "default" if "default" in codes else None)
    if main is None and len(codes) == 1 and None in codes.values():
        main = next(iter(codes))
    if main is None:
        mapper.refuse(1, "xlsform.no_language", language=language, found=", ".join(sorted(codes)) or "-")
    if mapper.problems:
        raise FormRefused([where(p) for p in mapper.problems])
    modules = [str(m) for m in manifest.get("modules") or []]
    module = module or (modules[0] if modules else "")
    title = settings.get("form_title") or str(parsed.get("title") or template_id)
    targets = [(pack, main)]
    others = _language_packs(pack)
    notes = list(mapper.notes)
    for key, code in sorted(codes.items(), key=lambda kv: kv[0]):
        if key == main or code == language:
            continue
        if code is None:
            notes.append(t("xlsform.no_code", language=key))
        elif code in others:
            targets.append((others[code], key))
        else:
            notes.append(t("xlsform.no_pack", language=key, folder=pack.parent))
    files = []
    for target, key in targets:
        text, localised = _render(mapper, template_id, int(version), title, module, key, main, form.name)
        path = target / "worksheets" / f"{template_id}.yaml"
        _check_target(target, path, text, module, replace, mapper)
        if localised.missing and key != main:
            notes.append(t_count("xlsform.fallback", localised.missing, language=key))
        files.append((path, text))
    if mapper.problems:
        raise FormRefused([where(p) for p in mapper.problems])
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"))
    return Imported(template_id, [path for path, _ in files], notes)


def _render(mapper: Mapper, template_id: str, version: int, title: str, module: str, key: str, main: str,
            source: str) -> tuple[str, _Localised]:
    import yaml

    local = _Localised(key, main)
    template: dict[str, Any] = {"id": template_id, "version": version, "title": title, "module": module}
    if mapper.instructions:
        template["instructions"] = "\n\n".join(local(text) for text in mapper.instructions)
    sections, used = [], set()
    for section in mapper.sections:
        if not section["fields"] and not section["help"]:
            continue
        ident, number = section["id"] or "questions", 1
        while (ident if number == 1 else f"{ident}-{number}") in used:
            number += 1
        ident = ident if number == 1 else f"{ident}-{number}"
        used.add(ident)
        out = {"id": ident, "title": local(section["title"]) if section["title"] else title}
        if local(section["help"]):
            out["help"] = local(section["help"])
        out["fields"] = [local.field(f) for f in section["fields"]]
        sections.append(out)
    template["sections"] = sections
    template["worked_example"] = {"answers": mapper.example}
    class Dumper(yaml.SafeDumper):  # paragraphs as blocks, as a trainer would write them
        pass

    Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))
    header = f"# Made from {source} by 'companion content import-xlsform': change the form and import it again.\n"
    return header + yaml.dump(template, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100), local


def _check_target(target: Path, path: Path, text: str, module: str, replace: bool, mapper: Mapper) -> None:
    """The template made for ``target`` loads as any template does, and fits its pack."""
    from companion.worksheets.answers import coerce

    modules = [str(m) for m in _manifest(target).get("modules") or []]
    if module not in modules:
        raise InputError(t("xlsform.unknown_module", module=module, pack=target, known=", ".join(modules) or "-"))
    if path.exists() and not replace:
        raise InputError(t("xlsform.exists", path=path))
    template, problems = parse_template(yamlfile.loads(text), path)
    for problem in problems:
        mapper.refuse(1, "xlsform.template_problem", detail=problem.message)
    if template is None:
        return
    for field_id, value in template.example.items():
        f = template.field(field_id)
        try:
            coerce(f, value)
        except InputError as exc:
            mapper.refuse(mapper.row_by_id.get(field_id, 1), "xlsform.template_problem", detail=str(exc))
