# site-gen — GNU make, no configure step.  Local overrides go in config.mk.
-include config.mk

PREFIX   ?= /usr/local
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=
CC       ?= cc
PKGS      = libcmark-gfm libxml-2.0 libgit2 yaml-0.1 libmicrohttpd nettle libzip
CFLAGS   ?= -O2 -g
SG_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
SG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lcsv -lm -pthread
BUILD    ?= build
# The allocator of the site-gen binary: a build makes and frees millions of
# small strings on several threads, where mimalloc is a quarter faster
# than glibc's malloc.  Sanitizer and fuzzing builds keep the libc one
# (MALLOC_LIB=) so that their interceptors see every allocation.
MALLOC_LIB ?= -lmimalloc

SRCS = $(filter-out site-gen/main.c,$(wildcard site-gen/*.c))
OBJS = $(SRCS:site-gen/%.c=$(BUILD)/%.o) $(BUILD)/embedded.o
# The files the binary carries (data.h): the default theme and the
# templates.  Their folders are prerequisites too, so that adding or
# removing a file regenerates the list.
EMBED_FILES := $(shell find themes/default -type f ! -name '.*' 2>/dev/null | LC_ALL=C sort) \
               $(sort $(wildcard schemas/*.yml)) $(sort $(wildcard schemas/checks/*.yml))
EMBED_DIRS  := $(shell find themes/default -type d 2>/dev/null) schemas schemas/checks
TEST_SRCS = $(wildcard tests/*.c tests/unit/*.c tests/e2e/*.c) tests/fuzz/targets.c
# The tests read site-gen's JSON with libjansson, a reader of their own.
TEST_PKGS = criterion jansson
TEST_OBJS = $(TEST_SRCS:%.c=$(BUILD)/%.o)

# Debian packages this needs: the -dev libraries, the tools the tests use,
# and the PDF's typesetting engine with the CJK fonts it embeds.
DEB_PKGS = libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libgit2-dev \
           libyaml-dev libcsv-dev libcriterion-dev libmicrohttpd-dev mandoc \
           libmimalloc-dev nettle-dev libjansson-dev libzip-dev pkg-config \
           weasyprint fonts-noto-cjk poppler-utils

# The browser tests: Debian's Chromium (and CJK fonts, so that layout is
# measured with real glyphs), Java for the Nu HTML Checker, Node.js, and
# the npm packages pinned in tests/browser/package-lock.json (axe-core,
# playwright-core, Lighthouse, vnu-jar).
BROWSER_DIR      = tests/browser
BROWSER_DEB_PKGS = chromium fonts-noto-cjk default-jre-headless

.PHONY: all site test deps clean install asan tsan valgrind check-deps \
        browser-deps browser-test fuzz bench lint-man golden

all: check-deps $(BUILD)/site-gen

check-deps:
	@pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && [ -f /usr/include/csv.h ] && \
	  { [ -z "$(MALLOC_LIB)" ] || [ -f /usr/include/mimalloc.h ]; } || \
	  { echo "missing libraries: run 'make deps' (installs Debian packages)"; exit 1; }

# Installs only what is missing; needs root (or sudo) and Debian's apt.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "all build dependencies are installed"; fi

$(BUILD)/%.o: site-gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SG_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/embedded.c: tools/embed.sh $(EMBED_FILES) $(EMBED_DIRS)
	@mkdir -p $(dir $@)
	sh tools/embed.sh $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/embedded.o: $(BUILD)/embedded.c site-gen/data.h
	$(CC) $(SG_CFLAGS) -Isite-gen $(CFLAGS) -c $< -o $@

$(BUILD)/libsg.a: $(OBJS)
	$(AR) rcs $@ $^

$(BUILD)/site-gen: $(BUILD)/main.o $(BUILD)/libsg.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SG_LIBS) $(MALLOC_LIB)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SG_CFLAGS) -Isite-gen -Itests $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/run-tests: $(TEST_OBJS) $(BUILD)/libsg.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SG_LIBS) $(shell pkg-config --libs $(TEST_PKGS))

# The bundled example site: the 2024 report in content/.
site: deps
	$(MAKE) all
	$(BUILD)/site-gen build

# Every test.  SG_BIN tells the end-to-end tests which binary to run.
test: deps
	$(MAKE) all $(BUILD)/run-tests
	$(MAKE) lint-man
	SG_BIN=$(abspath $(BUILD)/site-gen) SG_ROOT=$(CURDIR) $(BUILD)/run-tests --jobs 2
	$(MAKE) asan
	$(MAKE) tsan
	$(MAKE) browser-test

# The manual page: mandoc's linter, warnings included, must stay silent.
lint-man:
	mandoc -Tlint -W warning site-gen.1

# The same suite built with AddressSanitizer and UBSan; fails on any report.
# One job: Criterion 2.4's runner itself now and then leaks 48 bytes when
# two test workers finish together, which would fail the run for nothing.
asan:
	$(MAKE) BUILD=build-asan CC="$(CC)" MALLOC_LIB= \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/site-gen build-asan/run-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  SG_BIN=$(abspath build-asan/site-gen) SG_ROOT=$(CURDIR) \
	  build-asan/run-tests --jobs 1 > build-asan/test.log 2>&1; rc=$$?; \
	  tail -n 3 build-asan/test.log; \
	  if grep -q -e 'LeakSanitizer' -e 'AddressSanitizer' -e 'runtime error:' build-asan/test.log; then \
	    grep -m 20 -e 'LeakSanitizer' -e 'AddressSanitizer' -e 'runtime error:' build-asan/test.log; \
	    echo "asan: sanitizer reports in build-asan/test.log"; exit 1; fi; \
	  exit $$rc

# The site-gen binary built with ThreadSanitizer, run by the whole suite;
# fails on any report.  The runner itself stays uninstrumented: Criterion
# 2.4 cannot start under TSan ("Could not initialize inheritable arena",
# Criterion issue #274), so what TSan watches is every build, check and
# serve the end-to-end tests run.  They keep the binary's stderr, so the
# reports go to files (log_path), one per process that had one.  Left out:
# the four tests that time the binary against a wall clock, which a
# ThreadSanitizer build (five to fifteen times slower) cannot meet on a
# loaded machine.
TSAN_SKIP = hostile/huge_and_broken*|serve/a_broken_file_keeps*|serve/an_edit_rebuilds*|serve/a_site_broken_from_the_start*
tsan: all $(BUILD)/run-tests
	$(MAKE) BUILD=build-tsan CC="$(CC)" MALLOC_LIB= \
	  CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=thread" build-tsan/site-gen
	rm -rf build-tsan/reports && mkdir -p build-tsan/reports
	TSAN_OPTIONS=log_path=$(abspath build-tsan/reports/tsan) \
	  SG_BIN=$(abspath build-tsan/site-gen) SG_ROOT=$(CURDIR) \
	  $(BUILD)/run-tests --jobs 2 --filter '!($(TSAN_SKIP))' \
	  > build-tsan/test.log 2>&1; rc=$$?; \
	  tail -n 3 build-tsan/test.log; \
	  if ls build-tsan/reports | grep -q .; then \
	    cat build-tsan/reports/* | head -60; \
	    echo "tsan: sanitizer reports in build-tsan/reports"; exit 1; fi; \
	  exit $$rc

# The golden pages: tests/golden/site built with the default theme in a
# folder outside any git repository; its HTML pages become
# tests/golden/expected/, which tests/e2e/golden_test.c compares byte for
# byte.  Run it after a change meant to alter pages, and review the diff.
golden: all
	@tmp=$$(mktemp -d) && cp -R tests/golden/site "$$tmp/site" && \
	  SG_NO_PDF=1 $(BUILD)/site-gen -q -C "$$tmp/site" build \
	    --theme $(CURDIR)/themes/default -o "$$tmp/public" 2>/dev/null || \
	  { echo "golden: the fixture site does not build"; rm -rf "$$tmp"; exit 1; }; \
	  rm -rf tests/golden/expected && \
	  (cd "$$tmp/public" && find . -name '*.html' -exec \
	    install -D -m 644 {} $(CURDIR)/tests/golden/expected/{} \;) && \
	  rm -rf "$$tmp" && git status --short tests/golden/expected

# Node.js only when missing (a newer one may be installed from elsewhere);
# npm ci again whenever the lock file changed.  --ignore-scripts: vnu-jar's
# install script would download a Java runtime; Debian's is used.
browser-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(BROWSER_DEB_PKGS)"
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  $(MAKE) --no-print-directory deps DEB_PKGS="nodejs npm"
	@if [ ! -f $(BROWSER_DIR)/node_modules/.package-lock.json ] || \
	  [ $(BROWSER_DIR)/package-lock.json -nt $(BROWSER_DIR)/node_modules/.package-lock.json ]; then \
	  cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --ignore-scripts; fi

# The example site built into $(BUILD)/browser-site, served on 127.0.0.1 and
# checked in headless Chromium (node's test runner; see tests/browser/):
# site.test.mjs with axe-core and playwright, lighthouse.test.mjs with
# Lighthouse and the Nu HTML Checker.  SG_SHOTS_DIR=dir keeps a screenshot
# of every page checked and the Lighthouse figures (lighthouse.json).
browser-test: all browser-deps
	rm -rf $(BUILD)/browser-site
	$(BUILD)/site-gen -q build --no-pdf -o $(abspath $(BUILD)/browser-site) \
	  2>$(BUILD)/browser-site.log || { cat $(BUILD)/browser-site.log; exit 1; }
	SG_SITE_DIR=$(abspath $(BUILD)/browser-site) CHROME_PATH=/usr/bin/chromium \
	  node --test $(wildcard $(BROWSER_DIR)/*.test.mjs)

valgrind: all
	rm -rf $(BUILD)/vg-out
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
	  --soname-synonyms=somalloc=libmimalloc.so.2 \
	  $(BUILD)/site-gen build --no-pdf -o $(BUILD)/vg-out

# libFuzzer harnesses (clang): FUZZ_SECONDS per target, seeded from the
# example content.  New crashes land in build-fuzz/; copy them into
# tests/fuzz/regress/<target>/ so the test suite replays them.
FUZZ_TARGETS = page csv config theme urls schema anchors
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
fuzz:
	@command -v clang >/dev/null && [ -d /usr/lib/llvm-14/lib/clang ] || { \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get install -y -qq clang libclang-rt-14-dev; }
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" build-fuzz/libsg.a
	@mkdir -p build-fuzz/corpus
	for t in $(FUZZ_TARGETS); do \
	  clang $(SG_CFLAGS) -Isite-gen -Itests $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    -DSG_FUZZ_TARGET=sg_fuzz_$$t tests/fuzz/driver.c tests/fuzz/targets.c \
	    build-fuzz/libsg.a $(SG_LIBS) -o build-fuzz/fuzz-$$t || exit 1; \
	  mkdir -p build-fuzz/corpus/$$t; done
	cp content/2024/*.md content/2024/cases/*.md build-fuzz/corpus/page/
	cp content/2024/tables/*.csv content/2024/indicators/*.csv build-fuzz/corpus/csv/
	for f in site.yml content/*/report.yml; do printf '\001' | cat - $$f > build-fuzz/corpus/config/$$(echo $$f | tr / _); done
	cp themes/default/*.html build-fuzz/corpus/theme/
	printf 'https://www.example.edu.cn/r/\000http://www.example.edu.cn/\000office@example.edu.cn\00002-talent' \
	  > build-fuzz/corpus/urls/example
	cp schemas/*.yml build-fuzz/corpus/schema/
	for f in content/2024/*.md; do grep '^#' $$f | sed 's/^#* //' > build-fuzz/corpus/anchors/$$(basename $$f); done
	for t in $(FUZZ_TARGETS); do \
	  cp tests/fuzz/regress/$$t/* build-fuzz/corpus/$$t/ 2>/dev/null; \
	  (cd build-fuzz && ASAN_OPTIONS=detect_leaks=1 ./fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=10 -rss_limit_mb=2048 -max_len=262144 -artifact_prefix=crash-$$t- \
	    corpus/$$t > fuzz-$$t.log 2>&1) || { tail -40 build-fuzz/fuzz-$$t.log; exit 1; }; \
	  tail -1 build-fuzz/fuzz-$$t.log; done

# Speed and memory against Hugo (bench/run.sh); not part of make test.
bench: all
	@command -v hugo >/dev/null && command -v cmark-gfm >/dev/null && \
	  command -v python3 >/dev/null && [ -x /usr/bin/time ] || { \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get install -y -qq hugo cmark-gfm python3 time; }
	bench/run.sh $(BENCH_PAGES)
	cp bench/out/RESULTS.md bench/RESULTS.md

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/site-gen/themes \
	  $(DESTDIR)$(PREFIX)/share/site-gen/schemas
	install -m 755 $(BUILD)/site-gen $(DESTDIR)$(PREFIX)/bin/site-gen
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 site-gen.1 $(DESTDIR)$(MANDIR)/man1/site-gen.1
	cp -R themes/default $(DESTDIR)$(PREFIX)/share/site-gen/themes/
	install -m 644 schemas/*.yml $(DESTDIR)$(PREFIX)/share/site-gen/schemas/
	install -d $(DESTDIR)$(PREFIX)/share/site-gen/schemas/checks
	install -m 644 schemas/checks/*.yml $(DESTDIR)$(PREFIX)/share/site-gen/schemas/checks/

clean:
	rm -rf build build-asan build-tsan build-fuzz public

-include $(OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD)/main.d
