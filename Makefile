# sanctgraph: a sanctions-evidence graph database.
#
#   make            build ./sanctgraph (installs missing Debian packages first)
#   make check      the fast loop (under 30 s): build, unit and query tests
#   make test       every suite (CI): unit, end-to-end, the TCK gate, then
#                   ASan+UBSan, valgrind and a short fuzz of each harness;
#                   each suite prints its seconds
#   make fuzz       the fuzz harnesses for longer (FUZZ_SECONDS each, 300)
#   make test-tck-full  the whole TCK with side effects against its list
#   make demo       load the Lady R case into ./demo.db and answer the chain query
#   make bench      the project's own benchmark (bench/run)
#   make corrupt    150 seeded one-byte damages of a generated database, and
#                   200 copies of a larger one with damaged pages
#   make faults     every failed allocation and write of a few commands (tests/faults)
#   make install PREFIX=/usr/local
#   make SANITIZE=1 a build with AddressSanitizer and UBSan (in build-san/)

PREFIX ?= /usr/local
CC ?= cc
# Headers come from every package; the binary links only what a point
# query needs.  libcrypto, Graphviz, libarchive, libedit and cJSON are opened on
# first use (store/dl.h) so that they cost nothing at start-up.
PKGS = lmdb libcgraph libgvc cunit libutf8proc libcrypto libcjson libarchive libedit
LINK_PKGS = lmdb libutf8proc

ifeq ($(SANITIZE),fuzz)
# the library for the libFuzzer targets of tests/fuzz (clang only)
BUILD = build-fuzz
CC = clang
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT = -O1
else ifeq ($(SANITIZE),1)
BUILD = build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT = -O1
else
BUILD = build
SANFLAGS =
OPT = -O2
# Functions in sections of their own, placed by the linker in the order
# statements first run them (scripts/text-order): a new process touches
# fewer pages of code.
SECTFLAGS = -ffunction-sections
TEXT_ORDER = $(BUILD)/text-order.ld
endif

DEPS_OK := $(BUILD)/.deps-ok
# Graphviz and fontconfig keep one-time allocations until exit: not ours.
export LSAN_OPTIONS = suppressions=$(abspath tests/lsan.supp):print_suppressions=0
CFLAGS ?= $(OPT) -g
WARN = -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
CUNIT_LIBS = $(shell pkg-config --libs cunit 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SECTFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -I. -MMD -MP
LDLIBS = $(PKG_LIBS) -ldl -lm
# LMDB and utf8proc are linked in when their archives are installed (the
# Debian -dev packages ship them): each shared library costs a process
# mappings, page faults and relocations at every start.
STATIC_A = $(foreach l,lmdb utf8proc,$(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)))
ifneq ($(STATIC_A),)
LDLIBS := $(filter-out $(patsubst %.a,-l%,$(subst lib,,$(notdir $(STATIC_A)))),$(LDLIBS))
LDLIBS := -Wl,--push-state,-Bstatic $(patsubst %.a,-l%,$(subst lib,,$(notdir $(STATIC_A)))) -Wl,--pop-state $(LDLIBS)
endif

