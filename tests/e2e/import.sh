#!/bin/sh
# import.sh: end-to-end tests of `import` and `export`: the JSONL round
# trip (export, import into a fresh database, export again: the same
# bytes), neo4j-admin CSV, standard input, and bad input: each bad file
# fails with exit 1 and FILE:LINE in the message, and leaves the database
# as it was; --skip-bad reports and skips the bad records and loads the rest.
#
# Usage: SANCTGRAPH_BIN=./sanctgraph sh tests/e2e/import.sh
# Stops at the first failure; prints "N passed, M failed".

bin=${SANCTGRAPH_BIN:-./sanctgraph}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-import.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

sg() { "$bin" "$@"; }

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*" >&2
	echo "$passed passed, $failed failed"
	exit 1
}

# expect_status WANT NAME CMD...: runs CMD, stdout to $tmp/out, stderr to $tmp/err
expect_status() {
	want=$1 name=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		sed 's/^/  | /' "$tmp/err" >&2
		fail "$name: exit $got, expected $want"
	fi
	pass
}

# expect_err NAME TEXT: the last command's stderr contains TEXT
expect_err() {
	if ! grep -F -- "$2" "$tmp/err" >/dev/null; then
		sed 's/^/  | /' "$tmp/err" >&2
		fail "$1: stderr lacks '$2'"
	fi
	pass
}

# expect_out NAME TEXT: the last command's stdout contains TEXT
expect_out() {
	if ! grep -F -- "$2" "$tmp/out" >/dev/null; then
		fail "$1: stdout lacks '$2'"
	fi
	pass
}

same() {
	if ! cmp -s "$2" "$3"; then
		diff "$2" "$3" | head -20 >&2
		fail "$1: $2 and $3 differ"
	fi
	pass
}

fresh() { rm -rf "$1" && sg --db "$1" init >/dev/null || fail "init $1"; }

# ---- round trip

fresh "$tmp/r1"
expect_status 0 "import roundtrip-all.jsonl" sg --db "$tmp/r1" import "$data/roundtrip-all.jsonl"
expect_err "import summary" "imported 13 nodes, 11 relationships"
expect_status 0 "export -o" sg --db "$tmp/r1" export -o "$tmp/e1.jsonl"
expect_status 0 "export to stdout" sg --db "$tmp/r1" export
same "export -o and stdout agree" "$tmp/out" "$tmp/e1.jsonl"
sg --db "$tmp/r1" export --format jsonl >"$tmp/e1b.jsonl"
same "export is deterministic" "$tmp/e1.jsonl" "$tmp/e1b.jsonl"
fresh "$tmp/r2"
expect_status 0 "import the export" sg --db "$tmp/r2" import "$tmp/e1.jsonl"
expect_status 0 "export again" sg --db "$tmp/r2" export -o "$tmp/e2.jsonl"
same "round trip is byte-identical" "$tmp/e1.jsonl" "$tmp/e2.jsonl"
fresh "$tmp/r3"
expect_status 0 "import from stdin" sh -c "'$bin' --db '$tmp/r3' import - <'$tmp/e2.jsonl'"
sg --db "$tmp/r3" export >"$tmp/e3.jsonl"
same "stdin round trip" "$tmp/e1.jsonl" "$tmp/e3.jsonl"

cp "$tmp/e1.jsonl" "$tmp/out"
for want in '"tonnage":9007199254740993' '"min":-9223372036854775808' '"negzero":-0.0' \
    '"huge":1e+300' '"ratio":0.1' '"looks_like_date":{"$string":"2024-01-01"}' \
    '"last_seen":"2024-04-14T08:30:15.123456789-05:30"' '"wait":{"$duration":"P30D"}' \
    '"opens":{"$time":"08:30:00+05:30"}' '"closes":{"$localtime":"17:45:30.25"}' \
    '"breaks":[{"$localtime":"12:00:00"},{"$localtime":"15:30:00"}]' '"looks_like_time":"12:00"' \
    '"name_ko":"라진 조선"' '"past_names":["ЛЕДИ Р","MERCURY"]' '"labels":["Vessel","Sanctioned"]' \
    '{"node":null,"key":"nolabel-2"}' '"from":{"label":"Weird:Label","key":"odd key: with colon"}' \
    '{"ref":"Report:rfa-2024-05","confidence":"possible"}' '"confidence":"suspected"' \
    '{"node":"Source","key":"planet-2024-04-14","sources":[{"key":"unreport-2024","confidence":"possible"}]}'; do
	expect_out "export holds $want" "$want"
