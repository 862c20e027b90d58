# query.sh: the query, path and timeline commands through the real binary:
# the data-driven tests of tests/query, then what they cannot say (usage
# errors, --timing on stderr, stdin and files, the database untouched by a
# failed write, a reader running beside a writer).
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)

expect 0 "query tests" -- python3 "$here/query/run" --bin "$SG"
contains "query tests:" "$OUT" "query test summary"
lacks "FAIL" "$OUT" "query tests all pass"
[ "$got" -eq 0 ] || echo "$OUT" >&2

for c in query path timeline; do
	expect 0 "$c --help" -- "$SG" "$c" --help
	contains "usage: sanctgraph $c" "$OUT" "$c --help"
done
expect 1 "query on a missing database" -- "$SG" --db "$DB" query "RETURN 1"
expect 0 "init" -- "$SG" --db "$DB" init
expect 2 "query without a statement" -- "$SG" --db "$DB" query
expect 2 "bad format" -- "$SG" --db "$DB" query "RETURN 1" --format xml
expect 2 "param without =" -- "$SG" --db "$DB" query "RETURN 1" --param x
expect 2 "unknown option" -- "$SG" --db "$DB" query "RETURN 1" --frob
expect 2 "path with one entity" -- "$SG" --db "$DB" path A
expect 2 "timeline bad date" -- "$SG" --db "$DB" timeline A --from 2024-13-01

# statements from an argument, a file and stdin; --timing per statement
printf 'CREATE (:T {n: 1}), (:T {n: 2});\nMATCH (t:T) RETURN t.n AS n ORDER BY n;\n' >"$TMP/q.cypher"
expect 0 "query -f with --timing" -- "$SG" --db "$DB" query -f "$TMP/q.cypher" --format csv --timing
contains "-- statement 1: " "$ERR" "timing line 1"
contains "-- statement 2: " "$ERR" "timing line 2"
contains " ms, 2 rows" "$ERR" "timing counts rows"
printf '%s' "$ERR" | grep -qE '^-- statement 2: [0-9]+\.[0-9]{3} ms, 2 rows$' && pass || fail "timing line format: $ERR"
contains "n" "$OUT" "csv header"
expect 0 "query from stdin" -- sh -c "echo 'MATCH (t:T) RETURN count(*) AS c' | '$SG' --db '$DB' query - --format jsonl"
same '{"c":2}' "$OUT" "stdin query"

# a failed write leaves nothing behind
expect 1 "a failing write" -- "$SG" --db "$DB" query "CREATE (:T {n: 3}) WITH 1 AS x RETURN 1 / 0"
expect 0 "count after" -- "$SG" --db "$DB" query "MATCH (t:T) RETURN count(*) AS c" --format csv
contains "2" "$OUT" "nothing of the failed statement"

# reading while another process writes
"$SG" --db "$DB" query "UNWIND range(1, 20000) AS i CREATE (:Bulk {i: i})" >/dev/null 2>&1 &
writer=$!
expect 0 "read beside a writer" -- "$SG" --db "$DB" query "MATCH (t:T) RETURN count(*) AS c" --format csv
wait "$writer" && pass || fail "the writer failed"
expect 0 "count the bulk" -- "$SG" --db "$DB" query "MATCH (b:Bulk) RETURN count(b) AS c, sum(b.i) AS s" --format csv
contains "20000,200010000" "$OUT" "bulk write"
expect 0 "check after writes" -- "$SG" --db "$DB" check
finish
