#!/bin/sh
# hostile.sh: hostile text in names and values (issue 9, items 5 and 7):
# a Cypher export whose label holds newlines cannot inject statements into
# the database it is loaded into; names with control characters are
# refused at import, add and link; terminals see control characters
# escaped; csv guards formulas unless --raw; a failed write to stdout is
# exit 1; range() is exact at the 64-bit ends; the author comes from the
# environment.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
ESC=$(printf '\033')
BEL=$(printf '\007')

# ---- injection through the Cypher export ----
H=$TMP/hostile.db
expect 0 "init the hostile db" -- "$SG" --db "$H" init
# the old export put this label in a // comment: its second line ran
expect 0 "a label and names with newlines (through Cypher)" -- "$SG" --db "$H" query "CREATE (:\`Evil
MATCH (n) DETACH DELETE n;
//\` {key: 'e1', \`p
q\`: 'v'})-[:\`T
x\`]->(:Port {key: 'P9'})"
expect 0 "cypher export of the hostile db" -- "$SG" --db "$H" export --format cypher -o "$TMP/hostile.cypher"
lacks "Evil" "$(grep '^//' "$TMP/hostile.cypher")" "no label in a comment line"
contains "CREATE (:\`Evil" "$(cat "$TMP/hostile.cypher")" "the label is backquoted"
T=$TMP/target.db
expect 0 "init the target" -- "$SG" --db "$T" init
expect 0 "target data" -- "$SG" --db "$T" import "$DATA/roundtrip-all.jsonl"
expect 0 "target before" -- "$SG" --db "$T" export -o "$TMP/target-before.jsonl"
expect 0 "load the hostile export into the target" -- sh -c "\"$SG\" --db \"$T\" query -f - <\"$TMP/hostile.cypher\""
expect 0 "target after" -- "$SG" --db "$T" export -o "$TMP/target-after.jsonl"
# every line the target had is still there; what was added is what the export describes
same "" "$(grep -vxF -f "$TMP/target-after.jsonl" "$TMP/target-before.jsonl")" "nothing of the target was lost"
expect 0 "the hostile db as jsonl" -- "$SG" --db "$H" export -o "$TMP/hostile.jsonl"
same "$(sort "$TMP/hostile.jsonl")" "$(grep -vxF -f "$TMP/target-before.jsonl" "$TMP/target-after.jsonl" | sort)" \
	"the target gained exactly the hostile db's nodes and relationships"
expect 0 "target counts" -- "$SG" --db "$T" query "MATCH (n) RETURN count(n) AS n" --format csv
same "n
14" "$(printf '%s\n' "$OUT" | tr -d '\r')" "12 nodes of the target and 2 of the export"

# ---- names with control characters refused ----
printf '{"node":"Bad\\u001b]0;x\\u0007","key":"b1"}\n' >"$TMP/bad-label.jsonl"
expect 1 "jsonl: a label with ESC" -- "$SG" --db "$T" import "$TMP/bad-label.jsonl"
contains "bad-label.jsonl:1" "$ERR" "jsonl: the error names file:line"
contains "holds a control character" "$ERR" "jsonl: the error says why"
lacks "$ESC" "$ERR" "jsonl: the message shows the name escaped"
printf '{"node":"Vessel","key":"b2","props":{"na\\nme":"x"}}\n' >"$TMP/bad-prop.jsonl"
expect 1 "jsonl: a property name with a newline" -- "$SG" --db "$T" import "$TMP/bad-prop.jsonl"
contains "control character" "$ERR" "jsonl: property name refused"
printf '{"node":"Vessel","key":"v1"}\n{"node":"Vessel","key":"v2"}\n{"edge":"T\\tX","from":"Vessel:v1","to":"Vessel:v2"}\n' >"$TMP/bad-type.jsonl"
expect 1 "jsonl: a type with a tab" -- "$SG" --db "$T" import "$TMP/bad-type.jsonl"
contains "control character" "$ERR" "jsonl: type refused"
printf 'key:ID,name,:LABEL\nc1,x,"Bad\nLabel"\n' >"$TMP/bad-nodes.csv"
expect 1 "csv: a label with a newline" -- "$SG" --db "$T" import --format csv --nodes "$TMP/bad-nodes.csv"
contains "control character" "$ERR" "csv: label refused"
expect 1 "add: a label with ESC" -- "$SG" --db "$T" add "Bad${ESC}[31m" k1
contains "holds a control character" "$ERR" "add: label refused"
lacks "$ESC" "$ERR" "add: the message shows the name escaped"
expect 1 "add: a property name with a newline" -- "$SG" --db "$T" add Vessel k2 "na
me=x"
contains "property name" "$ERR" "add: property name refused"
expect 1 "link: a type with BEL" -- "$SG" --db "$T" link Port:KPRJN "T${BEL}" Port:RUVYP
contains "relationship type" "$ERR" "link: type refused"
expect 0 "nothing was added by the refused commands" -- "$SG" --db "$T" export -o "$TMP/target-after2.jsonl"
expect 0 "same export" -- cmp "$TMP/target-after.jsonl" "$TMP/target-after2.jsonl"

# ---- terminals see control characters escaped ----
expect 0 "a value that retitles the terminal" -- "$SG" --db "$H" add Vessel "v${ESC}]0;k${BEL}" "name=Lady${ESC}]0;pwned${BEL}R"
expect 0 "show" -- "$SG" --db "$H" show e1
lacks "$ESC" "$OUT" "show: no raw ESC"
contains 'Evil\nMATCH (n) DETACH DELETE n;\n//:e1' "$OUT" "show: the label escaped"
contains '-[T\nx]-> Port:P9' "$OUT" "show: the type escaped"
expect 0 "show the retitling vessel" -- "$SG" --db "$H" show "Vessel:v${ESC}]0;k${BEL}"
lacks "$ESC" "$OUT" "show: no raw ESC in key or value"
contains 'Lady\x1b]0;pwned\x07R' "$OUT" "show: the value escaped"
expect 0 "find" -- "$SG" --db "$H" find lady
lacks "$ESC" "$OUT" "find: no raw ESC"
lacks "$BEL" "$OUT" "find: no raw BEL"
contains 'v\x1b]0;k\x07' "$OUT" "find: the key escaped"
expect 0 "stats" -- "$SG" --db "$H" stats
contains 'Evil\nMATCH (n) DETACH DELETE n;\n//' "$OUT" "stats: the label escaped"
contains 'T\nx' "$OUT" "stats: the type escaped"
expect 0 "log" -- "$SG" --db "$H" log
lacks "$ESC" "$OUT" "log: no raw ESC in the command"
contains 'name=Lady\x1b]0;pwned\x07R' "$OUT" "log: the command escaped"
expect 0 "query table" -- "$SG" --db "$H" query "MATCH (v:Vessel) RETURN v.name AS name, v"
lacks "$ESC" "$OUT" "query table: no raw ESC"
contains 'Lady\x1b]0;pwned\x07R' "$OUT" "query table: the value escaped"
expect 0 "query json keeps the data" -- "$SG" --db "$H" query "MATCH (v:Vessel) RETURN v.name AS name" --format jsonl
same '{"name":"Lady\u001b]0;pwned\u0007R"}' "$OUT" "json: the value exact, JSON-escaped"

# ---- csv and spreadsheet formulas ----
expect 0 "csv guards formulas" -- "$SG" --db "$H" query "RETURN '=HYPERLINK(\"x\")' AS a, '+1' AS b, '-2' AS c, '@A1' AS d, -3 AS e, 1.5 AS f, 'ok' AS g" --format csv
same "a,b,c,d,e,f,g
\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@A1,-3,1.5,ok" "$(printf '%s\n' "$OUT" | tr -d '\r')" "csv: a leading ' on formula-like strings, numbers as they are"
expect 0 "csv --raw" -- "$SG" --db "$H" query "RETURN '=1+2' AS a, -3 AS e" --format csv --raw
same "a,e
=1+2,-3" "$(printf '%s\n' "$OUT" | tr -d '\r')" "csv --raw: strings as they are"
expect 0 "query --help" -- "$SG" query --help
contains "--raw" "$OUT" "query --help names --raw"

# ---- a failed write to stdout ----
if [ -w /dev/full ]; then
	for cmd in "query 'RETURN 1'" "query 'UNWIND range(1, 200000) AS x RETURN x'" "stats" "show e1" "find lady" "log" "export" "export --format cypher"; do
		# shellcheck disable=SC2086 # the command's words
		expect 1 "$cmd > /dev/full" -- sh -c "\"$SG\" --db \"$H\" $cmd >/dev/full"
		contains "cannot write" "$ERR" "$cmd > /dev/full: says why"
	done
fi

# ---- range() exact ----
expect 0 "range at the 64-bit ends" -- "$SG" --db "$H" query "UNWIND range(-9223372036854775807, 9223372036854775807, 4611686018427387904) AS x RETURN x" --format csv
same "x
-9223372036854775807
-4611686018427387903
1
4611686018427387905" "$(printf '%s\n' "$OUT" | tr -d '\r')" "range: openCypher's four elements"
expect 1 "range too big" -- "$SG" --db "$H" query "RETURN size(range(-9223372036854775808, 9223372036854775807))"
contains "elements are too many" "$ERR" "range: only the size is an error"

# ---- the author from the environment ----
expect 0 "author from LOGNAME" -- env -u SANCTGRAPH_AUTHOR LOGNAME=alice USER=bob "$SG" --db "$H" add Vessel a1
expect 0 "author from USER" -- env -u SANCTGRAPH_AUTHOR -u LOGNAME USER=bob "$SG" --db "$H" add Vessel a2
expect 0 "author --author" -- env SANCTGRAPH_AUTHOR=carol "$SG" --db "$H" --author dave add Vessel a3
expect 0 "log" -- "$SG" --db "$H" log --limit 3
contains "  dave  " "$(printf '%s\n' "$OUT" | sed -n 1p)" "--author first"
contains "  bob  " "$(printf '%s\n' "$OUT" | sed -n 4p)" "then \$USER"
contains "  alice  " "$(printf '%s\n' "$OUT" | sed -n 7p)" "\$LOGNAME before \$USER"

finish
