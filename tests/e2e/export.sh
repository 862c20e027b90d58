# export.sh: handing a graph on to Neo4j, through the real binary.
# `export --format csv` (neo4j-admin import files) and `--format cypher`
# on the Lady R demo and on tests/data/roundtrip-all.jsonl (every value
# type): the exact files and headers, the neo4j-admin command, the round
# trips back through our own `import --format csv` and `query -f` (compared
# as JSONL exports, with citations compared as the `sources` property they
# become, and the values Neo4j cannot store as the JSON strings they
# become), RFC 4180 quoting of commas, quotes, newlines and non-ASCII
# text, ID spaces and file names that would collide, the `key` and
# `sources` names taken by properties, and the refusal to write into a
# directory that is not empty.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)

# norm.py [--cites NAME] [--drop OWNER.PROP]... FILE: a JSONL export in a
# form to compare: one line per node (lines of the same node merged) or
# relationship, keys sorted, lines sorted; with --cites, citations become
# the property NAME holding "KEY|CONFIDENCE" strings, as the Neo4j
# exporters write them; --drop removes a property of nodes of first label
# (or relationships of type) OWNER.
cat >"$TMP/norm.py" <<'PY'
import json, sys
args = sys.argv[1:]
cites, drop = None, []
while args[0].startswith("--"):
    if args[0] == "--cites":
        cites = args[1]
    else:
        drop.append(args[1].split(".", 1))
    args = args[2:]
nodes, order, edges = {}, [], []
for line in open(args[0], encoding="utf-8"):
    r = json.loads(line)
    if "node" in r:
        k = (r["node"], r["key"])
        if k in nodes:
            nodes[k].update({m: r[m] for m in ("sources",) if m in r})
            nodes[k].setdefault("props", {}).update(r.get("props", {}))
        else:
            nodes[k] = r
            order.append(k)
    else:
        edges.append(r)
def ref_key(c):
    if "key" in c:
        return c["key"]
    ref = c["ref"]
    return ref["key"] if isinstance(ref, dict) else ref.split(":", 1)[-1]
def form(r, owner):
    if cites is not None and "sources" in r:
        r.setdefault("props", {})[cites] = [ref_key(c) + "|" + c["confidence"] for c in r.pop("sources")]
    for o, p in drop:
        if o == owner:
            r.get("props", {}).pop(p, None)
    if "props" in r and not r["props"]:
        del r["props"]
    return json.dumps(r, sort_keys=True, ensure_ascii=False)
lines = [form(nodes[k], nodes[k]["node"]) for k in order] + [form(e, e["edge"]) for e in edges]
print("\n".join(sorted(lines)))
PY
norm() { python3 "$TMP/norm.py" "$@"; }

# csv_args DIR: --nodes F / --relationships F for each file of a CSV export
csv_args() {
	for f in "$1"/nodes-*.csv; do printf '%s\n' --nodes "$f"; done
	for f in "$1"/rels-*.csv; do printf '%s\n' --relationships "$f"; done
}

# reimport_csv NAME DIR: a fresh database $TMP/NAME.db loaded from DIR with
# explicit --nodes and --relationships, then exported as $TMP/NAME.jsonl
reimport_csv() {
	rm -rf "$TMP/$1.db"
	expect 0 "$1: init" -- "$SG" --db "$TMP/$1.db" init
	# shellcheck disable=SC2046 # file names of the export hold no blanks
	expect 0 "$1: import --format csv" -- "$SG" --db "$TMP/$1.db" import --format csv $(csv_args "$2")
	expect 0 "$1: export of the reimport" -- "$SG" --db "$TMP/$1.db" export -o "$TMP/$1.jsonl"
}

# reimport_cypher NAME FILE: a fresh database $TMP/NAME.db made by running
# FILE with query -f, exported as $TMP/NAME.jsonl
reimport_cypher() {
	rm -rf "$TMP/$1.db"
	expect 0 "$1: init" -- "$SG" --db "$TMP/$1.db" init
	expect 0 "$1: query -f" -- "$SG" --db "$TMP/$1.db" query -f "$2"
	expect 0 "$1: export of the reimport" -- "$SG" --db "$TMP/$1.db" export -o "$TMP/$1.jsonl"
}

