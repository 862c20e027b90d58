# ftm.sh: OpenSanctions / FollowTheMoney in and out, through the real binary.
# Real OpenSanctions lines (tests/data/ftm, from opensanctions/yente's
# fixtures): link schemata as relationships, datasets as Sources, referents
# as aliases (ofac-32733), deltas; constructed lines for what the fixtures
# lack (a vessel with a bad flag, DEL, partial dates, an entity matching an
# existing node, an ambiguous referent, an unknown schema); export --format
# ftm and its round trip; export --query in every format.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data/ftm" && pwd)

q() { "$SG" --db "$DB" query --format csv "$1" 2>/dev/null | tr -d '\r'; }

expect 0 "init" -- "$SG" --db "$DB" init
expect 0 "import real OpenSanctions lines" -- "$SG" --db "$DB" import "$DATA/zala.ftm.json" "$DATA/eu_fsf.ftm.json"
contains "imported" "$ERR" "import prints a summary"
contains "listingDate has 2 dates; listed takes the earliest" "$ERR" "multi-valued dates are reported"

# link schemata became relationships, counted from the fixture itself
for pair in Ownership:OWNED_BY Directorship:DIRECTOR_OF Sanction:SANCTIONED_UNDER Family:LINKED_TO; do
	schema=${pair%%:*} type=${pair#*:}
	want=$(grep -c "\"schema\": \"$schema\"" "$DATA/zala.ftm.json")
	got=$(q "MATCH ()-[r:$type]->() RETURN count(r)" | tail -1)
	same "$want" "$got" "$schema lines become $want $type relationships (got $got)"
done
same "Source:27" "$(q "MATCH (s:Source) RETURN 'Source:' + toString(count(s))" | tail -1)" "every dataset is a Source"
same "registry" "$(q "MATCH (s:Source {key:'ext_ru_egrul'}) RETURN s.kind" | tail -1)" "ext_ru_egrul is a registry"
same "sanctions-list" "$(q "MATCH (s:Source {key:'us_ofac_sdn'}) RETURN s.kind" | tail -1)" "us_ofac_sdn is a sanctions list"
contains "LLC CST,us_ofac_sdn" "$(q "MATCH (c:Company {key:'NK-abdzbEBkqyT29GyREbiURZ'}) UNWIND sources(c) AS s WITH c, s WHERE s.key = 'us_ofac_sdn' RETURN c.name, s.key")" "the entity cites its datasets"
contains "us_ofac_sdn (confirmed)" "$("$SG" --db "$DB" show NK-abdzbEBkqyT29GyREbiURZ)" "citations are confirmed"
# the Sanction node keyed by programId, the listing dated
contains "AU-RUSSIA,Department of Foreign Affairs and Trade" "$(q "MATCH (:Company {key:'NK-abdzbEBkqyT29GyREbiURZ'})-[r:SANCTIONED_UNDER]->(s:Sanction {key:'AU-RUSSIA'}) RETURN s.key, s.authority")" "Sanction keyed by programId"
contains "Leader or official of" "$(q "MATCH (p:Person)-[r:DIRECTOR_OF]->(c:Company {key:'NK-abdzbEBkqyT29GyREbiURZ'}) RETURN r.role")" "Directorship: director -> organization with its role"
contains "Family member of" "$(q "MATCH (:Person)-[r:LINKED_TO {ftm_schema:'Family'}]->(:Person {key:'NK-aU5ybkbRFJucf8YMwsJvDw'}) RETURN r.relationship")" "Family: LINKED_TO with relationship"
contains "subsidiary of" "$(q "MATCH (a:Company {key:'NK-abdzbEBkqyT29GyREbiURZ'})-[r:OWNED_BY]->(o) RETURN r.role")" "Ownership: asset -> owner"

expect 0 "check an FtM import" -- "$SG" --db "$DB" check
contains "ok:" "$OUT" "referents as key aliases are not reported by check"

# a referent resolves: show and find
expect 0 "show a referent" -- "$SG" --db "$DB" show ofac-32733
contains "Organization:NK-2GdmHtZTeNXjNVrBGEXZNj" "$OUT" "ofac-32733 is the Inter Tobacco entity"
contains "Inter Tobacco" "$OUT" "show prints the entity"
expect 0 "find a referent" -- "$SG" --db "$DB" find ofac-32733
contains "NK-2GdmHtZTeNXjNVrBGEXZNj" "$OUT" "find resolves the referent"

# ---- round trip: import ftm -> export ftm -> import into a fresh db
"$SG" --db "$DB" export --format ftm -o "$TMP/out.ftm" 2>/dev/null
same 0 $? "export --format ftm"
grep -q '"schema":"Ownership"' "$TMP/out.ftm" && pass || fail "the export holds Ownership lines"
grep -q '"referents":\["ofac-32733"' "$TMP/out.ftm" && pass || fail "the export keeps referents"
"$SG" --db "$TMP/db2" init >/dev/null
expect 0 "reload the FtM export" -- "$SG" --db "$TMP/db2" import "$TMP/out.ftm"
"$SG" --db "$DB" export | sort >"$TMP/a.jsonl"
"$SG" --db "$TMP/db2" export | sort >"$TMP/b.jsonl"
if cmp -s "$TMP/a.jsonl" "$TMP/b.jsonl"; then pass; else fail "the FtM export reloads to the same graph: $(diff "$TMP/a.jsonl" "$TMP/b.jsonl" | head -5)"; fi

# a graph that did not come from FtM (the Lady R demo): every node and
# relationship comes back, with its type (built-in types travel as the
# role of an UnknownLink); Source details and confidences do not
"$SG" --db "$TMP/demo" demo -o "$TMP/demo.svg" >/dev/null 2>&1
"$SG" --db "$TMP/demo" export --format ftm -o "$TMP/demo.ftm" 2>/dev/null
"$SG" --db "$TMP/demo2" init >/dev/null
expect 0 "the demo's FtM export reloads" -- "$SG" --db "$TMP/demo2" import "$TMP/demo.ftm"
for db in demo demo2; do
	"$SG" --db "$TMP/$db" query --format csv "MATCH (a)-[r]->(b) RETURN labels(a)[0], a.key, type(r), labels(b)[0], b.key, r.date, r.start, r.hours ORDER BY a.key, type(r), b.key, r.date" >"$TMP/$db.rels"
	"$SG" --db "$TMP/$db" query --format csv "MATCH (n) WHERE NOT n:Source RETURN labels(n)[0], n.key, n.name, n.lat, n.gross_tonnage ORDER BY n.key" >"$TMP/$db.nodes"
done
if cmp -s "$TMP/demo.rels" "$TMP/demo2.rels"; then pass; else fail "demo relationships after the FtM round trip: $(diff "$TMP/demo.rels" "$TMP/demo2.rels" | head -3)"; fi
if cmp -s "$TMP/demo.nodes" "$TMP/demo2.nodes"; then pass; else fail "demo nodes after the FtM round trip: $(diff "$TMP/demo.nodes" "$TMP/demo2.nodes" | head -3)"; fi

# ---- deltas (real ADD and MOD lines; a constructed DEL)
expect 0 "import real delta files" -- "$SG" --db "$DB" import "$DATA/t2-20240527194702-wnk.delta.json" \
	"$DATA/t2-20240528014702-pfh.delta.json" "$DATA/t2-20240528134729-3iv.delta.json"
same "Vladimir Nikolaevich PLOTNIKOV" "$(q "MATCH (p:Person {key:'Q4365364'}) RETURN p.name" | tail -1)" "a delta ADD adds the entity"
mkdir -p "$TMP/20240601120000-del"
printf '%s\n' '{"op":"DEL","entity":{"id":"Q4365364","schema":"Person","properties":{},"datasets":["eu_fsf"]}}' \
	>"$TMP/20240601120000-del/entities.delta.json"
expect 0 "a DEL delta" -- "$SG" --db "$DB" import --format ftm "$TMP/20240601120000-del/entities.delta.json"
same "2024-06-01,0" "$(q "MATCH (p:Person {key:'Q4365364'}) RETURN p.withdrawn, size(sources(p))" | tail -1)" \
	"DEL removes the dataset's citations; uncited, the entity is withdrawn on the delta's date and stays"

# ---- constructed lines: a vessel, an existing node, ambiguity, dates, unknown schema
"$SG" --db "$DB" add Source ofac-sdn-2024-05-03 kind=sanctions-list publisher=OFAC >/dev/null 2>&1
"$SG" --db "$DB" add Vessel IMO9161003 name="LADY R" --source ofac-sdn-2024-05-03 >/dev/null 2>&1
"$SG" --db "$DB" add Company ofac-45001 name=TRANSMORFLOT --source ofac-sdn-2024-05-03 >/dev/null 2>&1
"$SG" --db "$DB" add Company ofac-777 name=ONE >/dev/null 2>&1
"$SG" --db "$DB" add Person ofac-777 name=TWO >/dev/null 2>&1
cat >"$TMP/vessels.ftm.json" <<'EOF'
{"schema":"Vessel","id":"imo-vsl-9161003","properties":{"name":["LADY R"],"imoNumber":["IMO 9161003"],"mmsi":["273453060"],"flag":["ru"],"pastFlags":["suhh","mt"],"callSign":["UBOU3"],"grossRegisteredTonnage":["7260"],"topics":["sanction","mare.shadow"]},"datasets":["us_ofac_sdn"],"referents":["ofac-32733x"]}
{"id":"NK-transmorflot","schema":"Company","properties":{"name":["TRANSMORFLOT LLC"]},"referents":["ofac-45001"],"datasets":["us_ofac_sdn"]}
{"id":"NK-ambiguous","schema":"Company","properties":{"name":["AMBIGUOUS"]},"referents":["ofac-777"],"datasets":["us_ofac_sdn"]}
{"id":"own-1","schema":"Ownership","properties":{"asset":["imo-vsl-9161003"],"owner":["NK-transmorflot"],"percentage":["100"],"startDate":["2022"],"endDate":["2023-03"]},"datasets":["us_ofac_sdn"]}
{"id":"san-1","schema":"Sanction","properties":{"entity":["imo-vsl-9161003"],"authority":["OFAC"],"program":["RUSSIA-EO14024"],"listingDate":["2022-05-08","2022-02-01"],"startDate":["2022-05-08"]},"datasets":["us_ofac_sdn"]}
{"id":"x-1","schema":"CryptoWallet","properties":{"publicKey":["bc1qxyz"],"currency":["XBT"]},"datasets":["us_ofac_sdn"]}
EOF
expect 0 "import constructed vessel lines" -- "$SG" --db "$DB" import "$TMP/vessels.ftm.json"
contains 'pastFlags suhh: a flag is an ISO 3166 alpha-2 code' "$ERR" "a flag failing the check is reported"
contains "referent ofac-777 names two or more nodes; not merged" "$ERR" "an ambiguous referent is reported"
same "1" "$(q "MATCH (v:Vessel) WHERE v.name = 'LADY R' RETURN count(v)" | tail -1)" "OFAC's LADY R and OpenSanctions' are one node"
same "IMO9161003,9161003,273453060,RU,MT,suhh,UBOU3,7260" \
	"$(q "MATCH (v:Vessel {key:'IMO9161003'}) RETURN v.key, v.imo, v.mmsi, v.flag, v.past_flags[0], v.past_flags_raw[0], v.call_sign, v.gross_tonnage" | tail -1)" \
	"Vessel properties mapped; suhh kept as past_flags_raw"
same "2" "$(q "MATCH (v:Vessel {key:'IMO9161003'}) RETURN size(sources(v))" | tail -1)" "the vessel cites both lists"
expect 0 "the FtM id of a vessel resolves" -- "$SG" --db "$DB" show imo-vsl-9161003
contains "Vessel:IMO9161003" "$OUT" "imo-vsl-9161003 is the IMO-keyed vessel"
same "Company:ofac-45001" "$(q "MATCH (c {name:'TRANSMORFLOT LLC'}) RETURN labels(c)[0] + ':' + c.key" | tail -1)" \
	"a referent naming an existing node merges into it"
same "NK-ambiguous" "$(q "MATCH (c {name:'AMBIGUOUS'}) RETURN c.key" | tail -1)" "and the entity keeps its own key"
same "2022-01-01,2023-03-31,year,month,100" "$(q "MATCH (:Vessel {key:'IMO9161003'})-[r:OWNED_BY]->() RETURN r.start, r.end, r.precision, r.end_precision, r.percentage" | tail -1)" \
	"partial dates: first day of start, last day of end"
same "2022-02-01,RUSSIA-EO14024,OFAC" "$(q "MATCH (:Vessel {key:'IMO9161003'})-[r:SANCTIONED_UNDER]->(s:Sanction) RETURN r.listed, s.key, r.authority" | tail -1)" \
	"Sanction: listed is the earliest listingDate; the programme without an id keys the Sanction node"
same "bc1qxyz" "$(q "MATCH (w:CryptoWallet) RETURN w.public_key" | tail -1)" "an unknown schema is kept with its label and properties"
"$SG" --db "$DB" export --format ftm | grep '"own-1"' >"$TMP/own.ftm"
contains '"startDate":["2022"],"endDate":["2023-03"]' "$(cat "$TMP/own.ftm")" "partial dates are exported at their precision"

# hostile values: kept raw, reported, never an abort
printf '%s\n' '{"id":"san-2","schema":"Sanction","properties":{"entity":["NK-transmorflot"],"program":["X"],"listingDate":["2022-13-45","1"],"startDate":["2021"],"endDate":["2020"]},"datasets":["us_ofac_sdn"]}' \
	'{"id":"h-1","schema":"Person","properties":{"name":"not a list","alias":[1,null]},"datasets":{"x":"y"},"referents":"r"}' >"$TMP/hostile.ftm.json"
expect 0 "hostile values do not abort" -- "$SG" --db "$DB" import "$TMP/hostile.ftm.json"
contains "end 2020-12-31 is before start; kept as end_raw" "$ERR" "a span ending before it starts is reported"
same "2021-01-01,2020-12-31,2" "$(q "MATCH (:Company {key:'ofac-45001'})-[r:SANCTIONED_UNDER]->(:Sanction {key:'X'}) RETURN r.start, r.end_raw, size(r.listed_raw)" | tail -1)" \
	"dates that are no dates are kept raw"

# ---- --datasets: titles and publishers from OpenSanctions' index
cat >"$TMP/index.json" <<'EOF'
{"datasets":[{"name":"gb_hmt_sanctions","title":"UK HMT Financial Sanctions","type":"source","publisher":{"name":"HM Treasury"},"url":"https://www.gov.uk/"}]}
EOF
printf '%s\n' '{"id":"hmt-1","schema":"Person","properties":{"name":["A PERSON"]},"datasets":["gb_hmt_sanctions"]}' >"$TMP/hmt.ftm.json"
expect 0 "import with --datasets" -- "$SG" --db "$DB" import --datasets "$TMP/index.json" "$TMP/hmt.ftm.json"
same "UK HMT Financial Sanctions,HM Treasury" "$(q "MATCH (s:Source {key:'gb_hmt_sanctions'}) RETURN s.title, s.publisher" | tail -1)" "--datasets gives title and publisher"

# ---- bad input: file:line, exit 1, nothing written
"$SG" --db "$DB" stats >"$TMP/before" 2>&1
printf '%s\n%s\n' '{"id":"ok-1","schema":"Person","properties":{"name":["OK"]}}' '{"id":"bad","schema":' >"$TMP/bad.ftm.json"
expect 1 "a malformed line" -- "$SG" --db "$DB" import --format ftm "$TMP/bad.ftm.json"
contains "bad.ftm.json:2: invalid JSON" "$ERR" "the error names file:line"
"$SG" --db "$DB" stats >"$TMP/after" 2>&1
if cmp -s "$TMP/before" "$TMP/after"; then pass; else fail "a failed import writes nothing"; fi
printf '%s\n' '{"id":"x","properties":{}}' >"$TMP/noschema.ftm.json"
expect 1 "an entity without schema" -- "$SG" --db "$DB" import --format ftm "$TMP/noschema.ftm.json"
contains "noschema.ftm.json:1: entity x needs a string \"schema\"" "$ERR" "says what is missing"
expect 0 "--skip-bad skips it" -- "$SG" --db "$DB" import --skip-bad "$TMP/bad.ftm.json"
same "OK" "$(q "MATCH (p:Person {key:'ok-1'}) RETURN p.name" | tail -1)" "the good line lands with --skip-bad"

# ---- export --query, every format
Q="MATCH (p:Person)-[r:DIRECTOR_OF]->(c:Company {key:'NK-abdzbEBkqyT29GyREbiURZ'}) RETURN p, r"
expect 0 "export --query jsonl" -- "$SG" --db "$DB" export --query "$Q"
same 2 "$(printf '%s\n' "$OUT" | grep -c '"edge":"DIRECTOR_OF"')" "the query's relationships"
contains '"node":"Company","key":"NK-abdzbEBkqyT29GyREbiURZ"' "$OUT" "its end nodes"
contains '"node":"Source","key":"us_ofac_sdn"' "$OUT" "the Sources they cite"
lacks '"edge":"SANCTIONED_UNDER"' "$OUT" "nothing outside the subgraph"
"$SG" --db "$TMP/db3" init >/dev/null
expect 0 "the subgraph reloads" -- sh -c "printf '%s\n' \"\$1\" | \"$SG\" --db \"$TMP/db3\" import -" sh "$OUT"
expect 0 "export --query ftm" -- "$SG" --db "$DB" export --format ftm --query "MATCH (a:Person)-[r:LINKED_TO]->(b) RETURN a, b"
same 4 "$(printf '%s\n' "$OUT" | grep -c '"schema":"Family"')" "relationships between returned nodes are included"
expect 0 "export --query csv" -- "$SG" --db "$DB" export --format csv -o "$TMP/qcsv" --query "$Q"
[ -f "$TMP/qcsv/rels-DIRECTOR_OF-Person-Company.csv" ] && pass || fail "csv: the relationship file"
[ -f "$TMP/qcsv/nodes-Source.csv" ] && pass || fail "csv: the Source nodes"
expect 0 "export --query cypher" -- "$SG" --db "$DB" export --format cypher --query "$Q"
contains "DIRECTOR_OF" "$OUT" "cypher: the relationship"
expect 1 "a bad query" -- "$SG" --db "$DB" export --query "MATCH (x RETURN x"
contains "query: line 1" "$ERR" "the query error says where"
expect 2 "--param without --query" -- "$SG" --db "$DB" export --param a=1

finish
