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

.PHONY: demo test lint docs golden system templates bench clean

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
# It ends saying, in Chinese, where the forms are and what to run next.
demo: $(BIN)/docgen
	$(BIN)/docgen render $(EXAMPLE) -o output; rc=$$?; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi
	@echo
	@echo "示例单位的表单已生成到 output/ 文件夹（上面的错误是所转录的已公开表单中原有的计算差错）。"
	@echo "打开表单：在文件管理器中打开 output/，用 Word 或 WPS 打开 .docx（Excel 版为 .xlsx）。"
	@echo "用自己的数据："
	@echo "  $(BIN)/docgen workbook --new -o 本单位.xlsx    # 生成填报工作簿，在 Excel 或 WPS 中填写"
	@echo "  $(BIN)/docgen render 本单位.xlsx               # 生成本单位的全部表单"
	@echo "先运行 . $(BIN)/activate，之后直接写 docgen；帮助：docgen --help"

# Layers, style and types (configuration: .importlinter, pyproject.toml), before the suite.
lint: $(BIN)/docgen
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check docgen tests scripts
	$(BIN)/ruff format --check docgen tests scripts
	$(BIN)/mypy

test: lint system
	$(BIN)/python -m pytest

# The documentation site (docs/, mkdocs.yml) into build/site; a broken link fails it.
docs: $(BIN)/docgen
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

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