LIB_SRC = $(wildcard store/*.c graph/*.c graph/cypher/*.c ingest/*.c export/*.c)
CLI_SRC = $(wildcard cli/*.c)
UNIT_SRC = $(wildcard tests/unit/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/%.o)

ifeq ($(SANITIZE),1)
BIN = $(BUILD)/sanctgraph
else
BIN = sanctgraph
endif

.PHONY: FORCE text-order all deps test test-unit test-e2e test-tck test-tck-full test-san demo bench install clean fuzz valgrind check test-handoff corrupt faults test-faults

all: $(BIN)

# Installs the -dev packages when missing (apt-get as root, sudo when
# available, else prints the apt-get line and stops).
$(DEPS_OK): scripts/install-deps
	@sh scripts/install-deps
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_OK)

# Objects are rebuilt when the flags change (a stamp holding them).
$(BUILD)/.flags: FORCE | $(DEPS_OK)
	@echo '$(ALL_CFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS)' >$@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/.flags | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libsanctgraph.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(BUILD)/libsanctgraph.a $(TEXT_ORDER)
	$(CC) $(SANFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsanctgraph.a $(LDLIBS) $(if $(TEXT_ORDER),-Wl$(comma)-T$(comma)$(TEXT_ORDER))

# The linker-script fragment that places the listed functions first, in
# their order, in an output section of their own before .text.
comma = ,
$(BUILD)/text-order.ld: scripts/text-order.txt | $(DEPS_OK)
	@mkdir -p $(dir $@)
	{ echo 'SECTIONS {'; echo '  .text.order : {'; \
	  sed -n 's/^\([A-Za-z_][A-Za-z0-9_.]*\)$$/    *(.text.\1)/p' $<; \
	  echo '  }'; echo '} INSERT BEFORE .text;'; } >$@

# Rewrites scripts/text-order.txt from the README tour's statements (valgrind).
text-order: $(BIN)
	python3 scripts/text-order $(abspath $(BIN))

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libsanctgraph.a
	$(CC) $(SANFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libsanctgraph.a $(LDLIBS) $(CUNIT_LIBS)

# bench/fastpath's program, built by make test so that it cannot rot.
$(BUILD)/fastpath: bench/fastpath.c $(BUILD)/libsanctgraph.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/fastpath.c $(BUILD)/libsanctgraph.a $(LDLIBS)

test-unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

test-e2e: $(BIN)
	SANCTGRAPH_BIN=$(abspath $(BIN)) sh tests/run-e2e

# The openCypher TCK selection of ../shared against the scenarios listed
# as failing in tests/tck/ (a change either way fails; no TCK fails).
test-tck: $(BIN)
	SANCTGRAPH_BIN=$(abspath $(BIN)) python3 tests/run-tck

# The whole TCK with side effects checked, against its own list.
test-tck-full: $(BIN)
	SANCTGRAPH_BIN=$(abspath $(BIN)) python3 tests/run-tck --full

# The edit-compile-test loop: build, unit tests, query tests.
check: $(BIN) $(BUILD)/unit-tests
	@sh tests/timed unit $(BUILD)/unit-tests
	@sh tests/timed query python3 tests/query/run --bin $(abspath $(BIN))
	@sh tests/timed layers sh tests/check-layers
	@sh tests/timed text-order python3 tests/check-text-order $(BIN)

# The neo4j-admin CSV export loaded into Kuzu (npm kuzu, installed on
# first use): the same Cypher gives the same rows in both engines.
test-handoff: $(BIN)
	SANCTGRAPH_BIN=$(abspath $(BIN)) sh tests/handoff/run

# cli/, export/ and ingest/ reach the store only through graph/.
.PHONY: check-layers
check-layers:
	sh tests/check-layers

# Everything: the normal build, then the same suites under ASan+UBSan.
test: $(DEPS_OK)
	@sh tests/timed build $(MAKE) -s $(BIN) $(BUILD)/unit-tests $(BUILD)/fastpath
	@sh tests/timed layers sh tests/check-layers
	@sh tests/timed text-order python3 tests/check-text-order $(BIN)
	@sh tests/timed unit $(MAKE) -s test-unit
	@sh tests/timed e2e $(MAKE) -s test-e2e
	@sh tests/timed tck $(MAKE) -s test-tck
	@sh tests/timed tck-full $(MAKE) -s test-tck-full
	@sh tests/timed faults $(MAKE) -s test-faults
	@sh tests/timed handoff $(MAKE) -s test-handoff
	@sh tests/timed asan-build $(MAKE) -s SANITIZE=1 build-san/sanctgraph build-san/unit-tests
	@sh tests/timed asan-unit $(MAKE) -s SANITIZE=1 test-unit
	@sh tests/timed asan-e2e $(MAKE) -s SANITIZE=1 test-e2e
	@sh tests/timed valgrind $(MAKE) -s valgrind
	@sh tests/timed fuzz sh tests/fuzz/run 25
	@echo "make test: all suites passed"

# The LD_PRELOAD library that fails the N-th allocation or write (not
# under ASan, which has its own allocator).
FAULTS_LIB = build/tests/faults/libsgfaults.so
$(FAULTS_LIB): tests/faults/faults.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g -shared -fPIC -o $@ $< -ldl

# A sample of the points (every 7th allocation, every write), for make test.
test-faults: sanctgraph $(FAULTS_LIB)
	SANCTGRAPH_BIN=$(abspath sanctgraph) sh tests/faults/sweep --every 7
	SANCTGRAPH_BIN=$(abspath sanctgraph) sh tests/faults/sweep --io

# Every point.
faults: sanctgraph $(FAULTS_LIB)
	SANCTGRAPH_BIN=$(abspath sanctgraph) sh tests/faults/sweep
	SANCTGRAPH_BIN=$(abspath sanctgraph) sh tests/faults/sweep --io

valgrind: $(BIN) $(BUILD)/unit-tests
	sh tests/run-valgrind $(abspath $(BIN)) $(abspath $(BUILD)/unit-tests)

demo: $(BIN)
	rm -rf demo.db
	./$(BIN) --db demo.db demo -o lady-r.svg

bench: $(BIN)
	sh bench/run

FUZZ_SECONDS ?= 300
fuzz:
	sh tests/fuzz/run $(FUZZ_SECONDS)

# Seeded one-byte damage to a generated database: 150 tries (make test: 30).
# Then 200 copies of a file over 1 MiB with 40 damaged pages each.
corrupt: $(BIN)
	python3 tests/tools/corrupt.py $(abspath $(BIN)) /tmp/sg-corrupt.$$$$ 150 $${SEED:-1}; s=$$?; rm -rf /tmp/sg-corrupt.$$$$; exit $$s
	python3 tests/tools/damage_pages.py $(abspath $(BIN)) /tmp/sg-damage.$$$$ 200 $${SEED:-1}; s=$$?; rm -rf /tmp/sg-damage.$$$$; exit $$s

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sanctgraph

clean:
	rm -rf build build-san build-fuzz sanctgraph demo.db lady-r.svg lady-r.html

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
