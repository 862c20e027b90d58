# ftm_delta.sh: FollowTheMoney deltas replace what a dataset said.
# Constructed delta files in OpenSanctions' form (directories named by the
# delta's time, DEL lines carrying only the id as OpenSanctions writes
# them): a MOD drops a value, an address and an owner the dataset no longer
# gives; values another dataset or a hand-made source gives stay; a DEL of a
# link entity withdraws the relationship; each delta imported again changes
# nothing.
. "$(dirname "$0")/lib.sh"

q() { "$SG" --db "$DB" query --format csv "$1" 2>/dev/null | tr -d '\r'; }
digest() { "$SG" --db "$DB" export | sort; }
aliases() { q "MATCH (c:Company {key:'co-1'}) UNWIND c.aliases AS a RETURN a ORDER BY a" | sed 1d | tr '\n' '|'; }

A=$TMP/20240101000000-a B=$TMP/20240201000000-b C=$TMP/20240301000000-c
mkdir -p "$A" "$B" "$C"
cat >"$A/entities.delta.json" <<'EOF'
{"op":"ADD","entity":{"id":"co-1","schema":"Company","caption":"ACME LLC","properties":{"name":["ACME LLC"],"alias":["ACME","ACME TRADING","ACME MARINE"],"jurisdiction":["ru"],"phone":["+7 495 0000000"],"addressEntity":["addr-1","addr-2"]},"datasets":["eu_fsf"]}}
{"op":"ADD","entity":{"id":"addr-1","schema":"Address","properties":{"full":["1 Main St, Moscow"]},"datasets":["eu_fsf"]}}
{"op":"ADD","entity":{"id":"addr-2","schema":"Address","properties":{"full":["2 Side St, Moscow"]},"datasets":["eu_fsf"]}}
{"op":"ADD","entity":{"id":"p-1","schema":"Person","properties":{"name":["John Doe"]},"datasets":["eu_fsf"]}}
{"op":"ADD","entity":{"id":"p-2","schema":"Person","properties":{"name":["Jane Roe"]},"datasets":["eu_fsf"]}}
{"op":"ADD","entity":{"id":"own-1","schema":"Ownership","properties":{"asset":["co-1"],"owner":["p-1"],"percentage":["50"]},"datasets":["eu_fsf"]}}
{"op":"ADD","entity":{"id":"own-2","schema":"Ownership","properties":{"asset":["co-1"],"owner":["p-2"],"percentage":["25"]},"datasets":["eu_fsf","gb_hmt_sanctions"]}}
{"op":"ADD","entity":{"id":"dir-1","schema":"Directorship","properties":{"director":["p-2"],"organization":["co-1"],"role":["CEO"]},"datasets":["eu_fsf","gb_hmt_sanctions"]}}
{"op":"ADD","entity":{"id":"dir-2","schema":"Directorship","properties":{"director":["p-1"],"organization":["co-1"],"role":["Chairman"]},"datasets":["eu_fsf"]}}
EOF
# another dataset's export says some of the same of co-1
cat >"$TMP/hmt.ftm.json" <<'EOF'
{"id":"co-1","schema":"Company","properties":{"name":["ACME LLC"],"alias":["ACME MARINE"]},"datasets":["gb_hmt_sanctions"]}
EOF
# eu_fsf's next delta: ACME TRADING, the phone, addr-2 and p-1's share are
# no longer said; dir-1 and dir-2 are gone
cat >"$B/entities.delta.json" <<'EOF'
{"op":"MOD","entity":{"id":"co-1","schema":"Company","caption":"ACME LLC","properties":{"name":["ACME LLC"],"alias":["ACME","ACME MARINE"],"jurisdiction":["ru"],"addressEntity":["addr-1"]},"datasets":["eu_fsf"]}}
{"op":"MOD","entity":{"id":"own-1","schema":"Ownership","properties":{"asset":["co-1"],"owner":["p-2"],"percentage":["50"]},"datasets":["eu_fsf"]}}
{"op":"MOD","entity":{"id":"own-2","schema":"Ownership","properties":{"asset":["co-1"],"owner":["p-2"],"percentage":["30"]},"datasets":["eu_fsf"]}}
{"op":"DEL","entity":{"id":"dir-1"}}
{"op":"DEL","entity":{"id":"dir-2","schema":"Directorship","properties":{"director":["p-1"],"organization":["co-1"]},"datasets":["eu_fsf"]}}
{"op":"DEL","entity":{"id":"nowhere-1"}}
EOF

