#!/bin/sh
# tck-parse-sweep.sh: runs the Cypher front end over every query of the
# openCypher TCK feature files and reports how it fares.
#
#   tests/tools/tck-parse-sweep.sh CYPARSE [FEATURES_DIR] [-v]
#
# CYPARSE is the cyparse binary (tests/tools/cyparse.c); FEATURES_DIR
# defaults to ../shared/tck/features beside the repository.  Every query of
# a scenario that does not expect a compile-time error (its set-up queries
# included) must parse and pass the semantic checks; for scenarios that
# expect an error at compile time, the last query should be rejected.
# Scenario outlines are expanded with each row of their Examples.
# -v lists every failure.  Exit status 0 when no valid query is rejected.
set -u
CYPARSE=${1:?usage: tck-parse-sweep.sh CYPARSE [FEATURES_DIR] [-v]}
FEATURES=${2:-$(dirname "$0")/../../../shared/tck/features}
VERBOSE=${3:-}
[ "$FEATURES" = "-v" ] && { FEATURES=$(dirname "$0")/../../../shared/tck/features; VERBOSE=-v; }
[ -d "$FEATURES" ] || { echo "tck-parse-sweep: no feature directory $FEATURES" >&2; exit 2; }
[ -x "$CYPARSE" ] || { echo "tck-parse-sweep: $CYPARSE is not executable" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Extract: one file per query, named N.q, and a manifest line per query:
#   N <TAB> role (setup|query) <TAB> expect (ok|reject|any) <TAB> scenario
find "$FEATURES" -name '*.feature' | sort | while read -r f; do
	awk -v out="$WORK" -v file="$(basename "$f")" '
	function flush(   r, q, k, text, col, cnt) {
		if (scen == "") return
		cnt = outline ? nrows : 1
		for (r = 1; r <= cnt; r++) {
			for (q = 1; q <= nq; q++) {
				text = query[q]
				if (outline)
					for (col = 1; col <= ncols; col++)
						text = subst(text, "<" head[col] ">", cell[r, col])
				n = 0
				while ((getline x < (out "/count")) > 0) n = x
				close(out "/count")
				n++
				print n > (out "/count"); close(out "/count")
				printf "%s", text > (out "/" n ".q"); close(out "/" n ".q")
				printf "%d\t%s\t%s\t%s\t%s: %s%s\n", n, (q == nq ? "query" : "setup"),
				    (q == nq ? expect : "ok"), (q == nq ? detail : "-"), file, scen,
				    (outline ? " [row " r "]" : "") >> (out "/manifest")
				close(out "/manifest")
			}
		}
		scen = ""
	}
	function subst(s, from, to,   i, res) {
		res = ""
		while ((i = index(s, from)) > 0) {
			res = res substr(s, 1, i - 1) to
			s = substr(s, i + length(from))
		}
		return res s
	}
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	{ sub(/\r$/, "") }
	/^[ \t]*"""/ {
		if (indoc) { indoc = 0; nq++; query[nq] = doc; next }
		indoc = 1; doc = ""; next
	}
	indoc { doc = doc $0 "\n"; next }
	/^[ \t]*Scenario/ {
		flush()
		scen = trim($0); outline = ($0 ~ /Outline/); nq = 0; expect = "ok"; detail = "-"
		nrows = 0; ncols = 0; inex = 0; next
	}
	/^[ \t]*#/ { next }
	/should be raised at compile time/ {
		expect = "reject"; detail = $0; sub(/.*: */, "", detail)
		detail = trim(detail); next
	}
	/should be raised at any time/ { expect = "any"; next }
	/^[ \t]*Examples/ { inex = 1; hdr = 1; next }
	inex && /^[ \t]*\|/ {
		line = trim($0); line = substr(line, 2, length(line) - 2)
		m = split(line, parts, "|")
		if (hdr) { ncols = m; for (k = 1; k <= m; k++) head[k] = trim(parts[k]); hdr = 0 }
		else { nrows++; for (k = 1; k <= m; k++) cell[nrows, k] = trim(parts[k]) }
		next
	}
	END { flush() }
	' "$f"
done

total=0 ok=0 bad=0 nrej=0 rej=0 anyq=0 same=0
failures="$WORK/failures"
: > "$failures"
while IFS='	' read -r n role expect detail name; do
	total=$((total + 1))
	if "$CYPARSE" -k < "$WORK/$n.q" > "$WORK/out" 2>&1; then status=ok; else status=rejected; fi
	case "$expect" in
	ok)
		if [ $status = ok ]; then ok=$((ok + 1)); else
			bad=$((bad + 1))
			{ echo "REJECTED VALID ($role) $name: $(cat "$WORK/out")"; sed 's/^/    /' "$WORK/$n.q"; } >> "$failures"
		fi ;;
	reject)
		nrej=$((nrej + 1))
		if [ $status = rejected ]; then
			rej=$((rej + 1))
			if [ "$(cat "$WORK/out")" = "$detail" ]; then same=$((same + 1)); else
				echo "OTHER KIND $name: expected $detail, got $(cat "$WORK/out")" >> "$failures"
			fi
		else
			{ echo "ACCEPTED INVALID $name"; sed 's/^/    /' "$WORK/$n.q"; } >> "$failures"
		fi ;;
	any) anyq=$((anyq + 1)) ;;
	esac
done < "$WORK/manifest"

[ "$VERBOSE" = "-v" ] && cat "$failures"
echo "queries: $total"
echo "valid queries accepted: $ok of $((ok + bad))"
echo "compile-time errors rejected: $rej of $nrej ($same with the TCK's error detail)"
echo "may fail at any time (not counted): $anyq"
[ $bad -eq 0 ]
