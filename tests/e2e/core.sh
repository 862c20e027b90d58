# core.sh: the everyday commands through the real binary: help and exit
# codes, init/add/link/show/find/log/check/backup, domain checks that store
# nothing, tamper detection with LMDB's own tools, map growth, the demo.
. "$(dirname "$0")/lib.sh"

expect 0 "--help" -- "$SG" --help
contains "usage: sanctgraph" "$OUT" "--help text"
expect 0 "--version" -- "$SG" --version
expect 2 "unknown command" -- "$SG" frobnicate
expect 2 "no command" -- "$SG"
for c in init add link show find stats log check backup demo import export; do
	expect 0 "$c --help" -- "$SG" "$c" --help
	contains "usage: sanctgraph" "$OUT" "$c --help"
done

# reading commands never create a database
expect 1 "show on a missing database" -- "$SG" --db "$DB" show X
contains "sanctgraph: show: no database at $DB" "$ERR" "missing db message"
[ ! -e "$DB" ] && pass || fail "show created the database"

expect 0 "init" -- "$SG" --db "$DB" init
expect 0 "init twice" -- "$SG" --db "$DB" init
expect 2 "add without key" -- "$SG" --db "$DB" add Vessel
expect 0 "add source" -- "$SG" --db "$DB" --author alice add Source planet-2024-04-14 publisher='Planet Labs PBC' kind=satellite-imagery date=2024-04-14
expect 1 "invalid IMO check digit" -- "$SG" --db "$DB" add Vessel IMO9161004 name='LADY R'
contains "Vessel:IMO9161004: key: " "$ERR" "bad IMO key named"
expect 1 "invalid imo property" -- "$SG" --db "$DB" add Vessel X1 imo=9161004
contains "imo" "$ERR" "field named"
expect 1 "bad mmsi" -- "$SG" --db "$DB" add Vessel X2 mmsi=12345
expect 1 "bad flag" -- "$SG" --db "$DB" add Vessel X3 flag=R1
expect 1 "bad locode" -- "$SG" --db "$DB" add Port X4 locode=RU-VY
expect 1 "bad latitude" -- "$SG" --db "$DB" add Port X5 lat=91.5
expect 1 "unknown confidence" -- "$SG" --db "$DB" add Vessel IMO9161003 --source planet-2024-04-14 --confidence sure
expect 1 "unknown source" -- "$SG" --db "$DB" add Vessel IMO9161003 --source nope
expect 0 "stats" -- "$SG" --db "$DB" stats
contains "nodes 1" "$OUT" "nothing stored by failed adds"

expect 0 "add vessel" -- "$SG" --db "$DB" add Vessel IMO9161003 name='LADY R' imo=9161003 flag=RU mmsi=273000000 big=9007199254740993 --source planet-2024-04-14 --confidence probable
contains "created Vessel:IMO9161003" "$OUT" "created"
expect 0 "add port" -- "$SG" --db "$DB" add Port KPRJN name='Rajin' locode=KPRJN country=KP lat=42.233333 lon=130.3 aliases='["Najin","Наджин"]'
expect 0 "add port 2" -- "$SG" --db "$DB" add Port RUVYP name='Vostochnyy Pórt' locode=RUVYP country=RU
expect 0 "update vessel" -- "$SG" --db "$DB" add Vessel IMO9161003 type=ro-ro
contains "updated" "$OUT" "updated"
expect 0 "link" -- "$SG" --db "$DB" link Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-04-14 --source planet-2024-04-14
expect 0 "link again (repeated edge)" -- "$SG" --db "$DB" link IMO9161003 SIGHTED_AT KPRJN date=2024-04-15
expect 1 "link to a missing node" -- "$SG" --db "$DB" link Vessel:IMO9161003 SIGHTED_AT Port:NOPE
contains "no node Port:NOPE" "$ERR" "missing node named"
expect 0 "quoted values" -- "$SG" --db "$DB" add Company Q1 code='"0042"' flag_text='"true"' motto='"as written"' n=42
expect 0 "show quoted" -- "$SG" --db "$DB" query "MATCH (c:Company {key:'Q1'}) RETURN c.code, c.flag_text, c.motto, c.n" --format json
contains '"0042","true","\"as written\"",42' "$OUT" "quotes keep typed values strings, other text as written"
expect 0 "show" -- "$SG" --db "$DB" show Vessel:IMO9161003
contains "LADY R" "$OUT" "show name"
contains "9007199254740993" "$OUT" "64-bit integer exact"
contains "type         ro-ro" "$OUT" "updated property"
contains "-[SIGHTED_AT {date: 2024-04-14}]-> Port:KPRJN  sources: planet-2024-04-14 (probable)" "$OUT" "edge with source"
contains "date: 2024-04-15" "$OUT" "second edge"
expect 0 "find accent-insensitive" -- "$SG" --db "$DB" find "vostochnyy port"
contains "Port:RUVYP" "$OUT" "found by folded name"
expect 0 "find alias" -- "$SG" --db "$DB" find NAJIN
contains "Port:KPRJN" "$OUT" "found by alias"
expect 0 "find cyrillic alias" -- "$SG" --db "$DB" find наджин
contains "Port:KPRJN" "$OUT" "found by Cyrillic alias"
expect 0 "find IMO" -- "$SG" --db "$DB" find "IMO 9161003"
contains "Vessel:IMO9161003" "$OUT" "found by IMO"
expect 0 "find MMSI" -- "$SG" --db "$DB" find 273000000
contains "Vessel:IMO9161003" "$OUT" "found by MMSI"
expect 0 "find label filter" -- "$SG" --db "$DB" find rajin --label Vessel
same "" "$OUT" "label filter excludes ports"
expect 0 "log" -- "$SG" --db "$DB" log
contains "alice" "$OUT" "author recorded"
contains "add Vessel IMO9161003" "$OUT" "command recorded"
expect 0 "log limit" -- "$SG" --db "$DB" log --limit 1
[ "$(echo "$OUT" | grep -c '^[0-9]')" -eq 1 ] && pass || fail "log --limit 1 shows one record"
expect 0 "check" -- "$SG" --db "$DB" check
contains "ok:" "$OUT" "check ok"

