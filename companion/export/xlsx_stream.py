"""A small .xlsx writer that streams each sheet's XML straight into the zip.

An .xlsx file is a zip of a few XML parts: the sheets, the workbook that
names them, a styles part and the relations between them. This writer
makes exactly those, with words as inline strings (no shared-string table),
so that a sheet of many thousand rows is written as it is read, in a small
fraction of the time a general-purpose library takes to build and serialise
an element per cell.

What a sheet can have: column widths, its header row frozen, an autofilter
over its rows, and cells styled by a row's *look* (plain, bold, wrapped to
the top, wrapped as a warning) combined with the value's kind: a number, a
date or date-time with its ISO format, words, or words kept as words that a
spreadsheet would otherwise run as a formula (written with a quote prefix).
Control characters an .xlsx cannot hold become "\ufffd".
"""
from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path
from typing import Any, Sequence

from companion.export.spreadsheet import FORMULA_START

PLAIN, BOLD, WRAP, WARNING = 0, 1, 2, 3  # a row's look
_GENERAL, _QUOTED, _DATE, _DATETIME = 0, 1, 2, 3  # a value's kind
_KINDS = 4
WARNING_COLOUR = "FF9B1C1C"

_NEEDS_CARE = re.compile("[&<>\"\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_DAY = _EPOCH.date()
_ROWS_PER_WRITE = 500

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str) -> str:
    """Words as XML text: markup escaped, characters an .xlsx cannot hold replaced."""
    if _NEEDS_CARE.search(text) is None:
        return text
    text = _ILLEGAL.sub("\ufffd", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;"))


def _serial(value: dt.date) -> str:
    """A date or date-time as the spreadsheet's day number."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        delta = value - _EPOCH
        return repr(delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400)
    return str((value - _EPOCH_DAY).days)


def _row(number: int, values: Sequence[Any], letters: Sequence[str], look: int) -> str:
    base = look * _KINDS
    parts = [f'<row r="{number}">']
    append = parts.append
    for letter, value in zip(letters, values):
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            style = base + (_QUOTED if value.startswith(FORMULA_START) else _GENERAL)
            append(f'<c r="{letter}{number}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                   f'{escape(value)}</t></is></c>')
        elif kind is bool:
            append(f'<c r="{letter}{number}" s="{base}" t="b"><v>{int(value)}</v></c>')
        elif kind is int or (kind is float and math.isfinite(value)):
            append(f'<c r="{letter}{number}" s="{base}"><v>{value!r}</v></c>')
        elif isinstance(value, dt.date):
            style = base + (_DATETIME if isinstance(value, dt.datetime) else _DATE)
            append(f'<c r="{letter}{number}" s="{style}"><v>{_serial(value)}</v></c>')
        else:  # anything else is shown as its words
            text = str(value)
            style = base + (_QUOTED if text.startswith(FORMULA_START) else _GENERAL)
            append(f'<c r="{letter}{number}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                   f'{escape(text)}</t></is></c>')
    append("</row>")
    return "".join(parts)


class XlsxStream:
    """``with XlsxStream(path) as book: book.add_sheet(...)``; the file is whole when the block ends."""

    def __init__(self, path: Path | str) -> None:
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._sheets: list[tuple[str, str | None]] = []  # (name, its autofilter's range)

    def __enter__(self) -> "XlsxStream":
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self._finish()
        finally:
            self._zip.close()

    def add_sheet(self, name: str, widths: Sequence[float], header: Sequence[Any],
                  rows: Sequence[Sequence[Any]], *, look: int = PLAIN, first_look: int | None = None,
                  autofilter: bool = True) -> None:
        """A sheet: ``header`` in bold and frozen, then ``rows`` in ``look``
        (the first of them in ``first_look`` if given), each column ``widths`` wide."""
        columns = max(len(widths), len(header), 1)
        letters = [column_letter(n) for n in range(1, columns + 1)]
        last = f"{letters[-1]}{len(rows) + 1}"
        filtered = f"A1:{last}" if autofilter and rows else None
        number = len(self._sheets) + 1
        self._sheets.append((name, filtered))
        with self._zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
            cols = "".join(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
                           for n, w in enumerate(widths, start=1))
            part.write((
                f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{last}"/>'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
                'sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
                + _row(1, header, letters, BOLD)).encode("utf-8"))
            chunk: list[str] = []
            for index, values in enumerate(rows):
                row_look = first_look if index == 0 and first_look is not None else look
                chunk.append(_row(index + 2, values, letters, row_look))
                if len(chunk) >= _ROWS_PER_WRITE:
                    part.write("".join(chunk).encode("utf-8"))
                    chunk.clear()
            tail = "</sheetData>" + (f'<autoFilter ref="{filtered}"/>' if filtered else "")
            part.write(("".join(chunk) + tail + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" '
                        'header="0.5" footer="0.5"/></worksheet>').encode("utf-8"))

    # the parts around the sheets -------------------------------------------------------
    def _finish(self) -> None:
        count = len(self._sheets)
        sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, (name, _f) in enumerate(self._sheets, start=1))
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"{escape(_quoted(name))}!{_absolute(filtered)}</definedName>"
            for n, (name, filtered) in enumerate(self._sheets) if filtered)
        self._put("xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
                  '<bookViews><workbookView activeTab="0"/></bookViews>'
                  f"<sheets>{sheets}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
                  + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
        rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                       for n in range(1, count + 1))
        self._put("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_REL}">{rels}'
                  f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
        self._put("xl/styles.xml", _styles())
        self._put("_rels/.rels", f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                  f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        kinds = "http://schemas.openxmlformats.org/package/2006/content-types"
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>'
                            for n in range(1, count + 1))
        self._put("[Content_Types].xml", f'<Types xmlns="{kinds}">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/xl/workbook.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                  '<Override PartName="/xl/styles.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                  f"{overrides}</Types>")

    def _put(self, name: str, xml: str) -> None:
        self._zip.writestr(name, (_HEAD + xml).encode("utf-8"))


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A1:C9 → $A$1:$C$9."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def _styles() -> str:
    """Fonts (plain, bold, the warning's), the two date formats, and one cell format for each
    look × kind, in the order the cells' style numbers count them."""
    fonts = ('<font><sz val="11"/><name val="Calibri"/></font>'
             '<font><b/><sz val="11"/><name val="Calibri"/></font>'
             f'<font><b/><color rgb="{WARNING_COLOUR}"/><sz val="11"/><name val="Calibri"/></font>')
    look_font = {PLAIN: 0, BOLD: 1, WRAP: 0, WARNING: 2}
    formats = {_GENERAL: 0, _QUOTED: 0, _DATE: 164, _DATETIME: 165}
    cells = []
    for look in (PLAIN, BOLD, WRAP, WARNING):
        for kind in (_GENERAL, _QUOTED, _DATE, _DATETIME):
            font, number = look_font[look], formats[kind]
            attributes = f'numFmtId="{number}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
            attributes += ' applyNumberFormat="1"' if number else ""
            attributes += ' applyFont="1"' if font else ""
            attributes += ' quotePrefix="1"' if kind == _QUOTED else ""
            wrapped = look in (WRAP, WARNING)
            inner = '<alignment vertical="top" wrapText="1"/>' if wrapped else ""
            attributes += ' applyAlignment="1"' if wrapped else ""
            cells.append(f"<xf {attributes}>{inner}</xf>" if inner else f"<xf {attributes}/>")
    return (f'<styleSheet xmlns="{_MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
            '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
            f'<fonts count="3">{fonts}</fonts>'
            '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(cells)}">{"".join(cells)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")

