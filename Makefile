# make demo: set up everything, then run the toolkit on every sample (outputs in out/); check's exit code is
# reported, not fatal: samples/incomplete-solar is incomplete on purpose; a copy of it gets review comments and
# a draft plan and activity list that carry them (out/reviewed-solar/); then a batch of new members
# (samples/solar-program/new-members.xlsx, with bad rows on purpose: its exit 1 is not fatal) applied to a copy
# make test: set up everything, then ruff (lint and format check) and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Japanese fonts for documents, HarfBuzz subsetting for fast font embedding, Pango for WeasyPrint
DEB_PACKAGES := fonts-ipaexfont-gothic fonts-ipaexfont-mincho libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# headless Chromium for the screenshot tests of the HTML pages (tests marked slow; skipped without it)
BROWSER_PACKAGE := chromium-headless-shell
# samples/broken-project is invalid on purpose: the README's example of what validate reports
SAMPLES := $(filter-out samples/broken-project/%,$(sort $(wildcard samples/*/project.yaml samples/*/project.xlsx)))

.PHONY: demo test setup system-deps browser bytecode install-check bench clean

demo: setup
	@rm -rf out && mkdir -p out
	@status=0; for project in $(SAMPLES); do \
	  dir=$$(dirname $$project); name=$$(basename $$dir); \
	  $(BIN)/jcredit validate $$dir --format json > out/$$name.validate.json || status=1; \
	  $(BIN)/jcredit validate $$dir > out/$$name.validate.txt 2>&1 || status=1; \
	  $(BIN)/jcredit calc $$dir --format json > out/$$name.calc.json 2> out/$$name.calc.warnings.txt || status=1; \
	  $(BIN)/jcredit calc $$dir > out/$$name.calc.txt 2>> out/$$name.calc.warnings.txt || status=1; \
	  for doc in plan monitoring activity-list; do \
	    $(BIN)/jcredit render $$doc $$dir -o out/$$name -q > /dev/null || status=1; \
	  done; \
	  for stage in registration verification; do \
	    $(BIN)/jcredit check $$dir --stage $$stage > out/$$name.check-$$stage.txt 2>&1; \
	    $(BIN)/jcredit check $$dir --stage $$stage --format html -o out/$$name/check-$$stage.html -q > /dev/null; \
	  done; \
	  printf '%-16s %s | %s | %s | %s\n' $$name "$$(tail -n 1 out/$$name.validate.txt)" "$$(grep -E '認証対象' out/$$name.calc.txt)" "check: $$(tail -n 1 out/$$name.check-verification.txt)" "$$(ls out/$$name | wc -l) files in out/$$name/"; \
	done; \
	$(BIN)/python tools/second_version.py out/led-factory-v2 > /dev/null; \
	$(BIN)/jcredit diff samples/led-factory out/led-factory-v2 > out/led-factory.diff.txt || status=1; \
	$(BIN)/jcredit diff samples/led-factory out/led-factory-v2 --format html -o out/led-factory.diff.html -q > /dev/null || status=1; \
	echo "diff: samples/led-factory -> out/led-factory-v2 (out/led-factory.diff.txt, .html): $$(sed -n '/^変更/,$$p' out/led-factory.diff.txt | tr -s ' \n' ' ')"; \
	review=out/reviewed-solar-project; rm -rf $$review && cp -r samples/incomplete-solar $$review && \
	$(BIN)/jcredit review add $$review proponent.postal_code "登記簿の住所の郵便番号を記入してください" --author コーチ --blocking > /dev/null && \
	$(BIN)/jcredit review add $$review "activities[2].commissioned_on" "運転開始日は系統連系の日付ですか" --author コーチ > /dev/null && \
	$(BIN)/jcredit review reply $$review C2 "連系日です（電力会社の通知書のとおり）" --author 申請者 > /dev/null && \
	$(BIN)/jcredit render plan $$review -o out/reviewed-solar --format pdf,docx -q > /dev/null && \
	$(BIN)/jcredit render activity-list $$review -o out/reviewed-solar --format pdf,docx -q > /dev/null && \
	$(BIN)/jcredit review export $$review -o out/reviewed-solar.review.xlsx -q > /dev/null && \
	printf '%-16s %s | %s\n' reviewed-solar "$$($(BIN)/jcredit review list $$review | tail -n 1)" "draft plan with comments: out/reviewed-solar/" || status=1; \
	rm -rf out/batch-program && cp -r samples/solar-program out/batch-program; \
	$(BIN)/jcredit batch out/batch-program samples/solar-program/new-members.xlsx -o out/batch --workers 2 > out/batch.txt 2>&1; \
	$(BIN)/jcredit batch apply out/batch-program out/batch >> out/batch.txt 2>&1 || status=1; \
	printf '%-16s %s | %s\n' batch "$$(grep -E '受付' out/batch.txt)" "$$(tail -n 1 out/batch.txt)"; \
	echo "outputs: out/ ($$(find out -type f | wc -l) files)"; exit $$status

