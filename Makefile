# faultline - deterministic race-reproduction simulator.
# `make deps` installs what the build needs (Debian); `make demo` runs the
# whole scenario x model matrix; `make check` runs every test.

CC         ?= cc
PKG_CONFIG ?= pkg-config
PYTHON     ?= /usr/bin/python3
VERSION     = 0.1.0
PREFIX     ?= /usr/local
BINDIR      = $(PREFIX)/bin
DATADIR     = $(PREFIX)/share/faultline
MANDIR      = $(PREFIX)/share/man
COMPDIR     = $(PREFIX)/share/bash-completion/completions
CFLAGS     ?= -O2 -g
WARN       := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Werror
SAN        ?=
DEPS       := gcc make pkg-config libglib2.0-dev check libxxhash-dev \
              python3 python3-matplotlib python3-munkres \
              valgrind clang libclang-rt-14-dev spin libxml2-utils \
              groff-base bash-completion time
# `make check-report` opens the report in a real browser
DEPS       += chromium

-include config.mak

# ---- no need to change below -------------------------------------------

GLIB_CFLAGS  = $(shell $(PKG_CONFIG) --cflags glib-2.0 2>/dev/null)
GLIB_LIBS    = $(shell $(PKG_CONFIG) --libs glib-2.0 2>/dev/null)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
XXH_LIBS     = -lxxhash
MATH_LIBS    = -lm
ALL_CFLAGS   = $(WARN) $(CFLAGS) $(SAN) $(GLIB_CFLAGS) -MMD -MP \
               -DFAULTLINE_DATADIR='"$(DATADIR)"' \
               -DFAULTLINE_VERSION='"$(VERSION)"'
ALL_LDFLAGS  = $(LDFLAGS) $(SAN)