expect 0 "backup" -- "$SG" --db "$DB" backup "$TMP/copy"
expect 0 "check the copy" -- "$SG" --db "$TMP/copy" check
expect 1 "backup into a non-empty dir" -- "$SG" --db "$DB" backup "$TMP/copy"

# tamper with a node record using LMDB's own tools: check must exit 3
if need mdb_dump lmdb-utils; then
	cp -r "$TMP/copy" "$TMP/tamper"
	mdb_dump -s nodes "$TMP/tamper" > "$TMP/nodes.dump"
	# change one hex digit of the first data line (a record)
	awk 'BEGIN{d=0} /^ / && ++n==2 && !d { c=substr($0,length($0),1); r=(c=="0")?"1":"0"; $0=substr($0,1,length($0)-1) r; d=1 } {print}' "$TMP/nodes.dump" > "$TMP/nodes2.dump"
	mdb_load -s nodes -f "$TMP/nodes2.dump" "$TMP/tamper"
	expect 3 "check detects an altered node" -- "$SG" --db "$TMP/tamper" check
	contains "altered outside sanctgraph" "$ERR" "tamper reported"
	cp -r "$TMP/copy" "$TMP/tamper2"
	mdb_dump -s log "$TMP/tamper2" > "$TMP/log.dump"
	awk '/^ / && ++n==6 { c=substr($0,length($0),1); r=(c=="0")?"1":"0"; $0=substr($0,1,length($0)-1) r } {print}' "$TMP/log.dump" > "$TMP/log2.dump"
	mdb_load -s log -f "$TMP/log2.dump" "$TMP/tamper2"
	expect 3 "check detects an altered log record" -- "$SG" --db "$TMP/tamper2" check
	contains "change log: record 3 has been altered" "$ERR" "altered record named"
fi

# a tiny map forces MDB_MAP_FULL: the write is replayed on a larger map
expect 0 "demo on a 64 KiB map" -- env SANCTGRAPH_MAPSIZE=65536 "$SG" --db "$TMP/small" demo -o "$TMP/small.svg"
expect 0 "check after growth" -- "$SG" --db "$TMP/small" check

# a merged key stays an alias for Cypher lookups too
expect 0 "add a second record" -- "$SG" --db "$DB" add Vessel LADY-R name='LADY R' flag=RU
expect 0 "merge" -- "$SG" --db "$DB" merge Vessel:IMO9161003 Vessel:LADY-R
expect 0 "cypher by merged key" -- "$SG" --db "$DB" query "MATCH (v:Vessel {key: 'LADY-R'}) RETURN v.key" --format csv
contains "IMO9161003" "$OUT" "the alias finds the survivor"
expect 0 "cypher by merged key, no label" -- "$SG" --db "$DB" query "MATCH (v {key: 'LADY-R'}) RETURN v.key" --format csv
contains "IMO9161003" "$OUT" "the alias finds the survivor without a label"
expect 0 "check after merge" -- "$SG" --db "$DB" check

# the demo: the chain, its dates and sources, and a diagram
expect 0 "demo" -- "$SG" --db "$TMP/demo" demo -o "$TMP/lady-r.svg"
contains "LADY R | Vostochny | 2024-04-02 | Rajin   | 2024-04-14 | 12" "$OUT" "chain answer"
contains "LADY R | Vostochny | 2024-04-03 | Rajin   | 2024-04-14 | 11" "$OUT" "second sighting"
contains "['planet-2024-04-14', 'yomiuri-2024-06-09']" "$OUT" "sources cited"
contains "(2 rows)" "$OUT" "exactly the two chains"
contains "MATCH (v:Vessel)-[a:SIGHTED_AT|CALLED_AT]->(ru:Port {country: 'RU'})" "$OUT" "the question is shown as Cypher"
grep -q "LADY R" "$TMP/lady-r.svg" && pass || fail "diagram names the vessel"
grep -q "<svg" "$TMP/lady-r.svg" && pass || fail "diagram is SVG"
expect 1 "diagram to an unknown format" -- "$SG" --db "$TMP/demo2" demo -o "$TMP/x.bmpx"
[ ! -e "$TMP/x.bmpx" ] && pass || fail "no partial file"
finish
