"""A PDF written to its file page by page, in memory that does not grow with it.

ReportLab keeps every page of a document (its content as text) until
``save()``, then joins the whole file in memory: an export of a thousand
worksheets held gigabytes. :class:`StreamingCanvas` is ReportLab's canvas
(:class:`companion.export.canvas.Canvas`) that writes each page to the file
when it is finished, compressed, and keeps only its object number:

- the page's content stream at once, always (it names its fonts and forms,
  which the page's resources resolve);
- the page's dictionary and its link annotations at once too, unless it uses a
  form drawn later (:meth:`StreamingCanvas.draw_later`) or links to a place
  not reached yet: those few pages (the contents) are written at the end;
- at :meth:`save`, what only the end knows: the forms drawn later, the fonts
  (subsets of the glyphs used), the bookmarks, the attached files, the page
  tree, the cross-reference table.

The objects are ReportLab's own (``reportlab.pdfbase.pdfdoc``), formatted by
ReportLab; only the order in which they reach the file changes, and the
cross-reference table records where each one went.

A file is attached as an ``/EmbeddedFiles`` name tree in the catalog, which
PDF readers list as attachments (pypdf's ``PdfReader.attachments``).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Callable

from reportlab.pdfbase.pdfdoc import (
    Destination, NoEncryption, PDFArray, PDFCrossReferenceTable, PDFDictionary, PDFIndirectObject, PDFName,
    PDFObject, PDFObjectReference, PDFStream, PDFString, PDFTrailer, PDFZCompress, pdfdocEnc,
)

from companion.export.canvas import Canvas

_HEADER = b"\n%\223\214\213\236 ReportLab Generated PDF document (opensource)\n"


@dataclass(frozen=True)
class Attachment:
    """A file to embed: its name, its bytes compressed with zlib, and its size before."""

    name: str
    deflated: bytes
    size: int


class Deflated:
    """Bytes written in pieces and kept compressed (what a share file of a
    thousand worksheets takes is a fraction of its text)."""

    def __init__(self) -> None:
        self._zip = zlib.compressobj(6)
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if piece := self._zip.compress(data):
            self._parts.append(piece)

    def attachment(self, name: str) -> Attachment:
        """All that was written, as the file ``name`` to attach (once: the stream is closed)."""
        self._parts.append(self._zip.flush())
        return Attachment(name, b"".join(self._parts), self.size)


class _Written(PDFObject):
    """Stands in, in ReportLab's table of objects, for one already in the file."""

    def format(self, document):
        raise AssertionError("an object written to the file was formatted again")


_WRITTEN = _Written()


