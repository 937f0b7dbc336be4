"""Realistic workbooks for the benchmarks, made through the app's own API.

Every worksheet is made with ``Workbook.book.create_worksheet`` for a template
of the pack (all of content/en/worksheets/*.yaml in turn), with answers a
participant could have typed: sentences from a word list with some
Portuguese, French and Arabic words, numbers and dates; every table 20-100
rows; about one field in eight left empty. Nothing is a copy of a worked
example, so search, the PDF and the list see as many distinct words as a
real workbook.

The same seed gives the same workbooks. Building 1,000 takes about 20 seconds,
so each size is built once and kept under bench/.data/<key>/<size>/, where
the key hashes this file, the pack's files and the database's migrations
(any change to one of them builds again). A run copies the kept folder into
its own temporary folder and never writes to the kept one.

    python bench/data.py 0 100 300 1000     (builds what is missing, prints the folders)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "en"
STORE = Path(__file__).resolve().parent / ".data"
SEED = 20261201
PROFILE = {"name": "Amina Haddad", "organisation": "Câmara Municipal de Mirazul",
           "role": "Técnica de migração", "city": "Mirazul", "country": "Cabo Verde"}

WORDS = """
local authority municipality council migrants diaspora returnees remittances investment partnership
association centre office service access housing health school language course training skills jobs
employment labour market recognition diploma qualification survey data census indicator baseline target
monitoring evaluation budget plan activity meeting consultation workshop community leaders women youth
families children elders network platform website radio newsletter mayor department social welfare
integration reintegration mobility seasonal workers farmers fishers traders entrepreneurs cooperative
bank transfer fees savings loans project fund match contribution volunteer focal point referral case
counselling legal aid documents registration permit residence identity card municipal library
transport road market water sanitation electricity internet mobile phone information desk helpline
staff team coordinator manager officer trainer facilitator partner ministry agency embassy consulate
university researchers students curriculum mentoring internship apprenticeship start-up business
tourism culture festival heritage sport club church mosque neighbourhood district village region
coast island border city province national regional international cooperation agreement memorandum
review report quarterly annual monthly weekly follow-up evidence source access risk likelihood impact
mitigation owner deadline milestone result output outcome approach strategy message audience channel
""".split()
FOREIGN = """
câmara município associação comunidade emigrantes regresso remessas formação emprego informação
cooperação parceria orçamento avaliação juventude mulheres balcão apoio integração saúde habitação
mairie commune association diaspora retour transferts formation emploi accueil coopération jumelage
budget évaluation jeunesse femmes guichet soutien intégration santé logement quartier élus
بلدية الجالية المهاجرين العودة التحويلات التدريب التشغيل التعاون الشراكة الميزانية الشباب النساء
""".split()
PLACES = ["Mirazul", "Praia", "Mindelo", "Lisboa", "Porto", "Paris", "Lyon", "Marseille", "Dakar", "Tunis",
          "Casablanca", "Rabat", "Boston", "Rotterdam", "Luxembourg", "Santa Maria", "São Filipe", "Assomada"]
VERBS = ["meet", "train", "map", "review", "publish", "open", "support", "contact", "invite", "visit", "fund",
         "register", "translate", "agree", "share", "collect", "report", "follow", "plan", "start"]


def _key(generator: Path = Path(__file__)) -> str:
    """What the kept workbooks were made from: this file, the pack, the migrations."""
    digest = hashlib.blake2b(digest_size=8)
    files = [Path(generator).resolve(), ROOT / "companion" / "storage" / "migrations.py"]
    files += sorted(p for p in CONTENT.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Writer:
    """Plausible text: words, places, numbers, money and dates."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def word(self) -> str:
        r = self.rnd.random()
        if r < 0.12:
            return self.rnd.choice(FOREIGN)
        if r < 0.17:
            return self.rnd.choice(PLACES)
        if r < 0.21:
            return str(self.rnd.choice([self.rnd.randint(2, 60), self.rnd.randint(100, 5000),
                                        f"{self.rnd.randint(1, 99)}%"]))
        if r < 0.23:
            return self.date().strftime(self.rnd.choice(["%d/%m/%Y", "%B %Y", "%Y-%m-%d"]))
        if r < 0.28:
            return self.rnd.choice(VERBS)
        return self.rnd.choice(WORDS)

    def phrase(self, low: int = 2, high: int = 7) -> str:
        text = " ".join(self.word() for _ in range(self.rnd.randint(low, high)))
        return text[:1].upper() + text[1:]

    def sentence(self) -> str:
        text = self.phrase(6, 20)
        if self.rnd.random() < 0.3:
            text += f", {self.rnd.choice(['with', 'for', 'in', 'before', 'after'])} {self.phrase(2, 6).lower()}"
        return text + self.rnd.choice([".", ".", ".", "?", ";", " (to check)."])

    def paragraph(self, low: int = 2, high: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rnd.randint(low, high)))

    def text(self, long: bool, limit: int | None) -> str:
        if long:
            text = "\n\n".join(self.paragraph() for _ in range(self.rnd.randint(1, 3)))
        else:
            text = self.sentence() if self.rnd.random() < 0.6 else self.phrase()
        return text[:limit].rstrip() if limit else text

    def date(self, after: dt.date | None = None) -> dt.date:
        if after is not None:
            return after + dt.timedelta(days=self.rnd.randint(0, 240))
        return dt.date(2025, 1, 1) + dt.timedelta(days=self.rnd.randint(0, 900))