# same_graph DESCRIPTION [norm options] -- ORIGINAL REIMPORTED: the original
# (citations as the sources property) and the reimport compare equal
same_graph() {
	what=$1
	shift
	opts=""
	while [ "$1" != -- ]; do opts="$opts $1"; shift; done
	# shellcheck disable=SC2086 # options are single words
	if ! norm --cites sources $opts "$2" >"$TMP/a.norm" || ! norm $opts "$3" >"$TMP/b.norm"; then
		fail "$what: cannot read the exports"
	elif cmp -s "$TMP/a.norm" "$TMP/b.norm"; then
		pass
	else
		fail "$what: the graphs differ: $(diff "$TMP/a.norm" "$TMP/b.norm" | head -20)"
	fi
}

expect 0 "export --help" -- "$SG" export --help
contains "--format jsonl|ftm|csv|cypher" "$OUT" "export --help names the formats"

# ================================================================ Lady R

LADY=$TMP/lady.db
expect 0 "demo" -- "$SG" --db "$LADY" demo -o "$TMP/lady-r.svg"
expect 0 "demo as JSONL" -- "$SG" --db "$LADY" export -o "$TMP/lady.jsonl"

# ---- csv ----
expect 0 "csv export of the demo" -- "$SG" --db "$LADY" export --format csv -o "$TMP/lady-csv"
L=$TMP/lady-csv
same "neo4j-admin database import full --nodes=$L/nodes-Cargo.csv --nodes=$L/nodes-Company.csv --nodes=$L/nodes-Port.csv --nodes=$L/nodes-Sanction.csv --nodes=$L/nodes-Source.csv --nodes=$L/nodes-Vessel.csv --relationships=$L/rels-AIS_GAP-Vessel-Port.csv --relationships=$L/rels-CALLED_AT-Vessel-Port.csv --relationships=$L/rels-CARRIED-Vessel-Cargo.csv --relationships=$L/rels-DELIVERED_TO-Cargo-Port.csv --relationships=$L/rels-LINKED_TO-Vessel-Company.csv --relationships=$L/rels-LOADED_AT-Cargo-Port.csv --relationships=$L/rels-SANCTIONED_UNDER-Vessel-Sanction.csv --relationships=$L/rels-SIGHTED_AT-Vessel-Port.csv" \
	"$OUT" "csv: the neo4j-admin command names every file"
same "exported 16 nodes (6 files) and 12 relationships (8 files) to $L" "$ERR" "csv: the summary on stderr, no warnings"
same "nodes-Cargo.csv nodes-Company.csv nodes-Port.csv nodes-Sanction.csv nodes-Source.csv nodes-Vessel.csv rels-AIS_GAP-Vessel-Port.csv rels-CALLED_AT-Vessel-Port.csv rels-CARRIED-Vessel-Cargo.csv rels-DELIVERED_TO-Cargo-Port.csv rels-LINKED_TO-Vessel-Company.csv rels-LOADED_AT-Cargo-Port.csv rels-SANCTIONED_UNDER-Vessel-Sanction.csv rels-SIGHTED_AT-Vessel-Port.csv" \
	"$(cd "$L" && echo *)" "csv: the files, and nothing else"
same 'key:ID(Vessel),flag,gross_tonnage:long,imo,name,note,type,sources:string[],:LABEL
IMO9161003,RU,7260,9161003,LADY R,,ro-ro cargo,ofac-sdn-2024-05-03|confirmed;imo-ship-images|probable,Vessel
KP-TANKERS-2024-04,KP,,,North Korean oil tankers (unnamed),"several vessels, not identified in the report",tanker,yomiuri-2024-06-09|possible,Vessel' \
	"$(cat "$L/nodes-Vessel.csv")" "csv: nodes-Vessel.csv"
