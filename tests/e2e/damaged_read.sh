# damaged_read.sh: a point query that reads a damaged page fails, naming
# the damage, instead of taking the damaged record for an absent one.
# The database is over 1 MiB, so its open walks only the table of tables;
# the page holding one node's record gets an impossible header (its free
# space ends before it starts).  Before, `MATCH (s:Ship {key: 'S4321'})`
# answered "(0 rows)" with exit 0: the node's labels could not be read, so
# it had none.
. "$(dirname "$0")/lib.sh"
need python3 python3 || { finish; exit 1; }

expect 0 "init" -- "$SG" --db "$DB" init
expect 0 "8,000 nodes" -- "$SG" --db "$DB" query "UNWIND range(1, 8000) AS i CREATE (:Ship {key: 'S' + toString(i), note: 'zq' + toString(i) + 'qz', pad: '0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij'})"
size=$(wc -c <"$DB/data.mdb")
[ "$size" -gt 1048576 ] && pass || fail "the database is $size bytes, not over 1 MiB"
expect 0 "the node reads before the damage" -- "$SG" --db "$DB" query "MATCH (s:Ship {key: 'S4321'}) RETURN s.note AS note" --format csv
contains "zq4321qz" "$OUT" "its note"

# the page holding S4321's record (the only place its note is): lower = 0xffff
expect 0 "damage the page" -- python3 - "$DB/data.mdb" <<'PY'
import sys
with open(sys.argv[1], 'r+b') as f:
    data = f.read()
    at = data.find(b'zq4321qz')
    assert at > 0 and data.find(b'zq4321qz', at + 1) < 0, 'the note is not in one place'
    f.seek(at // 4096 * 4096 + 12)
    f.write(b'\xff\xff')
PY

expect 1 "a point query reading the damaged page" -- "$SG" --db "$DB" query "MATCH (s:Ship {key: 'S4321'}) RETURN s.note AS note" --format csv
contains "damaged" "$ERR" "the error says the database is damaged"
contains "sanctgraph check" "$ERR" "and what to run"
lacks "zq4321qz" "$OUT" "no row from the damaged page"
expect 0 "a node on another page still reads" -- "$SG" --db "$DB" query "MATCH (s:Ship {key: 'S1'}) RETURN s.note AS note" --format csv
contains "zq1qz" "$OUT" "its note"
expect 3 "check reports the page (exit 3: a finding)" -- "$SG" --db "$DB" check
contains "bad free-space bounds" "$OUT$ERR" "check names the damage"
finish
