"""The one catalogue of user-visible text outside the Qt user interface.

Every message the CLI, the validators and the exporters show a person is
here, looked up by key and passed through gettext, so that a translation
(``resources/locale/<lang>/LC_MESSAGES/companion.mo``) replaces it whole.
The UI uses Qt's own ``tr()`` for its strings.
"""
from __future__ import annotations

import gettext
from functools import lru_cache

CATALOGUE: dict[str, str] = {
    # content packs
    "pack.no_manifest": "no manifest.yaml: this folder is not a content pack",
    "pack.not_folder": "not a folder: {path}",
    "yaml.malformed": "malformed YAML: {detail}",
    "yaml.duplicate_key": "the key '{key}' is given twice",
    "yaml.not_mapping": "expected a set of 'key: value' lines here",
    "field.missing": "'{key}' is missing",
    "field.wrong_type": "'{key}' should be {expected}",
    "id.bad": "the id '{id}' may use only lower-case letters, digits and hyphens",
    "id.duplicate": "the {kind} id '{id}' is used twice (also at {other})",
    "manifest.unknown_module": "the manifest lists module '{id}' but there is no modules/{id}/module.yaml",
    "manifest.unlisted_module": "module '{id}' is not listed in the manifest's 'modules'",
    "module.id_mismatch": "module id '{id}' does not match its folder name '{folder}'",
    "module.no_topics": "module '{id}' has no topics",
    "frontmatter.missing": "no front matter: a topic starts with '---', YAML lines, then '---'",
    "frontmatter.unclosed": "the front matter is not closed by a '---' line",
    "topic.missing_section": "the section '## {heading}' is missing",
    "topic.section_order": "the section '## {heading}' is out of order (expected after '## {previous}')",
    "link.broken": "broken link: there is no {kind} '{id}'",
    "link.unknown_scheme": "unknown link '{target}': use topic:, glossary:, worksheet:, page: or https://",
    "topic.unknown_worksheet": "the topic lists worksheet '{id}', which does not exist",
    "topic.unknown_term": "the topic lists glossary term '{id}', which does not exist",
    "glossary.unknown_see_also": "see_also names '{id}', which is not a glossary term",
    "template.unknown_type": "unknown field type '{type}' (known: {known})",
    "template.no_options": "a {type} field needs a list of {key}",
    "template.no_columns": "a table field needs a list of columns",
    "template.table_in_table": "a table column cannot itself be a table",
    "template.bad_range": "'min' is greater than 'max'",
    "template.unknown_ref": "'{key}' names '{id}', which is not a field of this worksheet",
    "template.unknown_module": "the worksheet's module '{id}' is not a module of this pack",
    "template.id_mismatch": "worksheet id '{id}' does not match its file name '{stem}'",
    "template.bad_chart": "the chart names column '{id}', which is not a column of this table",
    "template.chart_type": "unknown chart type '{type}' (known: grid, timeline)",
    "example.missing": "the worksheet has no worked_example",
    "example.invalid": "worked example: {detail}",
    # the reader
    "reader.worksheets": "Worksheets",
    "reader.glossary": "Glossary",
    "reader.see_also": "See also:",
    # charts
    "chart.manage-closely": "Manage closely",
    "chart.keep-satisfied": "Keep satisfied",
    "chart.keep-informed": "Keep informed",
    "chart.monitor": "Monitor",
    "chart.no_points": "Rate interest and influence in the table to place actors here.",
    "chart.no_bars": "Give activities start and end dates to see them on a timeline.",
    # answers
    "answer.unknown_field": "'{field}' is not a field of this worksheet",
    "answer.unknown_column": "'{column}' is not a column of the table '{field}'",
    "answer.not_text": "'{field}' should be text",
    "answer.not_number": "'{field}' should be a number",
    "answer.not_whole": "'{field}' should be a whole number",
    "answer.not_date": "'{field}' should be a date written YYYY-MM-DD",
    "answer.unknown_option": "'{value}' is not one of the choices for '{field}'",
    "answer.not_list": "'{field}' should be a list of choices",
    "answer.not_rows": "'{field}' should be a list of rows",
    "answer.not_row": "row {row} of '{field}' should be a set of column values",
    "answer.out_of_scale": "'{field}' should be between {min} and {max}",
    "answers.not_mapping": "the answers should be a JSON object of field ids and values",
    # checks on answers (shown to participants beside the field)
    "check.required": "This field is required.",
    "check.advisable": "Worth filling in: it makes the worksheet more useful.",
    "check.below_min": "Enter a number of at least {min}.",
    "check.above_max": "Enter a number no greater than {max}.",
    "check.too_long": "Keep this under {max} characters.",
    "check.date_order": "This date is before the {other} ({other_value}).",
    "check.row_required": "Row {row}: '{column}' is required.",
    "check.row_date_order": "Row {row}: '{column}' is before '{other}'.",
    "check.row_range": "Row {row}: '{column}' should be between {min} and {max}.",
    "check.min_rows": "Add at least {count} rows.",
    # worksheets and storage
    "worksheet.not_found": "there is no worksheet with id {id}",
    "worksheet.unknown_template": "there is no worksheet template '{id}' (see 'companion worksheets templates')",
    "worksheet.empty_title": "a worksheet needs a title",
    "worksheet.copy_title": "{title} (copy)",
    "worksheet.not_in_bin": "worksheet {id} is not in the bin",
    "worksheet.incomplete": "worksheet {id} cannot be marked complete yet: {count} problem(s) to fix first, for example '{field}': {message}",
    "worksheet.earlier_version": "From an earlier version of this worksheet",
    "revision.not_found": "worksheet {id} has no revision {revision}",
    "revision.create": "Created",
    "revision.edit": "Edited",
    "revision.restore": "Restored from revision {revision}",
    "revision.duplicate": "Copied from another worksheet",
    "revision.import": "Imported",
    "db.newer": "this data folder was written by a newer version of the companion (data version {found}; this version reads up to {known}): install the newer version to open it",
    "db.cannot_open": "cannot open the database {path}: {detail}",
    "db.cannot_create": "cannot create the data folder {path}: {detail}",
    # files
    "file.not_found": "{path}: no such file",
    "file.unreadable": "{path}: cannot be read ({detail})",
    "file.bad_json": "{path}: not valid JSON ({detail})",
    "file.cannot_write": "cannot write {path}: {detail}",
    # PDF
    "pdf.generated": "Made with the {app} on {date}",
    "pdf.page": "Page {page}",
    "pdf.status": "Status: {status}",
    "pdf.updated": "Last changed {date}",
    "pdf.template": "Worksheet: {title} (version {version})",
    "pdf.no_answer": "(no answer)",
    "pdf.no_rows": "(no rows)",
    "status.draft": "draft",
    "status.complete": "complete",
    # CLI
    "cli.no_display": "no display found: run the companion in a desktop session, under 'xvfb-run companion', or take a picture of a view with 'companion screenshot OUT.png'",
    "cli.bad_size": "--size should look like 1280x800",
    "cli.bad_view": "--view should be home, glossary, schedule, topic:ID, worksheet:ID or example:TEMPLATE_ID",
    "cli.unknown_topic": "there is no topic '{id}'",
    "cli.pack_valid": "{path}: the content pack is valid ({topics} topics, {worksheets} worksheets, {terms} glossary terms)",
    "cli.pack_invalid": "{count} problem(s) found",
    "cli.created": "created worksheet {id}",
    "cli.exported": "wrote {path}",
    "cli.interrupted": "interrupted",
    # issue 5: export and sharing
    "share.too_big": "the file is larger than {limit} MB: it is not a share file",
    "share.not_text": "the file is not text: it is not a share file",
    "share.not_json": "the file is damaged or cut short (not valid JSON)",
    "share.not_share": "the file is not a worksheet share file",
    "share.future": "the file was made by a newer companion (share format {version}, app {app}): update the companion to import it",
    "share.checksum": "the file's checksum does not match: it was damaged or changed after export",
    "share.empty": "the file holds no worksheet",
    "share.too_many": "the file holds more than {limit} worksheets",
    "share.bad_entry": "worksheet {number} in the file has a missing or wrong '{key}'",
    "share.pdf_no_attachment": "the PDF holds no worksheet: only PDFs exported by the companion can be imported",
    "share.pdf_damaged": "the PDF is damaged and cannot be read",
    "share.unknown_template": "worksheet '{title}' uses the worksheet '{template}', which this companion's content does not have",
    "share.bad_answers": "worksheet '{title}': {detail}",
    "share.unsupported": "not a share file (.mldshare) or a PDF from the companion",
    "import.imported": "imported '{title}' as worksheet {id}",
    "import.duplicate": "'{title}' is already in this workbook (worksheet {id}): nothing new created",
    "import.refused": "{path}: {reason}",
    "import.summary": "{imported} imported, {duplicates} already here, {refused} refused",
    "export.nothing": "there are no worksheets to export",
    "export.no_tables": "worksheet {id} has no table to export as CSV",
    "csv.table": "Table: {label}",
    "pdf.workbook": "Workbook",
    "pdf.contents": "Contents",
    "pdf.cover_count": "{count} worksheets",
    "pdf.cover_date": "Exported on {date}",
    "pdf.cover_pack": "Content: {title}, version {version}",
    "cli.pdf_which": "name the worksheets to export, or --all for the whole workbook",
    "import.nothing": "no share file or companion PDF was found there",
    # issue 6: search, progress, notes, follow-up
    # issue 7: data safety
    # issue 8: installers and content updates
}


@lru_cache(maxsize=1)
def _translation() -> gettext.NullTranslations:
    from companion.paths import resources_dir

    return gettext.translation(
        "companion", localedir=str(resources_dir() / "locale"), fallback=True
    )


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the person's language, filled with ``values``."""
    text = _translation().gettext(CATALOGUE[key])
    return text.format(**values) if values else text
