"""Small content packs of three languages over the English test pack, written
into a folder by the test: ``en`` (the mini pack, with a knowledge check and
a city file), ``fr`` and ``es`` (complete translations) and ``ar`` (partial:
the core module's first topic, the action plan, one glossary term, the
schedule). Every id is the English one; only the words change."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import MINI_PACK

SECTIONS = {
    "fr": ["Objectifs d'apprentissage", "Idées clés", "Exemple pratique", "Questions pour votre ville",
           "Pour aller plus loin"],
    "es": ["Objetivos de aprendizaje", "Ideas clave", "Ejemplo práctico", "Preguntas para su ciudad",
           "Lecturas complementarias"],
    "ar": ["أهداف التعلم", "الأفكار الرئيسية", "مثال تطبيقي", "أسئلة لمدينتك", "قراءات إضافية"],
}
KEYS = ["objectives", "ideas", "example", "reflect", "reading"]
TITLES = {  # topic id: (fr, es, ar)
    "core-why-local": ("Pourquoi le local", "Por qué lo local", "لماذا المستوى المحلي"),
    "core-concepts": ("Notions clés", "Conceptos clave", "مفاهيم أساسية"),
    "m1-coherence": ("Cohérence des politiques", "Coherencia de las políticas", "اتساق السياسات"),
}
IDEAS = {  # words the search tests look for, written with their accents and marks
    "fr": "L'intégration des émigrés passe par la façade de la mairie et les [diasporas](glossary:diaspora).",
    "es": "La migración y la niñez cuentan; el año de la [diáspora](glossary:diaspora) también.",
    "ar": "الهِجْرَةُ والتنمية المحلية في المدينة، مؤتمر [الشتات](glossary:diaspora) الإقليمي.",
}
WORDS = {  # English label or title: (fr, es, ar)
    "Action plan": ("Plan d'action", "Plan de acción", "خطة العمل"),
    "The plan": ("Le plan", "El plan", "الخطة"),
    "Title": ("Titre", "Título", "العنوان"),
    "Objective": ("Objectif", "Objetivo", "الهدف"),
    "Activities": ("Activités", "Actividades", "الأنشطة"),
    "Activity": ("Activité", "Actividad", "النشاط"),
    "Start": ("Début", "Inicio", "البداية"),
    "End": ("Fin", "Fin", "النهاية"),
    "Budget": ("Budget", "Presupuesto", "الميزانية"),
    "Scope": ("Portée", "Alcance", "النطاق"),
    "City": ("Ville", "Ciudad", "المدينة"),
    "Region": ("Région", "Región", "الإقليم"),
    "Other": ("Autre", "Otro", "أخرى"),
    "Themes": ("Thèmes", "Temas", "المواضيع"),
    "Health": ("Santé", "Salud", "الصحة"),
    "Jobs": ("Emplois", "Empleos", "الوظائف"),
    "Housing": ("Logement", "Vivienda", "السكن"),
}
LANGUAGES = ("fr", "es", "ar")


def _word(text: str, language: str) -> str:
    found = WORDS.get(text)
    return found[LANGUAGES.index(language)] if found else f"{text} ({language})"


def _translate(data, language: str):
    """Every label, title, help and summary of loaded YAML in ``language``; ids as they are."""
    if isinstance(data, dict):
        return {key: _word(value, language) if key in ("label", "title", "help", "summary") and isinstance(value, str)
                else value if key == "chart" else _translate(value, language) for key, value in data.items()}
    if isinstance(data, list):
        return [_translate(value, language) for value in data]
    return data


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _topic(path: Path, ident: str, title: str, headings: list[str], ideas: str, extra: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(f"## {heading}\n\n{text}" for heading, text in zip(headings, [
        "- Objective.", ideas, f"**Illustrative example** Mirazul: {{{{city:plan.people}}}}. {extra}",
        "- ?", "- A public document, Publisher, 2018."]))
    path.write_text(f"---\nid: {ident}\ntitle: {title}\nsummary: {title}.\nworksheets: [plan]\n"
                    f"glossary: [diaspora]\n---\n\n{body}\n", encoding="utf-8")


def _check(path: Path, topic: str, language: str) -> None:
    word = {"en": "Option", "fr": "Option", "es": "Opción", "ar": "خيار"}[language]
    _dump(path, {"topic": topic, "key_messages": [f"{word} 1.", f"{word} 2.", f"{word} 3."], "questions": [
        {"id": f"q{n}", "kind": "single", "text": f"{word} {n}?", "options": [
            {"id": "a", "text": f"{word} a", "correct": True, "feedback": f"{word} a."},
            {"id": "b", "text": f"{word} b", "correct": False, "feedback": f"{word} b."}]}
        for n in (1, 2, 3)]})


def _city(path: Path, value: str, label: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\nid: mirazul\ntitle: Mirazul\ncity:\n  plan.people:\n    value: \"{value}\"\n"
                    f"    label: {label}\n---\nMirazul.\n", encoding="utf-8")


def make_english(root: Path) -> Path:
    en = root / "en"
    shutil.copytree(MINI_PACK, en)
    english = ["Learning objectives", "Key ideas", "Practice example", "Questions for your city", "Further reading"]
    for module, ident, title in (("core", "core-why-local", "Why local"), ("core", "core-concepts", "Key concepts"),
                                 ("m1", "m1-coherence", "Policy coherence")):
        name = {"core-why-local": "01-why-local.md", "core-concepts": "02-concepts.md",
                "m1-coherence": "01-coherence.md"}[ident]
        _topic(en / "modules" / module / name, ident, title, english,
               "The [diaspora](glossary:diaspora) matters for integration of emigrants and childhood.")
    _check(en / "checks" / "core-why-local.yaml", "core-why-local", "en")
    _city(en / "pages" / "mirazul.md", "1,500", "people given information by the centre")
    return en


def make_translation(root: Path, language: str, partial: bool = False) -> Path:
    """A pack of ``language`` translating ``root/en``; ``partial``: only part of it."""
    en, pack = root / "en", root / language
    manifest = yaml.safe_load((en / "manifest.yaml").read_text(encoding="utf-8"))
    manifest.update(id=f"mini-{language}", title=f"Mini ({language})", language=language,
                    translation_of="mini-en", sections=dict(zip(KEYS, SECTIONS[language])))
    _dump(pack / "manifest.yaml", manifest)
    index = LANGUAGES.index(language)
    topics = [("core", "01-why-local.md", "core-why-local")]
    if not partial:
        topics += [("core", "02-concepts.md", "core-concepts"), ("m1", "01-coherence.md", "m1-coherence")]
    for module in {m for m, _, _ in topics}:
        data = yaml.safe_load((en / "modules" / module / "module.yaml").read_text(encoding="utf-8"))
        _dump(pack / "modules" / module / "module.yaml", {**data, "title": f"{data['title']} ({language})"})
    for module, name, ident in topics:
        _topic(pack / "modules" / module / name, ident, TITLES[ident][index], SECTIONS[language], IDEAS[language])
    _check(pack / "checks" / "core-why-local.yaml", "core-why-local", language)
    terms = yaml.safe_load((en / "glossary.yaml").read_text(encoding="utf-8"))["terms"]
    terms = [{**term, "term": f"{term['term']} ({language})"} for term in terms[: 1 if partial else None]]
    _dump(pack / "glossary.yaml", {"terms": [{**terms[0], "see_also": []}] if partial else terms})
    for name in ["plan.yaml"] + ([] if partial else ["all-fields.yaml"]):
        data = yaml.safe_load((en / "worksheets" / name).read_text(encoding="utf-8"))
        _dump(pack / "worksheets" / name, _translate(data, language))
    (pack / "pages").mkdir(parents=True, exist_ok=True)
    (pack / "pages" / "schedule.md").write_text(
        f"---\nid: schedule\ntitle: {_word('The plan', language)}\n---\n## 1\n[x](topic:core-why-local) "
        f"[y](worksheet:plan)\n", encoding="utf-8")
    if not partial:
        _city(pack / "pages" / "mirazul.md", "1 500" if language == "fr" else "1.500", "personnes informées")
    return pack


def make_packs(root: Path) -> dict[str, Path]:
    """``en``, complete ``fr`` and ``es``, partial ``ar``, side by side in ``root``."""
    return {"en": make_english(root), "fr": make_translation(root, "fr"), "es": make_translation(root, "es"),
            "ar": make_translation(root, "ar", partial=True)}