same 'key:ID(Port),aliases:string[],country,lat:double,locode,lon:double,name,wpi:long,:LABEL' \
	"$(head -n 1 "$L/nodes-Port.csv")" "csv: a header with arrays, doubles and longs"
same ':START_ID(Vessel),:END_ID(Port),date:date,note,sources:string[],:TYPE
IMO9161003,RUVYP,2024-04-02,anchored at a pier with piles of containers,planet-2024-04-02|probable;yomiuri-2024-06-09|probable;imo-ship-images|possible,SIGHTED_AT
IMO9161003,RUVYP,2024-04-03,,planet-2024-04-03|probable;yomiuri-2024-06-09|probable,SIGHTED_AT
IMO9161003,KPRJN,2024-04-14,docked,planet-2024-04-14|probable;yomiuri-2024-06-09|probable,SIGHTED_AT' \
	"$(cat "$L/rels-SIGHTED_AT-Vessel-Port.csv")" "csv: rels-SIGHTED_AT-Vessel-Port.csv"
contains 'ofac-sdn-2024-05-03,2024-05-03,sanctions-list,"U.S. Treasury, Office of Foreign Assets Control","Specially Designated Nationals list, entry 37095",https://www.treasury.gov/ofac/downloads/sdn.csv,Source' \
	"$(cat "$L/nodes-Source.csv")" "csv: commas are quoted"

expect 0 "csv export again" -- "$SG" --db "$LADY" export --format csv -o "$TMP/lady-csv2"
expect 0 "csv: the same database gives the same files" -- diff -r "$L" "$TMP/lady-csv2"

reimport_csv lady-back "$L"
same_graph "csv round trip of the demo" -- "$TMP/lady.jsonl" "$TMP/lady-back.jsonl"
# the importer also finds the files' roles by itself, node files first
expect 0 "init for the globbed import" -- "$SG" --db "$TMP/lady-glob.db" init
expect 0 "import DIR/*.csv" -- "$SG" --db "$TMP/lady-glob.db" import "$L"/rels-SIGHTED_AT-Vessel-Port.csv "$L"/nodes-*.csv "$L"/rels-[!S]*.csv "$L"/rels-SANCTIONED*.csv
expect 0 "export of the globbed import" -- "$SG" --db "$TMP/lady-glob.db" export -o "$TMP/lady-glob.jsonl"
same_graph "csv round trip of the demo, files in any order" -- "$TMP/lady.jsonl" "$TMP/lady-glob.jsonl"
expect 0 "the demo's chain query on the reimport" -- "$SG" --db "$TMP/lady-back.db" query \
	"MATCH (v:Vessel)-[a:SIGHTED_AT]->(:Port {country: 'RU'}), (v)-[b:SIGHTED_AT]->(:Port {country: 'KP'}) WHERE b.date <= a.date + duration('P30D') RETURN v.name, a.date, b.date, duration.between(a.date, b.date) AS gap, b.sources ORDER BY a.date" --format csv
same "v.name,a.date,b.date,gap,b.sources
LADY R,2024-04-02,2024-04-14,P12D,\"['planet-2024-04-14|probable', 'yomiuri-2024-06-09|probable']\"
LADY R,2024-04-03,2024-04-14,P11D,\"['planet-2024-04-14|probable', 'yomiuri-2024-06-09|probable']\"" "$(printf '%s\n' "$OUT" | tr -d '\r')" "csv: typed dates and citations survive"

# ---- cypher ----
expect 0 "cypher export of the demo" -- "$SG" --db "$LADY" export --format cypher
CY=$OUT
printf '%s\n' "$CY" >"$TMP/lady.cypher"
same "" "$ERR" "cypher: no warnings for the demo"
contains "CREATE (:\`Source\` {\`key\`: 'planet-2024-04-02', \`date\`: date('2024-04-02'), \`kind\`: 'satellite-imagery', \`publisher\`: 'Planet Labs PBC', \`title\`: 'PlanetScope image of Vostochny port, 2 April 2024'})," \
	"$CY" "cypher: the first node"