expect 0 "init" -- "$SG" --db "$DB" init
# a value given by hand before any FtM line stays whatever FtM says later
"$SG" --db "$DB" add Source hand kind=analyst publisher=Analyst >/dev/null 2>&1
"$SG" --db "$DB" add Company co-1 name="ACME LLC" phone="+7 495 0000000" --source hand >/dev/null 2>&1
expect 0 "import the first delta" -- "$SG" --db "$DB" import "$A/entities.delta.json" "$TMP/hmt.ftm.json"
same "ACME|ACME MARINE|ACME TRADING|" "$(aliases)" \
	"the aliases as given"
same "4" "$(q "MATCH (:Company {key:'co-1'})-[r]-() WHERE r.withdrawn IS NULL AND type(r) <> 'HAS_ADDRESS' RETURN count(r)" | tail -1)" \
	"two ownerships and two directorships"

digest >"$TMP/before-b"
expect 0 "import the MOD delta" -- "$SG" --db "$DB" import "$B/entities.delta.json"
contains "DEL nowhere-1: no such entity; nothing to remove" "$ERR" "a DEL naming nothing is reported"

# MOD removes what only that dataset gave
same "ACME|ACME MARINE|" "$(aliases)" \
	"MOD: an alias only eu_fsf gave is removed; one gb_hmt_sanctions also gives stays"
same "RU,'+7 495 0000000" "$(q "MATCH (c:Company {key:'co-1'}) RETURN c.jurisdiction, c.phone" | tail -1 | tr -d '"')" \
	"MOD: a value still given stays, and one given by hand before stays"
same "eu_fsf gb_hmt_sanctions hand" "$(q "MATCH (c:Company {key:'co-1'}) UNWIND sources(c) AS s WITH s.key AS k ORDER BY k RETURN k" | sed 1d | tr '\n' ' ' | sed 's/ $//')" \
	"the company still cites every dataset that says something of it"

# a dropped link: the relationship loses the citation and, cited by none, is withdrawn
same "addr-1,,1|addr-2,2024-02-01,0|" "$(q "MATCH (:Company {key:'co-1'})-[r:HAS_ADDRESS]->(a) RETURN a.key, r.withdrawn, size(sources(r)) ORDER BY a.key" | sed 1d | tr '\n' '|')" \
	"MOD: an address no longer given is withdrawn (the delta's date) and stays"
same "p-1,2024-02-01,0|p-2,,1|" "$(q "MATCH (:Company {key:'co-1'})-[r:OWNED_BY {claim:'own-1'}]->(o) RETURN o.key, r.withdrawn, size(sources(r)) ORDER BY o.key" | sed 1d | tr '\n' '|')" \
	"MOD of a link whose owner changed: the old relationship is withdrawn, the new one cited"
same "30,gb_hmt_sanctions," "$(q "MATCH (:Company {key:'co-1'})-[r:OWNED_BY {claim:'own-2'}]->() UNWIND sources(r) AS s RETURN r.percentage, s.key, r.withdrawn" | tail -1)" \
	"MOD of a link: the new value replaces eu_fsf's, gb_hmt_sanctions still cites it"
same "1" "$(q "MATCH ()-[r:OWNED_BY {claim:'own-2'}]->() RETURN count(r)" | tail -1)" "and it stays one relationship"

# DEL of a link entity is applied: id only (every dataset), or with its datasets
same "2024-02-01,0" "$(q "MATCH ()-[r:DIRECTOR_OF {claim:'dir-1'}]->() RETURN r.withdrawn, size(sources(r))" | tail -1)" \
	"DEL of a link by id: no dataset cites it, withdrawn on the delta's date, kept"
same "2024-02-01,0,Chairman" "$(q "MATCH ()-[r:DIRECTOR_OF {claim:'dir-2'}]->() RETURN r.withdrawn, size(sources(r)), r.role" | tail -1)" \
	"DEL of a link with its datasets: withdrawn, its values kept"