def _value(w: Writer, f, row: dict[str, Any], in_table: bool) -> Any:
    rnd = w.rnd
    kind = f.type
    if kind in ("text", "longtext"):
        return w.text(kind == "longtext", f.max_length) if not in_table else w.phrase(1, 9)[:f.max_length or None]
    if kind == "number":
        low = f.min if f.min is not None else 0
        high = f.max if f.max is not None else max(low + 10, 50_000)
        value = rnd.uniform(low, high)
        return int(value) if f.integer or rnd.random() < 0.7 else round(value, 2)
    if kind == "date":
        earlier = row.get(f.not_before) if f.not_before else None
        return w.date(dt.date.fromisoformat(earlier) if earlier else None).isoformat()
    if kind == "choice":
        return rnd.choice(f.options).id
    if kind in ("multichoice", "checklist"):
        return [o.id for o in f.options if rnd.random() < 0.4]
    if kind == "rating":
        return rnd.choice(list(f.scale()))
    return None


def answers_for(template, rnd: random.Random) -> dict[str, Any]:
    """Answers for every field of ``template`` (some left empty); tables of 20-100 rows."""
    w = Writer(rnd)
    answers: dict[str, Any] = {}
    for f in template.fields():
        if f.type == "computed" or (f.type != "table" and rnd.random() < 0.12):
            continue
        if f.type == "table":
            rows = []
            for _ in range(rnd.randint(20, 100)):
                row: dict[str, Any] = {}
                for column in f.columns:
                    if column.type != "computed" and rnd.random() < 0.92:
                        value = _value(w, column, row, True)
                        if value not in (None, []):
                            row[column.id] = value
                rows.append(row)
            answers[f.id] = rows
            continue
        value = _value(w, f, answers, False)
        if value not in (None, []):
            answers[f.id] = value
    return answers


def build(folder: Path, count: int, seed: int = SEED) -> Path:
    """A data folder with ``count`` worksheets (templates in turn) and a profile."""
    sys.path.insert(0, str(ROOT))
    from companion.workbook import Workbook

    rnd = random.Random(seed)
    workbook = Workbook(folder, content_root=CONTENT)
    try:
        workbook.book.set_profile(PROFILE)
        templates = sorted(workbook.pack.templates.values(), key=lambda tp: tp.id)
        w = Writer(rnd)
        for n in range(count):
            template = templates[n % len(templates)]
            title = f"{template.title}: {w.phrase(1, 4)} {rnd.choice(PLACES)} {n + 1}"[:120]
            workbook.book.create_worksheet(template.id, title, answers_for(template, rnd))
    finally:
        workbook.close()
    return folder


def kept(count: int, seed: int = SEED, say=print) -> Path:
    """The kept data folder of ``count`` worksheets (built if missing)."""
    home = STORE / _key() / (str(count) if seed == SEED else f"{count}-seed{seed}")
    if not (home / ".complete").exists():
        STORE.mkdir(exist_ok=True)
        for old in STORE.iterdir():  # made from another generator, pack or schema (other folders: not ours)
            if old.is_dir() and re.fullmatch(r"[0-9a-f]{16}", old.name) and old.name != home.parent.name:
                shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
        start = time.perf_counter()
        build(home, count, seed)
        (home / ".complete").write_text(f"{count} worksheets, {time.perf_counter() - start:.1f} s to build\n")
        say(f"bench: built {count} worksheets in {time.perf_counter() - start:.1f} s ({home})")
    return home


def copy(count: int, dest: Path, seed: int = SEED, say=print) -> Path:
    """A fresh copy of the kept data folder of ``count`` worksheets at ``dest``, on the disk before
    anything is timed: the system writes a copy out in the background for up to half a minute
    (110 MB for 1,000 worksheets), which would slow the runs measured meanwhile."""
    shutil.copytree(kept(count, seed, say), dest, ignore=shutil.ignore_patterns(".complete", "companion.lock"))
    os.sync()
    return dest


if __name__ == "__main__":
    for size in sys.argv[1:] or ["0", "100", "300", "1000"]:
        print(kept(int(size)))