done
n=$(grep -c '"edge":"CALLED_AT","from":"Vessel:IMO9161003","to":"Port:KPRJN"' "$tmp/e1.jsonl")
[ "$n" -eq 3 ] || fail "repeated edges: $n CALLED_AT to KPRJN, expected 3"
pass
head -1 "$tmp/e1.jsonl" | grep -F '{"node":"Source"' >/dev/null || fail "Source nodes come first"
pass

# merged-away keys (merged_keys) stay aliases through a round trip
fresh "$tmp/a"
printf '{"node":"Company","key":"A","props":{"merged_keys":["Company:B"],"name":"Alpha"}}\n' >"$tmp/alias.jsonl"
expect_status 0 "import a node with merged_keys" sg --db "$tmp/a" import "$tmp/alias.jsonl"
# (a Vessel: a Person owning a company is DIRECTOR_OF or LINKED_TO, not OWNED_BY)
printf '{"node":"Vessel","key":"P"}\n{"edge":"OWNED_BY","from":"Vessel:P","to":"Company:B"}\n' >"$tmp/alias-edge.jsonl"
expect_status 0 "an alias resolves" sg --db "$tmp/a" import "$tmp/alias-edge.jsonl"
expect_status 0 "alias export" sg --db "$tmp/a" export
expect_out "the edge went to the survivor" '{"edge":"OWNED_BY","from":"Vessel:P","to":"Company:A"}'

# ---- CSV

fresh "$tmp/c"
expect_status 0 "csv import, relationships named first" sg --db "$tmp/c" import \
    --relationships CALLED_AT="$data/import-calls.csv" --nodes "$data/import-vessels.csv" \
    --nodes Port="$data/import-ports.csv"
expect_err "csv summary" "imported 4 nodes, 3 relationships"
expect_status 0 "csv export" sg --db "$tmp/c" export
expect_out "csv labels and typed values" '{"node":"Vessel","key":"IMO9161003","labels":["Vessel","Sanctioned"],"props":{"aliases":["ЛЕДИ Р","MERCURY"],"built":"1998-06-01","flag":"RU","imo":"9161003","mmsi":"273214860","name":"LADY R","sanctioned":true,"tonnage":3220}}'
expect_out "csv quoted field, empty fields absent" '{"node":"Vessel","key":"IMO9498420","props":{"flag":"PA","imo":"9498420","name":"SUN, RISE","sanctioned":false}}'
expect_out "csv Label= prefix" '{"node":"Port","key":"KPRJN","props":{"country":"KP","lat":42.25,"lon":130.3,"name":"Rajin"}}'
expect_out "csv TYPE= prefix for an empty :TYPE" '{"edge":"CALLED_AT","from":"Vessel:IMO9498420","to":"Port:RUVYP","props":{"start":"2024-04-20"}}'
fresh "$tmp/c2"
expect_status 0 "csv nodes, format guessed" sg --db "$tmp/c2" import "$data/import-vessels.csv"
expect_status 0 "csv relationships resolved in the database" sg --db "$tmp/c2" import \
    --nodes Port="$data/import-ports.csv" --relationships CALLED_AT="$data/import-calls.csv"
sg --db "$tmp/c2" export >"$tmp/c2.jsonl"
sg --db "$tmp/c" export >"$tmp/c1.jsonl"
same "csv in two imports" "$tmp/c1.jsonl" "$tmp/c2.jsonl"
expect_status 1 "csv without a type" sg --db "$tmp/c2" import --relationships "$data/import-calls.csv"
expect_err "csv without a type: file:line" "import-calls.csv:4: empty :TYPE"

# ---- bad input: exit 1, FILE:LINE, nothing written

bad() {
	name=$1 text=$2
	shift 2
	sg --db "$tmp/r1" export >"$tmp/before.jsonl"
	expect_status 1 "$name" sg --db "$tmp/r1" import "$@"
	expect_err "$name: message" "$text"
	sg --db "$tmp/r1" export >"$tmp/after.jsonl"
	same "$name: nothing written" "$tmp/before.jsonl" "$tmp/after.jsonl"
}

