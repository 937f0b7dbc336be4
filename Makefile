# One command each, from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast system screenshots bench bench-quick clean bundle bench-bundle catalogue

## the compiled catalogues (.mo) are built from the .po files, not committed
MO := $(patsubst %.po,%.mo,$(wildcard resources/locale/*/LC_MESSAGES/companion.po))
$(MO): %.mo: %.po $(STAMP)
	$(BIN)/python scripts/catalogue.py compile

## make catalogue: the POT from the code, and each language's PO updated from it
catalogue: $(STAMP)
	$(BIN)/python scripts/catalogue.py update

# The course content parsed and kept beside it (content/.parsed/), as the bundle's build and a
# content install do, so that the first start does not parse it.
PARSED := $(patsubst content/%/manifest.yaml,content/.parsed/%.pickle,$(wildcard content/*/manifest.yaml))
$(PARSED): content/.parsed/%.pickle: $(STAMP) $(wildcard companion/content/*.py companion/worksheets/*.py) companion/errors.py \
		$(shell find content -path content/.parsed -prune -o -type f -print)
	$(BIN)/python -c "from companion.content.translation import keep_parsed; keep_parsed('content/$*')"

$(STAMP): pyproject.toml
	bash scripts/setup-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,build]"
	touch $(STAMP)

## make run: install everything and start the app
run: $(STAMP) $(MO) $(PARSED)
	$(BIN)/companion

## make test: install everything and run every test (unit, ui, e2e)
test: $(STAMP) $(MO) $(PARSED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## make screenshots: the pictures in README.md, drawn offscreen
screenshots: $(STAMP) $(PARSED)
	mkdir -p docs/screenshots
	rm -rf /tmp/companion-shots && COMPANION_HOME=/tmp/companion-shots $(BIN)/companion screenshot docs/screenshots/home.png
	COMPANION_HOME=/tmp/companion-shots $(BIN)/companion screenshot docs/screenshots/topic.png --view topic:m2-diaspora-dialogue
	COMPANION_HOME=/tmp/companion-shots $(BIN)/companion screenshot docs/screenshots/example.png --view example:action-plan

clean:
	rm -rf $(VENV) build dist *.egg-info

## make bench: measure every budget against the floor app (not part of the tests; about 13 minutes); figures go to bench/results/
bench: $(STAMP) $(PARSED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

## make bench-quick: the same, few repetitions and a small PDF: a smoke run of the benchmark (about 2 minutes)
bench-quick: $(STAMP) $(PARSED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py --quick

## make bundle: the self-contained app for this system in dist/ (PyInstaller, from the build extra)
bundle: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[build]"
	$(BIN)/python build_installer.py

## make bench-bundle: the built bundle's sizes against their budgets (start-up: make bench)
bench-bundle: bundle
	$(BIN)/python bench/bundle.py