class StreamingCanvas(Canvas):
    """A canvas whose document goes to ``filename`` as it is drawn (see the module)."""

    def __init__(self, filename, *args, **kwargs) -> None:
        super().__init__(filename, *args, **kwargs)
        self._file = open(filename, "wb", buffering=1 << 20)  # noqa: SIM115 - closed by save() or abandon()
        self._offset = 0
        self._header = "%%PDF-%s.%s" % self._doc._pdfVersion
        self._put(pdfdocEnc(self._header) + _HEADER)
        self._written: set[str] = set()
        self._later: dict[str, tuple[tuple[float, float, float, float], Callable]] = {}
        self._attachments: list[Attachment] = []

    # -- what the writer of a document asks for -----------------------------------------------
    def draw_later(self, name: str, box: tuple[float, float, float, float], draw: Callable) -> None:
        """Draw here the form ``name`` (``box``: its bounding box, in the
        current coordinates), whose drawing ``draw(canvas)`` runs only at
        :meth:`save`, when what it shows (a page number) is known."""
        self.doForm(name)
        self._later[name] = (box, draw)

    def attach(self, attachment: Attachment) -> None:
        """Embed a file in the PDF, as an attachment readers list."""
        self._attachments.append(attachment)

    def abandon(self) -> None:
        """Close the file of a document that failed (its writer removes it)."""
        self._file.close()

    # -- ReportLab's canvas -----------------------------------------------------------------------
    def showPage(self):  # noqa: N802 - ReportLab API
        super().showPage()
        pages = self._doc.Pages.pages
        page = pages[-1]
        stream = PDFStream(content=page.stream, filters=[PDFZCompress] if page.compression else None)
        page.Contents, page.stream = self._doc.Reference(stream), None
        self._write(page.Contents.name)
        if self._complete(page):
            name, annotations = page.__InternalName__, list(page.Annots or ())
            self._write(name)
            for annotation in annotations:
                self._write(annotation.name)
            pages[-1] = PDFObjectReference(name)  # the page tree needs only its number

    def save(self):
        try:
            if len(self._code):
                self.showPage()
            for name, ((x0, y0, x1, y1), draw) in self._later.items():
                self.beginForm(name, x0, y0, x1, y1)
                draw(self)
                self.endForm()
            self._embed()
            self._finish()
        finally:
            self._file.close()

    # -- the file ---------------------------------------------------------------------------------
    def _put(self, data: bytes) -> int:
        offset = self._offset
        self._file.write(data)
        self._offset += len(data)
        return offset

    def _write(self, name: str) -> None:
        """Format the object ``name`` and write it to the file now; keep only where it went."""
        doc = self._doc
        doc.idToOffset[name] = self._put(PDFIndirectObject(name, doc.idToObject[name]).format(doc))
        doc.idToObject[name] = _WRITTEN
        self._written.add(name)

    def _complete(self, page) -> bool:
        """Whether everything ``page`` refers to is known: its forms drawn and its links' targets reached."""
        doc = self._doc
        forms = page.XObjects.dict if page.XObjects else {}
        if any(name not in doc.idToObject for name in forms):
            return False
        for annotation in page.Annots or ():
            target = getattr(doc.idToObject.get(annotation.name), "Destination", None)
            if isinstance(target, Destination) and (target.fmt is None or target.page is None):
                return False
        return True

    def _embed(self) -> None:
        if not self._attachments:
            return
        doc, names = self._doc, []
        for item in self._attachments:
            data = PDFStream(PDFDictionary({
                "Type": PDFName("EmbeddedFile"), "Filter": PDFName("FlateDecode"),
                "Params": PDFDictionary({"Size": item.size})}), item.deflated)
            ref = doc.Reference(data)
            names += [PDFString(item.name), doc.Reference(PDFDictionary({
                "Type": PDFName("Filespec"), "F": PDFString(item.name), "UF": PDFString(item.name),
                "EF": PDFDictionary({"F": ref, "UF": ref})}))]
        doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": PDFArray(names)})})

    def _finish(self) -> None:
        """What ReportLab's ``PDFDocument.GetPDFData`` and ``format`` do, for the
        objects not yet written, writing each to the file rather than joining them."""
        doc = self._doc
        if not isinstance(doc.encrypt, NoEncryption):
            raise ValueError("an encrypted document cannot be written as it is drawn")
        for font in doc.delayedFonts:
            font.addObjects(doc)
        doc.info.invariant = doc.invariant
        doc.info.digest(doc.signature)
        catalog, info = doc.Reference(doc.Catalog), doc.Reference(doc.info)
        doc.Outlines.prepare(doc, self)
        if doc.Outlines.ready < 0:
            doc.Catalog.Outlines = None
        number, ids = 0, []
        while (number := number + 1) in doc.numberToId:  # objects are added while others are formatted
            name = doc.numberToId[number]
            if name not in self._written:
                self._write(name)
            ids.append(name)
        xref = PDFCrossReferenceTable()
        xref.addsection(0, ids)
        start = self._put(xref.format(doc))
        self._put(PDFTrailer(startxref=start, Size=len(ids) + 1, Root=catalog, Info=info, ID=doc.ID()).format(doc))
        header = "%%PDF-%s.%s" % doc._pdfVersion
        if header != self._header:  # something drawn needed a later PDF version: say so where readers look
            self._file.seek(0)
            self._file.write(pdfdocEnc(header))