test: setup
	$(BIN)/ruff check toolkit tests benchmarks tools samples/make_samples.py
	$(BIN)/ruff format --check toolkit tests benchmarks tools samples/make_samples.py
	$(BIN)/python -m pytest

setup: system-deps browser $(VENV)/.installed bytecode

# the bytecode a regular (wheel) install compiles when installing; an editable install leaves it to the first
# import, which a machine with PYTHONDONTWRITEBYTECODE set (many container images) never writes: every command
# would compile the toolkit from source again (0.06 s of calc's 2.2 s on a large program)
bytecode: $(VENV)/.installed
	@$(BIN)/python -m compileall -q toolkit

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

system-deps:
	@command -v dpkg-query >/dev/null || { echo "dpkg-query not found: install these Debian packages by hand: $(DEB_PACKAGES)"; exit 1; }
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done | xargs); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: $$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages / 不足している Debian パッケージ: $$missing"; \
	    echo "Run / 次を実行してください:  sudo apt-get install -y $$missing"; \
	    exit 1; \
	  fi; \
	fi

# Not fatal: only the slow screenshot tests need it, and they say how to get it when it is missing.
browser:
	@if command -v chromium-headless-shell >/dev/null || command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian package: $(BROWSER_PACKAGE)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(BROWSER_PACKAGE) \
	    || echo "could not install $(BROWSER_PACKAGE): the screenshot tests will be skipped"; \
	else \
	  echo "Missing Debian package / 不足している Debian パッケージ: $(BROWSER_PACKAGE) (the screenshot tests are skipped without it)"; \
	  echo "Run / 次を実行してください:  sudo apt-get install -y $(BROWSER_PACKAGE)"; \
	fi

# A plain (non-editable) install in a fresh venv, run from outside the checkout.
install-check: setup
	@rm -rf build/install-check && $(PYTHON) -m venv build/install-check
	build/install-check/bin/python -m pip install -q .
	cd /tmp && $(CURDIR)/build/install-check/bin/jcredit --version
	cd /tmp && $(CURDIR)/build/install-check/bin/jcredit validate $(CURDIR)/samples/solar-program
	cd /tmp && $(CURDIR)/build/install-check/bin/python -m toolkit validate $(CURDIR)/samples/rice-drainage -q
	cd /tmp && $(CURDIR)/build/install-check/bin/jcredit render plan $(CURDIR)/samples/solar-program -o $(CURDIR)/build/install-check/out -q

bench: setup
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_calc.py
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_check_forms.py --runs 1
	$(BIN)/python benchmarks/bench_activity_list.py --runs 1
	$(BIN)/python benchmarks/bench_diff.py
	$(BIN)/python benchmarks/bench_review.py --runs 1
	$(BIN)/python benchmarks/bench_pages.py --render
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf out build .venv *.egg-info
