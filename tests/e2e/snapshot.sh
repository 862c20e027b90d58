# snapshot.sh: `diagram --query`, `report --query` and `export --query`
# draw what the query's rows name from the snapshot the query read: a write
# committed while the query runs shows in neither.  The query finds the
# vessel by its name, then spends a while counting; meanwhile another
# process renames the vessel.  Read in two snapshots (the rows, then the
# nodes they name), the output would show the new name for a vessel the
# query found under the old one.
. "$(dirname "$0")/lib.sh"

expect 0 "demo" -- "$SG" --db "$DB" demo -o "$TMP/lady-r.svg"
N=4000000
Q="MATCH (v:Vessel) WHERE v.name = 'LADY R' UNWIND range(1, $N) AS i WITH v, count(i) AS n RETURN v"

# names FILE: the vessel names (LADY R, LADY X) that FILE shows
names() { grep -o 'LADY [RX]' "$1" | sort -u | tr '\n' ' '; }

# snap WHAT COMMAND...: runs COMMAND while the vessel is renamed,
# then checks that the rename landed during the run, and renames it back
snap() {
	what=$1; shift
	(sleep 0.3; "$SG" --db "$DB" set Vessel:IMO9161003 name='LADY X' >/dev/null) &
	writer=$!
	expect 0 "$what while a writer commits" -- "$@"
	if kill -0 $writer 2>/dev/null; then
		fail "$what: the query ended before the write (make N larger than $N)"
	fi
	wait $writer
	expect 0 "$what: the rename committed" -- "$SG" --db "$DB" query "MATCH (v:Vessel {key: 'IMO9161003'}) RETURN v.name AS n" --format csv
	contains "LADY X" "$OUT" "$what: the write landed"
	expect 0 "$what: name back" -- "$SG" --db "$DB" set Vessel:IMO9161003 name='LADY R'
}

snap "diagram --query" "$SG" --db "$DB" diagram --query "$Q" --format dot -o "$TMP/q.dot"
DOT=$(names "$TMP/q.dot")
contains "LADY R" "$DOT" "diagram: the vessel as the query found it"
lacks "LADY X" "$DOT" "diagram: not as renamed after the query began"

snap "report --query" "$SG" --db "$DB" report --query "$Q" -o "$TMP/q.html"
HTML=$(names "$TMP/q.html")
contains "LADY R" "$HTML" "report: the vessel as the query found it"
lacks "LADY X" "$HTML" "report: not as renamed after the query began"

snap "export --query" "$SG" --db "$DB" export --format jsonl --query "$Q" -o "$TMP/q.jsonl"
J=$(names "$TMP/q.jsonl")
contains "LADY R" "$J" "export: the vessel as the query found it"
lacks "LADY X" "$J" "export: not as renamed after the query began"

# a query that writes cannot run inside the drawing's read snapshot
expect 1 "diagram --query that writes" -- "$SG" --db "$DB" diagram --query "CREATE (n:Vessel {name: 'NEW'}) RETURN n" -o "$TMP/w.svg"
contains "here a query may only read" "$ERR" "writing query refused"
[ ! -e "$TMP/w.svg" ] && pass || fail "file left after a refused query"
expect 0 "nothing was created" -- "$SG" --db "$DB" query "MATCH (n {name: 'NEW'}) RETURN count(n) AS c" --format csv
contains "0" "$OUT" "no node NEW"
finish