contains "       (:\`Vessel\` {\`key\`: 'IMO9161003', \`flag\`: 'RU', \`gross_tonnage\`: 7260, \`imo\`: '9161003', \`name\`: 'LADY R', \`type\`: 'ro-ro cargo', \`sources\`: ['ofac-sdn-2024-05-03|confirmed', 'imo-ship-images|probable']})," \
	"$CY" "cypher: the Lady R with its citations"
contains "MATCH (a:\`Vessel\` {\`key\`: 'IMO9161003'}), (b:\`Port\` {\`key\`: 'KPRJN'}) CREATE (a)-[:\`SIGHTED_AT\` {\`date\`: date('2024-04-14'), \`note\`: 'docked', \`sources\`: ['planet-2024-04-14|probable', 'yomiuri-2024-06-09|probable']}]->(b);" \
	"$CY" "cypher: a relationship"
contains "//   CREATE INDEX IF NOT EXISTS FOR (n:\`Label\`) ON (n.\`key\`);" "$CY" "cypher: the index hint"
same "" "$(grep '^//' "$TMP/lady.cypher" | grep -e Vessel -e Port -e Source)" "cypher: no label in a comment"
same 12 "$(grep -c '^MATCH' "$TMP/lady.cypher")" "cypher: one statement per relationship"
expect 0 "cypher export to a file" -- "$SG" --db "$LADY" export --format cypher -o "$TMP/lady-o.cypher"
expect 0 "cypher: -o writes the same script" -- cmp "$TMP/lady.cypher" "$TMP/lady-o.cypher"
reimport_cypher lady-cy "$TMP/lady.cypher"
same_graph "cypher round trip of the demo" -- "$TMP/lady.jsonl" "$TMP/lady-cy.jsonl"

# ================================================================ every value type

ALL=$TMP/all.db
expect 0 "init for roundtrip-all" -- "$SG" --db "$ALL" init
expect 0 "import roundtrip-all.jsonl" -- "$SG" --db "$ALL" import "$DATA/roundtrip-all.jsonl"
expect 0 "roundtrip-all as JSONL" -- "$SG" --db "$ALL" export -o "$TMP/all.jsonl"
expect 0 "csv export of every value type" -- "$SG" --db "$ALL" export --format csv -o "$TMP/all-csv"
A=$TMP/all-csv
same "sanctgraph: export: warning: nodes-Vessel.csv: column dates written as strings: it holds a list of mixed types, which Neo4j cannot store
sanctgraph: export: warning: nodes-Vessel.csv: column mixed written as strings: it holds a list of mixed types, which Neo4j cannot store
sanctgraph: export: warning: nodes-Vessel.csv: column nested written as strings: it holds a list holding lists, which Neo4j cannot store
sanctgraph: export: warning: rels-CALLED_AT-Vessel-Port.csv: column start written as strings: its values are of several types (date and datetime)
exported 12 nodes (8 files) and 11 relationships (7 files) to $A" "$ERR" "csv: each column written as strings is named"
contains "neo4j-admin database import full --multiline-fields=true --nodes=$A/nodes-Company.csv" "$OUT" "csv: multiline fields need the option"
contains "--nodes=$A/nodes-Weird_Label.csv --nodes=$A/nodes-_.csv --relationships=$A/rels-AIS_GAP-Vessel-Vessel.csv" "$OUT" "csv: safe file names; nodes without labels last"
same 'key:ID(Person),back:duration,born:date,breaks:localtime[],closes:localtime,last_seen:datetime,local:localdatetime,looks_like_time,name,odd:duration,opens:time,shift:duration,span:duration,utc:datetime,utc_time:time,wait:duration,zero_d:duration,sources:string[],:LABEL
P1,P-2D,1960-02-29,12:00:00;15:30:00,17:45:30.25,2024-04-14T08:30:15.123456789-05:30,2024-04-14T08:30:00,12:00,Ким Чен,P1M-2DT3.000000005S,08:30:00+05:30,PT12H,P1Y2M3DT4H5M6.5S,2024-04-14T23:59:59Z,23:59:59.000000001Z,P30D,PT0S,unreport-2024|possible,Person' \
	"$(cat "$A/nodes-Person.csv")" "csv: temporal columns"
