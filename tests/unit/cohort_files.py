"""A course's hand-in folder, as a trainer finds it after the last day: three
participants (three data folders, three profiles), share files and companion
PDFs, one participant who handed their action plan in twice, a file from
before participant ids, and a file that is not a worksheet at all."""
from __future__ import annotations

from pathlib import Path

from companion.export import share as share_format
from companion.workbook import Workbook
from companion.workbook.sharing import ATTACHMENT_NAME
from tests.conftest import BUNDLED_PACK

PEOPLE = [
    ("Amina Yusuf", "City of Addis Ababa", "Planner", "Addis Ababa", "Ethiopia"),
    ("Carlos Pérez", "Municipalidad de Cuenca", "Director", "Cuenca", "Ecuador"),
    ("فاطمة الزهراء", "Commune de Fès", "Cheffe de service", "Fès", "Maroc"),
]
TEMPLATES = {0: ["action-plan", "stakeholder-map", "swot"], 1: ["action-plan", "stakeholder-map"],
             2: ["action-plan", "learning-goals"]}


def as_pdf(share: bytes, out: Path) -> Path:
    """A PDF carrying ``share`` as its attachment, named as the companion's PDFs name it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment(ATTACHMENT_NAME, share)
    with open(out, "wb") as stream:
        writer.write(stream)
    return out


def make_handin(base: Path) -> dict:
    """Write the hand-in folder under ``base``; returns what a test checks against."""
    folder = base / "handin"
    folder.mkdir(parents=True)
    ids = {}
    for n, (name, org, role, city, country) in enumerate(PEOPLE):
        book = Workbook(base / f"participant{n}", BUNDLED_PACK)
        book.book.set_profile({"name": name, "organisation": org, "role": role, "city": city, "country": country})
        made = []
        for template_id in TEMPLATES[n]:
            answers = dict(book.template(template_id).example)
            if template_id == "action-plan" and n == 1:
                answers.update({"sdg-targets": ["sdg-10-7", "sdg-10-c"], "target-groups": ["returnees"],
                                "problem": "Falta informação clara para quem parte"})
                answers["activities"] = answers["activities"][:3]
            made.append(book.book.create_worksheet(template_id, f"{template_id} of {name}", answers).id)
        ids[n] = book.book.participant_id()
        book.sharing.export_share(made, folder / f"participant{n}.mldshare")
        as_pdf(book.sharing.share_bytes(made[:1]), folder / f"participant{n}-plan.pdf")
        if n == 0:  # the action plan changed after it was handed in, and was handed in again
            book.book.save_answers(made[0], {"title": "The second version of the plan"})
            book.sharing.export_share(made[:1], folder / "participant0-again.mldshare")
        book.close()
    old = Workbook(base / "before-ids", BUNDLED_PACK)  # a file written before share files carried anyone
    worksheet = old.book.create_worksheet("swot", "An old SWOT", old.template("swot").example)
    (folder / "old.mldshare").write_bytes(share_format.encode(old.sharing.shared([worksheet.id])))
    old.close()
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\nnot a companion PDF\n")
    return {"folder": folder, "ids": ids}