bad "malformed JSON" "import-bad-json.jsonl:2: invalid JSON" "$data/import-bad-json.jsonl"
bad "invalid IMO" "import-bad-imo.jsonl:3: " "$data/import-bad-imo.jsonl"
expect_err "invalid IMO: reason" "invalid IMO check digit"
bad "unknown confidence" "import-bad-confidence.jsonl:2: unknown confidence \"likely\"" "$data/import-bad-confidence.jsonl"
bad "edge to a missing node" "import-bad-missing-node.jsonl:2: to: no node Company:NOPE" "$data/import-bad-missing-node.jsonl"
bad "bad typed CSV value" "import-bad-value.csv:3: invalid int value \"12x\" for tonnage:int" --nodes "$data/import-bad-value.csv"
bad "missing file" "$tmp/nonexistent.jsonl: cannot open" "$tmp/nonexistent.jsonl"
mkdir -p "$tmp/adir"
bad "unreadable file" "$tmp/adir: cannot read" "$tmp/adir"
bad "good file, then a bad one" "import-bad-imo.jsonl:3: " "$data/roundtrip-all.jsonl" "$data/import-bad-imo.jsonl"
printf '{"node":"Company","key":"T1","props":{"t":{"$time":"12:00:00"}}}\n' >"$tmp/time.jsonl"
bad "a time without a zone" 'time.jsonl:1: property t: $time takes an ISO-8601 time of day with a zone' "$tmp/time.jsonl"
printf '{"node":"Company","key":"T1"}\n{"node":"Company","key":"T2","props":{"t":{"$localtime":"25:00:00"}}}\n' >"$tmp/time.jsonl"
bad "a local time out of range" 'time.jsonl:2: property t: $localtime takes an ISO-8601 time of day with no zone' "$tmp/time.jsonl"
printf 'key:ID(Company),opens:localtime\nT1,08:00\nT2,08:00+01:00\n' >"$tmp/time.csv"
bad "a zone in a localtime column" 'time.csv:3: time zone in localtime value "08:00+01:00" for opens:localtime' --nodes "$tmp/time.csv"
printf '{"node":"Company","key":"S1"}\n{"edge":"X","from":"Company:S1","to":"Company:S1","sources":[{"key":"nope"}]}\n' >"$tmp/src.jsonl"
bad "unknown source" "src.jsonl:2: unknown source nope" "$tmp/src.jsonl"
bad "native JSONL read as FtM" "roundtrip-all.jsonl:1: an entity needs a string \"id\"" --format ftm "$data/roundtrip-all.jsonl"
printf 'hello\n' >"$tmp/unknown.txt"
bad "unknown content" "cannot tell the format" "$tmp/unknown.txt"
expect_status 2 "unknown format name" sg --db "$tmp/r1" import --format xml "$data/roundtrip-all.jsonl"
expect_status 2 "export format unknown" sg --db "$tmp/r1" export --format xml
expect_err "export format message" "unknown format 'xml'"
expect_status 1 "export to a missing directory" sg --db "$tmp/r1" export -o "$tmp/no/such/dir/x.jsonl"
[ ! -e "$tmp/no" ] || fail "failed export left a file"
pass

# ---- --skip-bad

fresh "$tmp/s"
expect_status 0 "skip-bad" sg --db "$tmp/s" import --skip-bad "$data/import-skip.jsonl" "$data/import-bad-value.csv"
for line in "import-skip.jsonl:3: unknown confidence" "import-skip.jsonl:4: " "import-skip.jsonl:5: invalid JSON" \
    "import-skip.jsonl:7: to: no node Company:C2" "import-bad-value.csv:3: invalid int value" "skipped 5 bad records"; do
	expect_err "skip-bad reports $line" "$line"
done
expect_status 0 "skip-bad export" sg --db "$tmp/s" export
expect_out "skip-bad kept C1" '{"node":"Company","key":"C1","props":{"name":"Kept"},"sources":[{"key":"s1","confidence":"confirmed"}]}'
expect_out "skip-bad kept C3" '{"node":"Company","key":"C3","props":{"name":"Also kept"}}'
expect_out "skip-bad kept the good CSV row" '"key":"IMO9161003"'
expect_out "skip-bad kept the good edge" '{"edge":"OWNED_BY","from":"Company:C1","to":"Company:C3"'
if grep -F -e '"key":"C2"' -e 'IMO9161004' -e 'IMO9498420' "$tmp/out" >/dev/null; then
	fail "skip-bad stored a bad record"
fi
pass

expect_status 0 "import --help" sg import --help
expect_out "import --help text" "--skip-bad"
expect_status 0 "export --help" sg export --help

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
