# site-gen — GNU make, no configure step.  Local overrides go in config.mk.
-include config.mk

PREFIX   ?= /usr/local
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=
CC       ?= cc
PKGS      = libcmark-gfm libxml-2.0 libgit2 yaml-0.1 libmicrohttpd
CFLAGS   ?= -O2 -g
SG_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes \
            -DSG_DATADIR='"$(PREFIX)/share/site-gen"' \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
SG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lcsv
BUILD    ?= build

SRCS = $(filter-out site-gen/main.c,$(wildcard site-gen/*.c))
OBJS = $(SRCS:site-gen/%.c=$(BUILD)/%.o)
TEST_SRCS = $(wildcard tests/*.c tests/unit/*.c tests/e2e/*.c)
TEST_OBJS = $(TEST_SRCS:%.c=$(BUILD)/%.o)

# Debian packages this needs: the -dev libraries and the tools the tests use.
DEB_PKGS = libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libgit2-dev \
           libyaml-dev libcsv-dev libcriterion-dev libmicrohttpd-dev mandoc \
           pkg-config

.PHONY: all site test deps clean install asan valgrind check-deps lint-man

all: check-deps $(BUILD)/site-gen

check-deps:
	@pkg-config --exists $(PKGS) criterion 2>/dev/null && [ -f /usr/include/csv.h ] || \
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

$(BUILD)/libsg.a: $(OBJS)
	$(AR) rcs $@ $^

$(BUILD)/site-gen: $(BUILD)/main.o $(BUILD)/libsg.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SG_LIBS)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SG_CFLAGS) -Isite-gen -Itests $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/run-tests: $(TEST_OBJS) $(BUILD)/libsg.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SG_LIBS) $(shell pkg-config --libs criterion)

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

# The manual page: mandoc's linter, warnings included, must stay silent.
lint-man:
	mandoc -Tlint -W warning site-gen.1

# The same suite built with AddressSanitizer and UBSan; fails on any report.
asan:
	$(MAKE) BUILD=build-asan CC="$(CC)" \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/site-gen build-asan/run-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  SG_BIN=$(abspath build-asan/site-gen) SG_ROOT=$(CURDIR) \
	  build-asan/run-tests --jobs 2 > build-asan/test.log 2>&1; rc=$$?; \
	  tail -n 3 build-asan/test.log; \
	  if grep -q -e 'LeakSanitizer' -e 'AddressSanitizer' -e 'runtime error:' build-asan/test.log; then \
	    grep -m 20 -e 'LeakSanitizer' -e 'AddressSanitizer' -e 'runtime error:' build-asan/test.log; \
	    echo "asan: sanitizer reports in build-asan/test.log"; exit 1; fi; \
	  exit $$rc

valgrind: all
	rm -rf $(BUILD)/vg-out
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
	  $(BUILD)/site-gen build -o $(BUILD)/vg-out

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/site-gen/themes
	install -m 755 $(BUILD)/site-gen $(DESTDIR)$(PREFIX)/bin/site-gen
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 site-gen.1 $(DESTDIR)$(MANDIR)/man1/site-gen.1
	cp -R themes/default $(DESTDIR)$(PREFIX)/share/site-gen/themes/

clean:
	rm -rf build build-asan public

-include $(OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD)/main.d