# a second run changes nothing
digest >"$TMP/after-b"
expect 0 "the MOD delta again" -- "$SG" --db "$DB" import "$B/entities.delta.json"
contains "relationships: 0 created, 0 updated" "$OUT" "the second run reports nothing changed"
contains "nodes: 0 created, 0 updated" "$OUT" "no node changed"
digest >"$TMP/again-b"
if cmp -s "$TMP/after-b" "$TMP/again-b"; then pass; else fail "a second run changes nothing: $(diff "$TMP/after-b" "$TMP/again-b" | head -4)"; fi
if cmp -s "$TMP/before-b" "$TMP/after-b"; then fail "the MOD delta changed nothing at all"; else pass; fi

# said again: cited again, no longer withdrawn
cat >"$C/entities.delta.json" <<'EOF'
{"op":"MOD","entity":{"id":"co-1","schema":"Company","caption":"ACME LLC","properties":{"name":["ACME LLC"],"alias":["ACME"],"addressEntity":["addr-1","addr-2"]},"datasets":["eu_fsf"]}}
EOF
expect 0 "a MOD that gives the address again" -- "$SG" --db "$DB" import "$C/entities.delta.json"
same "addr-2,,1" "$(q "MATCH (:Company {key:'co-1'})-[r:HAS_ADDRESS]->(a {key:'addr-2'}) RETURN a.key, r.withdrawn, size(sources(r))" | tail -1)" \
	"an address given again is cited again and no longer withdrawn"
same "," "$(q "MATCH (c:Company {key:'co-1'}) RETURN c.jurisdiction, c.withdrawn" | tail -1)" \
	"a value the MOD no longer gives (jurisdiction) is removed"

# DEL of a node by id only: every dataset's citation goes, and the
# references it gave go with it
D=$TMP/20240401000000-d
mkdir -p "$D"
printf '%s\n' '{"op":"DEL","entity":{"id":"co-1"}}' >"$D/entities.delta.json"
expect 0 "DEL of the company" -- "$SG" --db "$DB" import "$D/entities.delta.json"
same "hand" "$(q "MATCH (c:Company {key:'co-1'}) UNWIND sources(c) AS s RETURN s.key" | sed 1d | tr '\n' ' ' | sed 's/ $//')" \
	"DEL: the FtM datasets' citations go, the hand-made source's stays"
same "0" "$(q "MATCH (:Company {key:'co-1'})-[r:HAS_ADDRESS]->() WHERE r.withdrawn IS NULL RETURN count(r)" | tail -1)" \
	"DEL: the addresses it gave are withdrawn"
same "ACME LLC" "$(q "MATCH (c:Company {key:'co-1'}) RETURN c.name" | tail -1)" "DEL: the values stay"
"$SG" --db "$DB" export | sort >"$TMP/after-d"
expect 0 "the DEL again" -- "$SG" --db "$DB" import "$D/entities.delta.json"
"$SG" --db "$DB" export | sort >"$TMP/again-d"
if cmp -s "$TMP/after-d" "$TMP/again-d"; then pass; else fail "a second DEL changes nothing: $(diff "$TMP/after-d" "$TMP/again-d" | head -4)"; fi

# a record edited by hand into nonsense is ignored, never a crash
"$SG" --db "$DB" add Company co-2 name=X 'ftm_said=zz 99999999:co-2 @ 3:a' >/dev/null 2>&1
printf '%s\n' '{"id":"co-2","schema":"Company","properties":{"name":["X"],"alias":["Y"]},"datasets":["eu_fsf"]}' >"$TMP/co2.ftm.json"
expect 0 "a hand-edited record" -- "$SG" --db "$DB" import "$TMP/co2.ftm.json"
same "Y" "$(q "MATCH (c:Company {key:'co-2'}) RETURN c.aliases[0]" | tail -1)" "the line is imported all the same"

# the graph after all of it passes check (referents and FtM ids stay
# aliases in the key index, and check knows them)
expect 0 "check after the deltas" -- "$SG" --db "$DB" check
contains "ok:" "$OUT" "check finds nothing wrong"

# the record is not exported as an FtM property
"$SG" --db "$DB" export --format ftm >"$TMP/out.ftm"
if grep -q 'ftmSaid\|ftm_said' "$TMP/out.ftm"; then fail "ftm_said leaked into the FtM export"; else pass; fi

finish
