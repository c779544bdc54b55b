# Every target sets itself up: a fresh clone needs nothing but python3 (>= 3.10).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := data/examples/shanghai-dpf-2022.yaml

.PHONY: demo test templates clean

$(BIN)/docgen: pyproject.toml
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

test: $(BIN)/docgen
	$(BIN)/python -m pytest

# Rebuild the committed .docx/.xlsx templates from their source script.
templates: $(BIN)/docgen
	$(BIN)/python scripts/build_templates.py

clean:
	rm -rf $(VENV) output build *.egg-info