same 'key:ID(Vessel),built:date,dates,empty,escapes,flag,huge:double,imo,inactive:boolean,inf:double,looks_like_date,looks_like_dt,max:long,min:long,mixed,mmsi,name,nan:double,negzero:double,nested,ninf:double,past_flags:string[],past_names:string[],plain,ratio:double,sanctioned:boolean,third:double,tiny:double,tonnage:long,whole:double,zero:long,sources:string[],:LABEL' \
	"$(head -n 1 "$A/nodes-Vessel.csv")" "csv: scalar and array columns"
contains ',RU,1e+300,9161003,false,Infinity,2024-01-01,2024-01-01T10:00:00Z,9223372036854775807,-9223372036854775808,"[1,""two"",null,true]",273214860,LADY R,NaN,-0.0,"[[1,2],[],[3.5,""x""]]",-Infinity,MT;KM,ЛЕДИ Р;MERCURY,2024-01-01 (approx),0.1,true,0.3333333333333333,5e-324,9007199254740993,3.0,0,planet-2024-04-14|confirmed;unreport-2024|probable;rfa-2024-05|possible;ais-gfw|suspected,Vessel;Sanctioned' \
	"$(cat "$A/nodes-Vessel.csv")" "csv: exact numbers, typed lists, multiple labels"
contains 'IMO9161003,1998-06-01,"[""2024-01-01"",{""$string"":""2024-02-02""},""not a date""]","","tab	quote""back\slash
newline' "$(cat "$A/nodes-Vessel.csv")" "csv: empty string quoted, quotes doubled, newline kept"
same 'key:ID(Weird_Label),note,:LABEL
odd key: with colon,label with a colon,Weird:Label' "$(cat "$A/nodes-Weird_Label.csv")" "csv: a label a header cannot carry gets a safe ID space"
same 'key:ID(_),note,seen:datetime,:LABEL
nolabel-1,a node without labels,2024-04-14T08:30:00+03:00,
nolabel-2,,,' "$(cat "$A/nodes-_.csv")" "csv: nodes without labels"
same ':START_ID(Weird_Label),:END_ID(_),:TYPE
odd key: with colon,nolabel-1,LINKED_TO' "$(cat "$A/rels-LINKED_TO-Weird_Label-_.csv")" "csv: relationship ID spaces follow the node files"

reimport_csv all-back "$A"
same_graph "csv round trip of every value type, but the four string columns" \
	--drop Vessel.dates --drop Vessel.mixed --drop Vessel.nested --drop CALLED_AT.start -- "$TMP/all.jsonl" "$TMP/all-back.jsonl"
contains '"dates":"[\"2024-01-01\",{\"$string\":\"2024-02-02\"},\"not a date\"]"' "$(cat "$TMP/all-back.jsonl")" "csv: a mixed list comes back as its JSON text"
contains '"nested":"[[1,2],[],[3.5,\"x\"]]"' "$(cat "$TMP/all-back.jsonl")" "csv: a nested list comes back as its JSON text"
# a temporal property of a built-in type holds a date or datetime whatever
# the column's type: the string column's text is read back as the datetime
contains '{"edge":"CALLED_AT","from":"Vessel:IMO9161003","to":"Port:RUVYP","props":{"hours":17.5,"start":"2024-04-20T06:00:00Z"}}' \
	"$(cat "$TMP/all-back.jsonl")" "csv: CALLED_AT start of a string column is read as the datetime it holds"

