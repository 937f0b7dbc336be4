"""Write consultation-plan.xlsx, the sample XLSForm beside this script.

    python content/samples/make_sample.py
    companion content import-xlsform content/samples/consultation-plan.xlsx --pack content/en --module m2

A trainer's form as XLSForm tools write it: English and French labels,
groups, a repeat, required questions, hints, relevant and constraint
expressions, and an ``example`` column that gives the worked example. This
folder is not a content pack (it has no manifest.yaml): the companion does
not load it and the installer does not carry it.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SURVEY = [
    ("type", "name", "label::English (en)", "label::French (fr)", "hint::English (en)", "hint::French (fr)",
     "required", "relevant", "constraint", "constraint_message::English (en)", "constraint_message::French (fr)",
     "appearance", "example"),
    ("note", "intro", "Plan a consultation with people on the move before you decide for them.",
     "Préparez une consultation avec les personnes en mobilité avant de décider pour elles.",
     None, None, None, None, None, None, None, None, None),
    ("begin_group", "basics", "The consultation", "La consultation", None, None,
     None, None, None, None, None, None, None),
    ("text", "topic", "What will you consult people about?", "Sur quoi consulterez-vous les gens ?",
     "One decision the municipality has to take.", "Une décision que la municipalité doit prendre.",
     "yes", None, None, None, None, None, "Opening hours of the migrant resource centre"),
    ("date", "meeting_date", "Date of the consultation", "Date de la consultation", None, None,
     "yes", None, ". <= today() + 730", "Plan it within two years", "Prévoyez-la dans les deux ans",
     None, "2026-05-12"),
    ("integer", "participants", "How many people do you expect?", "Combien de personnes attendez-vous ?",
     None, None, None, None, ". > 0 and . <= 500", "Between 1 and 500 people", "Entre 1 et 500 personnes",
     None, "40"),
    ("select_one format", "format", "Format", "Format", None, None,
     "yes", None, None, None, None, None, "focus_group"),
    ("decimal", "budget", "Budget (local currency)", "Budget (monnaie locale)", None, None,
     None, None, ". >= 0", "A budget cannot be negative", "Un budget ne peut pas être négatif", None, "1200.5"),
    ("end_group", None, None, None, None, None, None, None, None, None, None, None, None),
    ("begin_group", "inclusion", "Who takes part", "Qui participe", None, None,
     None, None, None, None, None, None, None),
    ("select_multiple groups", "invited", "Which groups will you invite?", "Quels groupes inviterez-vous ?",
     "Invite at least two groups.", "Invitez au moins deux groupes.",
     "yes", None, "count-selected(.) >= 2", "Invite at least two groups", "Invitez au moins deux groupes",
     None, "returnees host_community"),
    ("text", "invited_other", "Which other group?", "Quel autre groupe ?", None, None,
     None, "selected(${invited}, 'other')", "string-length(.) >= 3", "Name the group", "Nommez le groupe",
     None, None),
    ("select_one yes_no", "interpreters", "Will you need interpreters?", "Aurez-vous besoin d'interprètes ?",
     None, None, None, None, None, None, None, None, "yes"),
    ("text", "languages", "Which languages?", "Quelles langues ?", None, None,
     None, "${interpreters} = 'yes'", None, None, None, None, "Arabic, Tigrinya"),
    ("note", "access", "Plan transport and childcare so that people can come.",
     "Prévoyez le transport et la garde d'enfants pour que les gens puissent venir.",
     None, None, None, None, None, None, None, None, None),
    ("end_group", None, None, None, None, None, None, None, None, None, None, None, None),
    ("begin_repeat", "agenda", "Questions to ask", "Questions à poser", None, None,
     None, None, None, None, None, None, None),
    ("text", "question", "Question", "Question", None, None, "yes", None, None, None, None, None,
     "What would make the centre easier to reach?"),
    ("integer", "minutes", "Minutes", "Minutes", None, None, None, None, ". <= 60",
     "At most an hour per question", "Au plus une heure par question", None, "15"),
    ("end_repeat", None, None, None, None, None, None, None, None, None, None, None, None),
    ("begin_group", "followup", "After the consultation", "Après la consultation", None, None,
     None, "string-length(${topic}) > 0", None, None, None, None, None),
    ("date", "report_date", "When will you report back to participants?",
     "Quand rendrez-vous compte aux participants ?", None, None, None, None, ". >= ${meeting_date}",
     "Report back after the consultation", "Rendez compte après la consultation", None, "2026-06-15"),
    ("text", "report_how", "How will you report back?", "Comment rendrez-vous compte ?", None, None,
     None, None, None, None, None, "multiline", "A meeting at the centre and a one-page summary in three languages."),
    ("end_group", None, None, None, None, None, None, None, None, None, None, None, None),
]

CHOICES = [
    ("list_name", "name", "label::English (en)", "label::French (fr)"),
    ("format", "meeting", "Open meeting", "Réunion publique"),
    ("format", "focus_group", "Focus group", "Groupe de discussion"),
    ("format", "survey", "Survey", "Enquête"),
    ("groups", "returnees", "Returnees", "Personnes de retour"),
    ("groups", "diaspora", "Diaspora associations", "Associations de la diaspora"),
    ("groups", "refugees", "Refugees", "Personnes réfugiées"),
    ("groups", "host_community", "Host community", "Communauté d'accueil"),
    ("groups", "other", "Other", "Autre"),
    ("yes_no", "yes", "Yes", "Oui"),
    ("yes_no", "no", "No", "Non"),
]

SETTINGS = [
    ("form_title", "form_id", "version", "default_language"),
    ("Plan a community consultation", "consultation_plan", "1", "English (en)"),
]


def write(out: Path, survey=SURVEY, choices=CHOICES, settings=SETTINGS) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "survey"
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        sheet = book[name] if name in book.sheetnames else book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(out)
    return out


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "consultation-plan.xlsx"))
