# sanctgraph: a sanctions-evidence graph database.
#
#   make            build ./sanctgraph (installs missing Debian packages first)
#   make test       unit, query and end-to-end tests, then again under ASan+UBSan
#   make demo       load the Lady R case into ./demo.db and answer the chain query
#   make bench      the project's own benchmark (bench/run)
#   make faults     every failed allocation and write of a few commands (tests/faults)
#   make install PREFIX=/usr/local
#   make SANITIZE=1 a build with AddressSanitizer and UBSan (in build-san/)

PREFIX ?= /usr/local
CC ?= cc
PKGS = lmdb libcgraph libgvc cunit libutf8proc libcrypto libcjson libarchive libedit

ifeq ($(SANITIZE),1)
BUILD = build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT = -O1
else
BUILD = build
SANFLAGS =
OPT = -O2
endif

DEPS_OK := $(BUILD)/.deps-ok
# Graphviz and fontconfig keep one-time allocations until exit: not ours.
export LSAN_OPTIONS = suppressions=$(abspath tests/lsan.supp):print_suppressions=0
CFLAGS ?= $(OPT) -g
WARN = -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -I. -MMD -MP
LDLIBS = $(PKG_LIBS) -lm

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

.PHONY: all deps test test-unit test-e2e test-tck test-san demo bench install clean fuzz valgrind faults test-faults

all: $(BIN)

# Installs the -dev packages when missing (apt-get as root, sudo when
# available, else prints the apt-get line and stops).
$(DEPS_OK): scripts/install-deps
	@sh scripts/install-deps
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_OK)

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libsanctgraph.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(BUILD)/libsanctgraph.a
	$(CC) $(SANFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsanctgraph.a $(LDLIBS)

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libsanctgraph.a
	$(CC) $(SANFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libsanctgraph.a $(LDLIBS)

test-unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

test-e2e: $(BIN)
	SANCTGRAPH_BIN=$(abspath $(BIN)) sh tests/run-e2e

# The openCypher TCK selection of ../shared (when present).
test-tck: $(BIN)
	SANCTGRAPH_BIN=$(abspath $(BIN)) sh tests/run-tck

# Everything: the normal build, then the same suites under ASan+UBSan.
test: $(DEPS_OK)
	$(MAKE) test-unit test-e2e test-tck test-faults
	$(MAKE) SANITIZE=1 test-unit test-e2e
	$(MAKE) valgrind
	sh tests/fuzz/run 60
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

fuzz:
	sh tests/fuzz/run 300

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sanctgraph

clean:
	rm -rf build build-san sanctgraph demo.db lady-r.svg lady-r.html

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