expect 0 "cypher export of every value type" -- "$SG" --db "$ALL" export --format cypher -o "$TMP/all.cypher"
same "sanctgraph: export: warning: Vessel.dates: written as its JSON text: it holds a list of mixed types, which Neo4j cannot store
sanctgraph: export: warning: Vessel.mixed: written as its JSON text: it holds a list of mixed types, which Neo4j cannot store
sanctgraph: export: warning: Vessel.nested: written as its JSON text: it holds a list holding lists, which Neo4j cannot store" "$ERR" "cypher: each value written as JSON is named"
CY=$(cat "$TMP/all.cypher")
contains "\`escapes\`: 'tab\\tquote\"back\\\\slash\\nnewline\\u0001'" "$CY" "cypher: string escapes"
contains "\`inf\`: 1.0 / 0.0, \`looks_like_date\`: '2024-01-01', \`looks_like_dt\`: '2024-01-01T10:00:00Z', \`max\`: 9223372036854775807, \`min\`: -9223372036854775807 - 1," "$CY" "cypher: infinities, strings like dates, the extreme integers"
contains "\`nan\`: 0.0 / 0.0, \`negzero\`: -0.0," "$CY" "cypher: NaN and -0.0"
contains "\`huge\`: 1e300," "$CY" "cypher: exponents without '+'"
contains "\`local\`: localdatetime('2024-04-14T08:30:00'), \`looks_like_time\`: '12:00', \`name\`: 'Ким Чен', \`odd\`: duration('P1M-2DT3.000000005S'), \`opens\`: time('08:30:00+05:30')" "$CY" "cypher: local datetimes, durations, times"
contains "\`breaks\`: [localtime('12:00:00'), localtime('15:30:00')], \`closes\`: localtime('17:45:30.25')," "$CY" "cypher: local times and their lists"
contains "       ({\`key\`: 'nolabel-2'})" "$CY" "cypher: a node without labels"
contains "MATCH (a:\`Weird:Label\` {\`key\`: 'odd key: with colon'}), (b {\`key\`: 'nolabel-1'}) WHERE size(labels(b)) = 0 CREATE (a)-[:\`LINKED_TO\`]->(b);" "$CY" "cypher: quoted names; an end without labels"
contains "MATCH (a {\`key\`: 'nolabel-2'}) WHERE size(labels(a)) = 0 CREATE (a)-[:\`LINKED_TO\`]->(a);" "$CY" "cypher: a loop"
reimport_cypher all-cy "$TMP/all.cypher"
same_graph "cypher round trip of every value type, but the three JSON strings" \
	--drop Vessel.dates --drop Vessel.mixed --drop Vessel.nested -- "$TMP/all.jsonl" "$TMP/all-cy.jsonl"
contains '"mixed":"[1,\"two\",null,true]"' "$(cat "$TMP/all-cy.jsonl")" "cypher: a mixed list comes back as its JSON text"

# ================================================================ quoting

Q=$TMP/quote.db
cat >"$TMP/quote-in.jsonl" <<'EOF'
{"node":"Company","key":"ACME, \"Star\" Ltd","props":{"name":"ACME, \"Star\" Ltd\nsecond line","city":"Zürich — 東京","note":" padded ","note:extra":"x"}}
{"node":"Судно","key":"ёлка;1","props":{"name":"Ёлка","aliases":["a,b","c\"d","e\nf"]}}
{"edge":"OWNED_BY","from":"Судно:ёлка;1","to":"Company:ACME, \"Star\" Ltd","props":{"note":"x,y\r\nz"}}
EOF
expect 0 "init for the quoting case" -- "$SG" --db "$Q" init
expect 0 "import the quoting case" -- "$SG" --db "$Q" import "$TMP/quote-in.jsonl"
expect 0 "import the quoting case as JSONL" -- "$SG" --db "$Q" export -o "$TMP/quote.jsonl"
expect 0 "csv export of awkward text" -- "$SG" --db "$Q" export --format csv -o "$TMP/quote-csv"
same "$(printf '%s\n' 'key:ID(Company),city,name,note,note:extra:string,:LABEL' '"ACME, ""Star"" Ltd",Zürich — 東京,"ACME, ""Star"" Ltd' 'second line"," padded ",x,Company' | od -c)" \
	"$(od -c <"$TMP/quote-csv/nodes-Company.csv")" "csv: RFC 4180 quoting, non-ASCII, a name holding ':'"
