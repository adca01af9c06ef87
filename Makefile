# Social Care Benchmark: `make help` lists the targets.
# Every target that runs Python first makes sure .venv exists, so `make report` and `make test`
# work on a fresh clone with nothing installed by hand.

PYTHON      ?= python3
VENV        ?= .venv
BIN         := $(VENV)/bin
STUDY       ?= data/studies/uk-retail-2014-replica
# Languages of the report: en, ja, or both side by side (en,ja). Not LANG, which is the locale variable.
REPORT_LANG ?= en
# Passed to recipes as environment variables, read as "$$STUDY": a path with spaces or quotes stays one argument.
# BASELINE=path/to/earlier/study adds page 07: the study beside its earlier wave.
BASELINE    ?=
export STUDY REPORT_LANG BASELINE
REPLICA     := data/studies/uk-retail-2014-replica
JAPANESE    := data/studies/jp-retail-synthetic
# The replica's synthetic second wave (changes built in, listed in its changes.csv).
RERUN       := data/studies/uk-retail-2015-rerun
# Pinned versions of every package the venv holds: a new upstream release cannot break CI.
CONSTRAINTS := constraints.txt
# The stamp is rebuilt whenever the dependency list or the pins change.
STAMP       := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup report test test-fast bench validate reply-rules lab workshop wheelhouse notebooks data lock clean

## Show this help
help:
	@awk '/^## /{d=substr($$0,4)} /^[a-z][a-z_-]*:/{if(d){split($$1,t,":"); printf "  make %-12s %s\n",t[1],d; d=""}}' $(MAKEFILE_LIST)
	@echo "  Variables: STUDY=path/to/study (default $(STUDY)); REPORT_LANG=en|ja|en,ja (default en); PDF=1 (report);"
	@echo "             BASELINE=path/to/earlier/study (report: compare with it, e.g. STUDY=$(RERUN) BASELINE=$(REPLICA))"

# WHEELHOUSE=folder installs from a `make wheelhouse` folder alone: a room without internet.
WHEELHOUSE  ?=
PIP_SOURCE  := $(if $(WHEELHOUSE),--no-index --find-links "$(WHEELHOUSE)")
# Where `make wheelhouse` writes: outside build/, so `make clean` keeps it.
WHEELS      ?= wheelhouse

# pip prints a line per package it collects and installs (no --quiet): a first install takes minutes,
# and a terminal silent for that long looks hung. Progress bars are off: in a CI log they are noise.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "Setting up $(VENV): installing the pinned packages$(if $(WHEELHOUSE), from $(WHEELHOUSE)) (1-4 minutes the first time)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(PIP_SOURCE) --upgrade pip
	$(BIN)/python -m pip install --progress-bar off $(PIP_SOURCE) -c $(CONSTRAINTS) -e '.[test]'
	@echo "$(VENV) is ready"
	touch $@

## Create .venv and install the suite (runs by itself when needed)
setup: $(STAMP)

## Run every notebook and a scorecard per company on STUDY in each REPORT_LANG; render reports/index.html (PDF=1: PDFs too; BASELINE=earlier study: then and now)
report: $(STAMP)
	$(BIN)/python -m helpers report "$$STUDY" --lang "$$REPORT_LANG" $(if $(PDF),--pdf) $(if $(BASELINE),--baseline "$$BASELINE")

## Run unit, property, notebook (nbval) and end-to-end tests
test: $(STAMP)
	$(BIN)/python -m pytest

## Run the unit and property tests alone: no notebook, no report (under a minute)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" tests

# Sizes of the report benchmark: simulated company counts, and tweets in the TWCS-format archive (0 skips it).
BENCH_SIZES  ?= 100,1000
BENCH_TWEETS ?= 3000000

## Time the report side by side: pool vs sequential papermill, BENCH_SIZES companies, a BENCH_TWEETS archive; template clustering; import-twcs vs pandas; scorecards; lessons
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_report.py --sizes "$(BENCH_SIZES)" --tweets "$(BENCH_TWEETS)"
	$(BIN)/python benchmarks/bench_templates.py
	$(BIN)/python benchmarks/bench_waves.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_scorecards.py
	$(BIN)/python benchmarks/bench_workshop.py

## Check interval coverage and false-positive rates with thousands of simulations (minutes)
validate: $(STAMP)
	$(BIN)/python checks/calibration.py

## Rebuild notebooks/*.ipynb from their reviewable MyST sources (notebooks/*.md), keeping cell ids
# --update, not --sync: after a checkout file times say nothing, and the .md is the source.
notebooks: $(STAMP)
	$(BIN)/jupytext --update --to ipynb notebooks/*.md notebooks/workshop/W*.md

## Open JupyterLab at the project root, on notebooks/workshop/ (LAB_LANG=en|ja hides the other language; LAB_ARGS="--port 8899 --no-browser" passes flags)
# At the root, so that data/, build/ and reports/ can be browsed too; as root it adds --allow-root and says so.
lab: $(STAMP)
	$(BIN)/python -m helpers.workshop.lab $(if $(LAB_LANG),--lang "$(LAB_LANG)") $(LAB_ARGS)

## Write the workshop's learner copies (en, ja) and instructor copies; RESET=W1 (or all) replaces an edited learner copy, keeping a backup
workshop: $(STAMP)
	$(BIN)/python -m helpers workshop $(foreach lesson,$(RESET),--reset "$(lesson)")

## Download every pinned package as a wheel into wheelhouse/ for a room without internet (learners: make setup WHEELHOUSE=path)
# --no-deps: constraints.txt already lists the whole pinned set. Wheels are for this machine's platform and
# Python; prepare them on a machine like the learners' (the teacher's guide says how).
wheelhouse: $(STAMP)
	@echo "Downloading the pinned wheels into $(WHEELS)/ (about 260 MB)"
	$(BIN)/python -m pip download --quiet --dest "$(WHEELS)" --no-deps --only-binary=:all: \
		-r $(CONSTRAINTS) pip setuptools wheel
	@echo "Done: copy $(WHEELS)/ and this project to each machine, then run: make setup WHEELHOUSE=$(WHEELS)"

## Precision and recall of the reply-kind rules on the labelled replies (real and synthetic)
reply-rules: $(STAMP)
	$(BIN)/python checks/reply_rules.py

## Regenerate the bundled synthetic studies byte for byte (fixed seeds)
data: $(STAMP)
	$(BIN)/python -m helpers simulate replica --out $(REPLICA) --overwrite
	$(BIN)/python -m helpers simulate rerun --out $(RERUN) --overwrite
	$(BIN)/python -m helpers simulate japanese --out $(JAPANESE) --overwrite

## Re-pin constraints.txt from the current venv (after changing dependencies)
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > $(CONSTRAINTS)

## Remove executed notebooks, rendered reports and caches (keeps .venv)
clean:
	rm -rf build reports .pytest_cache .hypothesis
