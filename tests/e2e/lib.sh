# lib.sh: helpers for the end-to-end tests (sourced).
# Each test script: . "$(dirname "$0")/lib.sh", then ok/expect calls, then finish.
set -u
SG=${SANCTGRAPH_BIN:-./sanctgraph}
TMP=$(mktemp -d /tmp/sg-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/db
PASSED=0
FAILED=0
SHARED=$(cd "$(dirname "$0")/../../.." && pwd)/shared

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "  not ok: $*" >&2; }

# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND, stdout to $OUT, stderr to $ERR
expect() {
	want=$1; what=$2; shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
	if [ "$got" -eq "$want" ]; then pass; else fail "$what: exit $got, wanted $want; stderr: $ERR"; fi
}
# contains TEXT HAYSTACK DESCRIPTION
contains() {
	case "$2" in *"$1"*) pass ;; *) fail "$3: '$1' not in: $2" ;; esac
}
lacks() {
	case "$2" in *"$1"*) fail "$3: '$1' should not appear in: $2" ;; *) pass ;; esac
}
same() {
	if [ "$1" = "$2" ]; then pass; else fail "$3"; fi
}
# need PROGRAM PACKAGE: a missing tool fails the suite (never a silent
# skip), naming the Debian package that scripts/install-deps installs
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	fail "$1 is missing: install the Debian package $2 (scripts/install-deps does)"
	return 1
}
finish() {
	echo "  $(basename "$0"): $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