same "$(printf '%s\n' 'key:ID(Судно),aliases:string[],name,:LABEL' 'ёлка;1,"a,b;c""d;e' 'f",Ёлка,Судно' | od -c)" \
	"$(od -c <"$TMP/quote-csv/nodes-Судно.csv")" "csv: a non-ASCII label and file name, a quoted array"
same "$(printf ':START_ID(Судно),:END_ID(Company),note,:TYPE\nёлка;1,"ACME, ""Star"" Ltd","x,y\r\nz",OWNED_BY\n' | od -c)" \
	"$(od -c <"$TMP/quote-csv/rels-OWNED_BY-Судно-Company.csv")" "csv: CR LF inside a field"
contains "--multiline-fields=true" "$OUT" "csv: line breaks in fields ask for --multiline-fields"
contains "'--nodes=$TMP/quote-csv/nodes-Судно.csv'" "$OUT" "csv: arguments quoted for the shell"
reimport_csv quote-back "$TMP/quote-csv"
same_graph "csv round trip of awkward text" -- "$TMP/quote.jsonl" "$TMP/quote-back.jsonl"
expect 0 "cypher export of awkward text" -- "$SG" --db "$Q" export --format cypher -o "$TMP/quote.cypher"
contains "CREATE (:\`Company\` {\`key\`: 'ACME, \"Star\" Ltd', \`city\`: 'Zürich — 東京', \`name\`: 'ACME, \"Star\" Ltd\\nsecond line', \`note\`: ' padded ', \`note:extra\`: 'x'})," \
	"$(cat "$TMP/quote.cypher")" "cypher: quoted property names and strings"
reimport_cypher quote-cy "$TMP/quote.cypher"
same_graph "cypher round trip of awkward text" -- "$TMP/quote.jsonl" "$TMP/quote-cy.jsonl"

# ================================================================ names taken

