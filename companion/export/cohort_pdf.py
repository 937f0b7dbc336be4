"""cohort.pdf: a cohort on landscape pages, for the trainer.

1. The first page: the course, the figures, and a notice that the file holds
   participants' personal data and should not be passed on; the worksheet
   templates handed in, numbered.
2. The roster: one row per participant (name, organisation, role, city,
   country), then per template handed in its status (shaded: complete or
   draft), completion, the day last saved and the template's version.
3. Every action plan (objective, target groups, SDG targets, GCM
   objectives, activities, total budget); all activities on one timeline;
   how often each target and objective was chosen, as bars with their counts.
4. The files that could not be read, and why.

Everything printed comes from the cohort's data model, as the spreadsheet
and the database do, so their figures agree.
"""
from __future__ import annotations

from pathlib import Path
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from companion.export import charts, fonts, paper
from companion.export.canvas import Canvas
from companion.export.paper import FAINT, INK, RULE, SHADE, para
from companion.files import atomic_output
from companion.messages import t, t_count
from companion.messages.formats import long_date
from companion.worksheets.template import Chart, Field

COMPLETE_BG = colors.HexColor("#d3ecd9")
DRAFT_BG = colors.HexColor("#fbedc8")
PAGE = landscape(A4)


def number_text(value: float | int | None) -> str:
    """A figure as the report prints it: thousands grouped, at most two decimals."""
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _table(data: list[list], widths: list[float] | None, head: bool = True, extra: list | None = None) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if head else 0, hAlign="LEFT")
    style = [("FONTNAME", (0, 0), (-1, -1), fonts.BODY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("GRID", (0, 0), (-1, -1), 0.4, RULE),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if head:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def _first_page(cohort, st: dict) -> list[Flowable]:
    summary = t("cohort.summary", participants=len(cohort.people), worksheets=len(cohort.worksheets),
                set_aside=cohort.set_aside, not_read=len(cohort.not_read))
    notice = _table([[para(t("cohort.notice"), st["notice"])]], None, head=False, extra=[
        ("BOX", (0, 0), (-1, -1), 1.2, INK), ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7)])
    story: list[Flowable] = [para(cohort.course, st["kicker"]), para(t("cohort.pdf_title"), st["title"]),
                             para(t("cohort.made_on", date=long_date(cohort.made)), st["meta"]),
                             para(summary, st["body"]), Spacer(1, 5 * mm), notice, Spacer(1, 6 * mm),
                             para(t("cohort.templates_heading"), st["section"])]
    rows = [[para(h, st["head"]) for h in (t("cohort.number_short"), t("cohort.template"), t("cohort.handed_in"),
                                          t("cohort.complete"), t("cohort.mean_completion"))]]
    for number, tp in enumerate(cohort.handed_templates(), start=1):
        mine = [w for w in cohort.worksheets if w.template.id == tp.id]
        rows.append([para(number, st["cell"]), para(tp.title, st["cell"]), para(len(mine), st["cell"]),
                     para(sum(w.status == "complete" for w in mine), st["cell"]),
                     para(f"{round(sum(w.completion for w in mine) / len(mine))}%", st["cell"])])
    return story + [_table(rows, [12 * mm, 110 * mm, 28 * mm, 28 * mm, 32 * mm]), PageBreak()]


def _roster(cohort, st: dict, width: float) -> list[Flowable]:
    people = [[para(h, st["head"]) for h in (t("cohort.number_short"), t("cohort.name"), t("cohort.organisation"),
                                            t("cohort.role"), t("cohort.city"), t("cohort.country"),
                                            t("cohort.handed_in"), t("cohort.complete"))]]
    for person, mine in cohort.roster():
        people.append([para(x, st["cell"]) for x in (
            person.number, person.name, person.organisation, person.role, person.city, person.country,
            len(mine), sum(w.status == "complete" for w in mine.values()))])
    story: list[Flowable] = [para(t("cohort.roster_heading"), st["section"]),
                             _table(people, [10 * mm, 55 * mm, 65 * mm, 45 * mm, 35 * mm, 30 * mm, 18 * mm,
                                             18 * mm]), CondPageBreak(60 * mm)]
    templates = cohort.handed_templates()
    story += [para(t("cohort.handed_heading"), st["section"]), para(t("cohort.handed_legend"), st["meta"]),
              Spacer(1, 3)]
    fixed = [9 * mm, 42 * mm]
    cell_w = (width - sum(fixed)) / max(1, len(templates))
    size = max(5.0, min(7.5, (cell_w - 4) / 5.9))  # "2026-05-02" fits the cell
    tiny = paper.styles()["small"].clone("tiny", fontSize=size, leading=size + 1.6)
    titled = cell_w >= 28 * mm  # room for the templates' titles, not only their numbers
    rows = [[para(t("cohort.number_short"), st["head"]), para(t("cohort.name"), st["head"])] +
            [para(f"{n}. {tp.title}" if titled else n, st["head"]) for n, tp in enumerate(templates, start=1)]]
    shading = []
    for r, (person, mine) in enumerate(cohort.roster(), start=1):
        row = [para(person.number, st["cell"]), para(person.name, st["cell"])]
        for c, tp in enumerate(templates, start=2):
            w = mine.get(tp.id)
            if w is None:
                row.append(para("–", tiny))
                continue
            row.append(para(f"{w.completion}%\n{w.saved_text[:10] or '?'}\nv{w.template_version}", tiny))
            shading.append(("BACKGROUND", (c, r), (c, r), COMPLETE_BG if w.status == "complete" else DRAFT_BG))
        rows.append(row)
    return story + [_table(rows, fixed + [cell_w] * len(templates), extra=shading), PageBreak()]


def _plans(cohort, st: dict, width: float) -> list[Flowable]:
    plans = cohort.plans()
    if not plans:
        return []
    fields = {f.id: f for f in cohort.choice_fields()}
    story: list[Flowable] = [para(t("cohort.plans_heading"), st["section"])]
    for plan in plans:
        rows = [[para(t("cohort.objective"), st["head"]), para(plan.objective or "–", st["cell"])]]
        for field_id, labels in plan.chosen.items():
            rows.append([para(fields[field_id].label, st["head"]), para("\n".join(labels) or "–", st["cell"])])
        dated = [a for a in plan.activities if a.start or a.end]
        span = (f"{min(a.start or a.end for a in dated)} – {max(a.end or a.start for a in dated)}"
                if dated else "")
        rows.append([para(t("cohort.activities"), st["head"]),
                     para(t_count("cohort.activities_count", len(plan.activities), span=span), st["cell"])])
        money = f"{number_text(plan.budget)} {plan.currency}".strip()
        rows.append([para(t("cohort.total_budget"), st["head"]), para(money, st["cell"])])
        head = para(f"{plan.person.number}. {plan.person.name} · {plan.worksheet.title}", st["sub"])
        story.append(KeepTogether([head, _table(rows, [60 * mm, width - 60 * mm], head=False)]))
    timeline = [{"label": f"{a.person}. {a.label}", "start": a.start.isoformat() if a.start else None,
                 "end": a.end.isoformat() if a.end else None} for plan in plans for a in plan.activities]
    chart = Field(id="all", type="table", label="", chart=Chart("timeline", {"start": "start", "end": "end",
                                                                             "label": "label"}))
    story += [PageBreak(), para(t("cohort.timeline_heading"), st["section"]),
              para(t("cohort.timeline_note"), st["meta"]),
              *charts.chart_flowables(chart, timeline, width, st["meta"])]
    story += [PageBreak(), para(t("cohort.chosen_heading"), st["section"]),
              para(t("cohort.chosen_note", plans=len(plans)), st["meta"])]
    for f in cohort.choice_fields():
        story += [CondPageBreak(50 * mm), para(f.label, st["sub"]), _bars(cohort.chosen(f), len(plans), st, width)]
    return story


class Bar(Flowable):
    """A bar as long as ``share`` of the width it is given."""

    def __init__(self, share: float, height: float = 7) -> None:
        super().__init__()
        self.share, self.bar_height = share, height

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        self.width, self.height = availWidth, self.bar_height + 2
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFillColor(FAINT)
        self.canv.rect(0, 1, self.width, self.bar_height, stroke=0, fill=1)
        if self.share > 0:
            self.canv.setFillColor(paper.ACCENT)
            self.canv.rect(0, 1, max(1.5, self.width * self.share), self.bar_height, stroke=0, fill=1)


def _bars(counts: list[tuple[str, int]], plans: int, st: dict, width: float) -> Table:
    """How often each option was chosen: the most often first, each with its bar and count."""
    ordered = sorted(enumerate(counts), key=lambda item: (-item[1][1], item[0]))
    top = max((count for _, count in counts), default=0) or 1
    rows = [[para(label, st["cell"] if count else st["meta"]), Bar(count / top), para(count, st["head"])]
            for _, (label, count) in ordered]
    table = Table(rows, colWidths=[width * 0.55, width * 0.35, 14 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, FAINT),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _not_read(cohort, st: dict, width: float) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), para(t("cohort.not_read_heading"), st["section"])]
    if cohort.set_aside:
        story.append(para(t_count("cohort.set_aside", cohort.set_aside), st["body"]))
    if not cohort.not_read:
        return story + [para(t("cohort.all_read"), st["body"])]
    rows = [[para(t("cohort.file"), st["head"]), para(t("cohort.reason"), st["head"])]]
    rows += [[para(n.file, st["cell"]), para(n.reason, st["cell"])] for n in cohort.not_read]
    return story + [_table(rows, [width * 0.4, width * 0.6])]


def write_cohort_pdf(cohort, out: Path) -> Path:
    """Write the cohort report to ``out``, atomically."""
    st = paper.styles()
    with atomic_output(Path(out)) as tmp:
        doc = paper.document(tmp, PAGE, t("cohort.pdf_title"), cohort.language)
        width = doc.width - 12
        story = (_first_page(cohort, st) + _roster(cohort, st, width) + _plans(cohort, st, width)
                 + _not_read(cohort, st, width))
        header = f"{cohort.course} · {t('cohort.pdf_title')}"
        page = paper.decorate(header, t("cohort.footer"))
        doc.build(story, onFirstPage=page, onLaterPages=page, canvasmaker=Canvas)
    return Path(out)
