# Every target sets itself up: a fresh clone needs nothing but python3 (>= 3.10).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := data/examples/shanghai-dpf-2022.yaml

# What the PDF output and its tests need (Debian): LibreOffice, the fonts the templates'
# faces map to (templates/manifest.yaml `fonts:`), and poppler to read PDFs back;
# chromium for the browser tests of `docgen serve` (tests/serve, Playwright drives it).
DEBS := libreoffice-writer libreoffice-calc fonts-noto-cjk fonts-crosextra-carlito poppler-utils chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test golden system templates bench clean

# Installs the Debian packages once; elsewhere (no apt-get) the PDF tests skip and say why.
system:
	@if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "system: apt-get not found; install LibreOffice, Noto CJK fonts and poppler yourself, or the PDF tests skip"; \
	elif ! dpkg -s $(DEBS) >/dev/null 2>&1; then \
	  echo "system: installing $(DEBS)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEBS) >/dev/null; \
	fi

$(BIN)/docgen: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The example transcribes published forms with their arithmetic slips, so `docgen
# render` reports errors and exits 1 on it; anything worse (exit 2, a crash) fails.
demo: $(BIN)/docgen
	$(BIN)/docgen render $(EXAMPLE) -o output; rc=$$?; \
	  if [ $$rc -eq 1 ]; then echo "demo: forms written to output/; the findings above are the slips of the published forms"; \
	  elif [ $$rc -ne 0 ]; then exit $$rc; fi

test: $(BIN)/docgen system
	$(BIN)/python -m pytest

# Rewrite the golden page images after an intended layout change (then look at them).
golden: $(BIN)/docgen system
	DOCGEN_GOLDEN=update $(BIN)/python -m pytest tests/visual -q

# The committed templates/ are edited in Word and Excel; `templates` only checks them
# (tags parse, names exist, a trial render with each version's example).
templates: $(BIN)/docgen
	$(BIN)/docgen templates check

# Speed and memory on this machine, in one run (see README, "How long a big book takes");
# about ten minutes on 2 cores.  `make bench BENCH=--small` for a quick look.
bench: $(BIN)/docgen system
	$(BIN)/python scripts/bench.py $(BENCH)

clean:
	rm -rf $(VENV) output build *.egg-info