N=$TMP/names.db
cat >"$TMP/names-in.jsonl" <<'EOF'
{"node":"Source","key":"s1","props":{"title":"t"}}
{"node":"Thing","key":"t1","props":{"key":"not the key","sources":"a property"},"sources":[{"key":"s1","confidence":"confirmed"}]}
{"node":"_","key":"u1"}
{"node":null,"key":"u1"}
{"edge":"REL","from":"_:u1","to":":u1","sources":[{"key":"s1","confidence":"possible"}]}
{"node":"Report","key":"s1","labels":["Report","Source"]}
{"edge":"REL","from":"Thing:t1","to":"Source:s1"}
EOF
expect 0 "init for the names case" -- "$SG" --db "$N" init
expect 0 "import the names case" -- "$SG" --db "$N" import "$TMP/names-in.jsonl"
expect 0 "names case as JSONL" -- "$SG" --db "$N" export -o "$TMP/names.jsonl"
expect 0 "csv export when names are taken" -- "$SG" --db "$N" export --format csv -o "$TMP/names-csv"
contains "warning: nodes-Thing.csv: property key not written: the key:ID column holds the node key" "$ERR" "csv: a property named key is reported"
same 'key:ID(Thing),sources,_sources:string[],:LABEL
t1,a property,s1|confirmed,Thing' "$(cat "$TMP/names-csv/nodes-Thing.csv")" "csv: citations move to _sources when sources is taken"
same 'key:ID(_),:LABEL
u1,_' "$(cat "$TMP/names-csv/nodes-_.csv")" "csv: a label named _"
same 'key:ID(__),:LABEL
u1,' "$(cat "$TMP/names-csv/nodes-_-2.csv")" "csv: nodes without labels take another ID space and file name"
same ':START_ID(_),:END_ID(__),_sources:string[],:TYPE
u1,u1,s1|possible,REL' "$(cat "$TMP/names-csv/rels-REL-_-_.csv")" "csv: the relationship between the two"
expect 0 "names: init" -- "$SG" --db "$TMP/names-back.db" init
expect 0 "names: import the files" -- "$SG" --db "$TMP/names-back.db" import "$TMP/names-csv"/*.csv
expect 0 "names: export of the reimport" -- "$SG" --db "$TMP/names-back.db" export -o "$TMP/names-back.jsonl"
norm --cites _sources --drop Thing.key "$TMP/names.jsonl" >"$TMP/a.norm"
norm "$TMP/names-back.jsonl" >"$TMP/b.norm"
expect 0 "csv round trip when names are taken" -- cmp "$TMP/a.norm" "$TMP/b.norm"
expect 0 "cypher export when names are taken" -- "$SG" --db "$N" export --format cypher -o "$TMP/names.cypher"
contains "warning: Thing: property key not written" "$ERR" "cypher: a property named key is reported"
contains "(:\`Thing\` {\`key\`: 't1', \`sources\`: 'a property', \`_sources\`: ['s1|confirmed']})" "$(cat "$TMP/names.cypher")" "cypher: _sources"
contains "warning: Report:s1 and Source:s1 are the same node to MATCH (:Source {key: ...}) in Neo4j: relationships of Source:s1 may be created twice" \
	"$ERR" "cypher: keys Neo4j could match twice are reported"

# ================================================================ refusals

mkdir "$TMP/full"
echo keep >"$TMP/full/mine.txt"
expect 1 "csv into a directory that is not empty" -- "$SG" --db "$LADY" export --format csv -o "$TMP/full"
same "sanctgraph: export: $TMP/full exists and is not empty: give a new or empty directory" "$ERR" "csv: the message"
same "mine.txt" "$(cd "$TMP/full" && echo *)" "csv: nothing written into it"
same "" "$(ls -d "$TMP"/full.tmp-* 2>/dev/null)" "csv: no temporary directory left"
expect 1 "csv onto a file" -- "$SG" --db "$LADY" export --format csv -o "$TMP/full/mine.txt"
contains "exists and is not a directory" "$ERR" "csv onto a file: the message"
mkdir "$TMP/empty"
expect 0 "csv into an empty directory" -- "$SG" --db "$LADY" export --format csv -o "$TMP/empty/"
expect 0 "csv: the empty directory holds the export" -- diff -r "$L" "$TMP/empty"
expect 2 "csv without -o" -- "$SG" --db "$LADY" export --format csv
contains "-o DIR" "$ERR" "csv without -o: the message"
expect 1 "csv into a missing parent" -- "$SG" --db "$LADY" export --format csv -o "$TMP/no/such/dir"
contains "cannot create" "$ERR" "csv into a missing parent: the message"
# a write that fails half-way (files limited to 512 bytes) leaves nothing
expect 1 "csv: a failed write" -- sh -c "trap '' XFSZ; ulimit -f 1; exec \"\$0\" \"\$@\"" "$SG" --db "$LADY" export --format csv -o "$TMP/cut"
contains "cannot write" "$ERR" "csv: a failed write: the message"
same "" "$(ls -d "$TMP"/cut* 2>/dev/null)" "csv: a failed write leaves no directory"
expect 1 "cypher: a failed write" -- sh -c "trap '' XFSZ; ulimit -f 1; exec \"\$0\" \"\$@\"" "$SG" --db "$LADY" export --format cypher -o "$TMP/cut.cypher"
same "" "$(ls "$TMP"/cut* 2>/dev/null)" "cypher: a failed write leaves no file"
expect 1 "export from a missing database" -- "$SG" --db "$TMP/none.db" export --format cypher
expect 2 "an unknown format" -- "$SG" --db "$LADY" export --format xml

finish