LIB_SRC  := $(filter-out sim/main.c sim/cmd_%.c sim/cli.c sim/report_%.c, \
              $(wildcard sim/*.c))
CLI_SRC  := sim/main.c sim/cli.c $(wildcard sim/cmd_*.c sim/report_*.c)
TEST_SRC := $(wildcard tests/check_*.c) tests/fixture.c tests/traces.c
LIB_OBJ  := $(LIB_SRC:.c=.o)
CLI_OBJ  := $(CLI_SRC:.c=.o)
TEST_OBJ := $(TEST_SRC:.c=.o)

.PHONY: all deps check check-spin check-variants unit scenarios asan demo bench install uninstall \
        clean tidy fuzz valgrind check-report

all: faultline faultline.1

%.o: %.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

tests/%.o: ALL_CFLAGS += $(CHECK_CFLAGS) -Isim

# The installed models' directory is compiled in: rebuild main.o when
# PREFIX changes (a stamp holding the last DATADIR).
sim/main.o: .datadir
.datadir: FORCE
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
FORCE:

faultline: $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(GLIB_LIBS) $(XXH_LIBS) $(MATH_LIBS)

tests/check_all: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(GLIB_LIBS) $(XXH_LIBS) $(MATH_LIBS)

# The man page is generated from the README (sim/mkman.py): one source.
faultline.1: README.md sim/mkman.py
	$(PYTHON) sim/mkman.py README.md $(VERSION) > $@.tmp && mv $@.tmp $@

deps:
	@missing=$$(for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing; \
	else echo "deps: all present"; fi

# The main job: every scenario against every model, as a table, and the
# reports under reports/out/: report.html (the browsable report: every
# cell's counterexamples drawn, the documented history of
# reports/history.json beside the matrix), matrix.{json,md,png},
# history.md.  Then the cost beside the correctness: each scheme's
# single-CPU cost relative to no locking and its throughput at 64 CPUs on
# the disjoint-page and the shared-page fault workloads (`faultline perf`;
# exit 1 there is a property a run violated, which the tables show), as
# columns beside each model's verdicts, and the plots (perf-*.svg/png).
PERF_DEMO = --all-models --cpus 1,2,4,8,16,32,64
demo: faultline
	mkdir -p reports/out
	./faultline matrix scenarios/ --json reports/out/matrix.json
	$(PYTHON) reports/matrix.py reports/out/matrix.json reports/out
	$(PYTHON) reports/history.py reports/out/matrix.json reports/history.json reports/out
	$(PYTHON) reports/report.py reports/out/matrix.json reports/history.json reports/out
	for w in disjoint shared; do \
		./faultline perf scenarios/perf-$$w-faults.scn $(PERF_DEMO) \
			--json reports/out/perf-$$w.json >reports/out/perf-$$w.txt; \
		[ $$? -le 1 ] || exit 1; done
	$(PYTHON) reports/perf.py --columns reports/out/matrix.json \
		reports/out/perf-disjoint.json reports/out/perf-shared.json reports/out
	$(PYTHON) reports/perf.py reports/out/perf-disjoint.json \
		reports/out/perf-shared.json reports/out

# The report in headless Chromium: no console errors, every link resolves,
# matrix and legend in view at 1400x1000; screenshots in reports/out/.
check-report: demo
	$(PYTHON) reports/check_report.py reports/out/report.html reports/out

unit: tests/check_all
	./tests/check_all

scenarios: faultline
	./faultline check scenarios/

check: tidy faultline faultline.1 tests/check_all
	sh tests/check.sh

# SPIN's verdict against explore's on every library pair (make check
# takes every 15th): tests/spin-agree.sh
check-spin: faultline
	SPIN_SAMPLE=1 sh tests/spin-agree.sh

# Every variant of every race scenario (page shift, a third thread, a second
# process) against the original's verdict (make check takes the copies of
# every 8th scenario): tests/variants.py, tests/variants.expect
check-variants: faultline
	$(PYTHON) tests/variants.py

asan:
	$(MAKE) clean
	$(MAKE) SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" CFLAGS="-O1 -g" check

valgrind: faultline tests/check_all
	CK_FORK=no valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
		--error-exitcode=3 ./tests/check_all
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible \
		--error-exitcode=3 ./faultline check scenarios/ >/dev/null

bench: faultline tests/bench_des
	sh tests/bench.sh
	sh tests/bench-des.sh
	sh tests/bench-perf.sh

# The reduction against the Mazurkiewicz trace count (tests/traces.h).
tests/tracecount: tests/tracecount.o tests/traces.o $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(GLIB_LIBS) $(XXH_LIBS) $(MATH_LIBS)

# Timed runs' speed (sim/des.h): simulated events per second.
tests/bench_des: tests/bench_des.o $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(GLIB_LIBS) $(XXH_LIBS) $(MATH_LIBS)

# Determinism and hygiene, enforced (G5): no clocks, no global PRNGs;
# and no include circle between the modules of sim/ (tests/includes.py).
tidy:
	@! grep -nE '\b(rand|srand|random|time|clock|getpid|g_random_[a-z_]+|g_get_[a-z_]*time)\s*\(' sim/*.c sim/*.h \
		| grep -v 'sim/searchctx.c:.*g_get_monotonic_time' \
		|| (echo "tidy: banned call above"; false)
	@! grep -nE '.{101,}' sim/*.c sim/*.h || (echo "tidy: line over 100 columns"; false)
	@$(PYTHON) tests/includes.py sim || (echo "tidy: include circle above"; false)

# Fuzz the parsers (every input as a model, a scenario, a trail and a
# schedule), then the engine behind them (a model, "%%", a scenario: run
# and explored with small bounds; a broken model must never abort).
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer,address,undefined $(GLIB_CFLAGS) -Isim
FUZZ_RUN   = FUZZ_MODELS_DIR=models
fuzz: tests/fuzz_parse.c tests/fuzz_engine.c $(LIB_SRC)
	clang $(FUZZ_FLAGS) -o tests/fuzz_parse tests/fuzz_parse.c $(LIB_SRC) \
		$(GLIB_LIBS) $(XXH_LIBS) $(MATH_LIBS)
	clang $(FUZZ_FLAGS) -o tests/fuzz_engine tests/fuzz_engine.c $(LIB_SRC) \
		$(GLIB_LIBS) $(XXH_LIBS) $(MATH_LIBS)
	mkdir -p tests/fuzz-corpus tests/fuzz-corpus-engine
	for s in scenarios/*.scn tests/workloads/*.scn; do \
		for m in v4.2-dax dax-entry-lock page-lock; do \
		printf 'model fz\nextends %s\n%%%%\n' $$m | cat - $$s \
			> tests/fuzz-corpus-engine/$$(basename $$s .scn)+$$m; done; done
	$(FUZZ_RUN) ./tests/fuzz_parse -max_total_time=$${FUZZ_SECONDS:-30} \
		tests/fuzz-corpus tests/bad tests/fuzz-seeds models models/costs \
		scenarios
	$(FUZZ_RUN) ./tests/fuzz_engine -max_total_time=$${FUZZ_SECONDS:-30} \
		tests/fuzz-corpus-engine

# The binary, and the libraries it finds when run outside a checkout:
# models (the last directory of the search path), scenarios (what `check`
# judges by default), the report scripts; the man page and bash completion.
install: faultline faultline.1
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/models \
		$(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(DATADIR)/reports \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 755 faultline $(DESTDIR)$(BINDIR)/faultline
	install -m 644 models/*.model models/README.md $(DESTDIR)$(DATADIR)/models/
	install -m 644 scenarios/*.scn scenarios/README.md \
		$(DESTDIR)$(DATADIR)/scenarios/
	install -m 755 reports/*.py $(DESTDIR)$(DATADIR)/reports/
	install -m 644 faultline.1 $(DESTDIR)$(MANDIR)/man1/faultline.1
	install -m 644 sim/faultline.bash $(DESTDIR)$(COMPDIR)/faultline

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/faultline $(DESTDIR)$(MANDIR)/man1/faultline.1 \
		$(DESTDIR)$(COMPDIR)/faultline
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -f .datadir faultline faultline.1 tests/check_all tests/bench_des tests/tracecount tests/fuzz_parse tests/fuzz_engine sim/*.o sim/*.d tests/*.o tests/*.d

-include $(wildcard sim/*.d tests/*.d)
