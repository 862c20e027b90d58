#!/bin/sh
# everyday.sh: the everyday use a newcomer tries first: help for every
# command, query errors with their position, find and show, path with
# names, aligned tables in any script, dates read the same everywhere,
# duration units, warnings for names the database never held, demo's
# checks before it loads, confidential sources, citations() and audit
# --min-confidence.
. "$(dirname "$0")/lib.sh"

# ---- help ----
expect 0 "global help" -- "$SG" --help
for cmd in query path timeline export import cite uncite set unset unlink detect track shell log check; do
	contains "  $cmd" "$OUT" "global help lists $cmd"
done
contains "export [--format jsonl|ftm|csv|cypher]" "$OUT" "global help shows every export format"
expect 0 "help alone" -- "$SG" help
contains "  timeline REF" "$OUT" "help lists timeline"
expect 0 "help COMMAND" -- "$SG" help export
contains "jsonl|ftm|csv|cypher" "$OUT" "help export shows its formats"
expect 0 "help path" -- "$SG" help path
contains "--format text|json" "$OUT" "help path shows --format"
expect 2 "help of an unknown command" -- "$SG" help frobnicate
contains "unknown command 'frobnicate'" "$ERR" "help names the unknown command"

# ---- the case ----
expect 0 "demo" -- "$SG" --db "$DB" demo -o "$TMP/lady-r.svg"

# ---- query errors ----
expect 1 "unterminated string" -- "$SG" --db "$DB" query "MATCH (v:Vessel)
RETURN 'LADY R AS name"
contains "line 2, column 8: unterminated string literal" "$ERR" "unterminated string: line and column"
lacks "no statement" "$ERR" "unterminated string is not 'no statement'"
printf 'RETURN 1 AS one;\n/* not closed\n' >"$TMP/open.cypher"
expect 1 "unterminated comment in a file" -- "$SG" --db "$DB" query -f "$TMP/open.cypher"
contains "line 2, column 1: unterminated comment" "$ERR" "unterminated comment: line and column"

# ---- find, show, path ----
expect 0 "add a company with accents" -- "$SG" --db "$DB" add Company SMO "name=Société Maritime Océane S.A."
expect 0 "find folds the query" -- "$SG" --db "$DB" find "societe maritime oceane"
contains "name: Société Maritime Océane S.A." "$OUT" "find prints the name as stored"
lacks "societe maritime oceane s a" "$OUT" "find does not print the folded form"
expect 1 "show an unknown reference" -- "$SG" --db "$DB" show oceane
contains "no node oceane; did you mean Company:SMO (Société Maritime Océane S.A.)?" "$ERR" "show suggests what find finds"
expect 1 "show nothing like it" -- "$SG" --db "$DB" show zzzz
contains "finds nothing like it" "$ERR" "show says when find finds nothing"
expect 0 "path with names" -- "$SG" --db "$DB" path IMO9161003 Company:TRANSMORFLOT-LLC
same "Vessel:IMO9161003 (LADY R) -[LINKED_TO]-> Company:TRANSMORFLOT-LLC (TRANSMORFLOT LLC)" "$OUT" "path prints names beside keys"
expect 0 "path as JSON" -- "$SG" --db "$DB" path IMO9161003 Port:KPRJN --all --format json
printf '%s' "$OUT" >"$TMP/path.json"
expect 0 "path JSON parses" -- python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d['paths']) == 2, d
for p in d['paths']:
    assert p['kind'] == 'path' and p['nodes'][0]['key'] == 'IMO9161003' and p['nodes'][1]['key'] == 'KPRJN'
    assert p['relationships'][0]['start'] == p['nodes'][0]['id']
print(sorted(p['relationships'][0]['type'] for p in d['paths']))
" "$TMP/path.json"
same "['AIS_GAP', 'SIGHTED_AT']" "$OUT" "path JSON: both shortest paths with their relationships"
expect 1 "path JSON, no path" -- "$SG" --db "$DB" path IMO9161003 Port:KPRJN --types LINKED_TO --format json
same '{"paths":[]}' "$OUT" "no path: an empty list, exit 1"

# ---- one rule for dates: timeline and report agree ----
expect 0 "owner since" -- "$SG" --db "$DB" add Company OWNER name=Owner
expect 0 "an ownership dated by since" -- "$SG" --db "$DB" link Vessel:IMO9161003 OWNED_BY Company:OWNER since=2019-06-01
expect 0 "timeline" -- "$SG" --db "$DB" timeline IMO9161003
contains "since 2019-06-01       -[OWNED_BY]-> Company:OWNER" "$OUT" "timeline dates an edge by since"
contains "listed 2024-05-03      -[SANCTIONED_UNDER]->" "$OUT" "timeline dates a listing"
expect 0 "report" -- "$SG" --db "$DB" report --around Company:OWNER -o "$TMP/owner.html"
contains "since 2019-06-01" "$(cat "$TMP/owner.html")" "report dates the ownership the same way"

# ---- durations in one unit, and the demo's chain ----
expect 0 "inDays" -- "$SG" --db "$DB" query "RETURN duration.between(date('2024-04-02'), date('2024-05-20')).days AS b, duration.inDays(date('2024-04-02'), date('2024-05-20')).days AS d" --format csv
contains "$(printf 'b,d\r\n18,48')" "$OUT" "inDays counts 48 days where between's days are 18"

# ---- names the database never held ----
expect 0 "a misspelt label still runs" -- "$SG" --db "$DB" query "MATCH (v:Vesel)-[:SIGHTED]->(p) WHERE v.nmae = 'LADY R' RETURN count(*) AS n" --format csv
contains "$(printf 'n\r\n0')" "$OUT" "the query runs and finds nothing"
contains "sanctgraph: query: warning: line 1, column 7: the database has never held the label 'Vesel'" "$ERR" "warning names the label and where"
contains "warning: line 1, column 16: the database has never held the relationship type 'SIGHTED'" "$ERR" "warning names the type"
contains "the database has never held the property 'nmae'" "$ERR" "warning names the property"
expect 0 "known names, map keys and temporal fields" -- "$SG" --db "$DB" query "MATCH (v:Vessel)-[r:SIGHTED_AT]->(p:Port) WITH v, r, duration.inDays(r.date, date('2024-05-01')) AS d RETURN v.key, v.name, d.days, [c IN citations(r) | c.confidence] AS c LIMIT 1"
same "" "$ERR" "no warning when every name is known"
expect 0 "names a statement writes are not warned" -- "$SG" --db "$DB" query "CREATE (:Brandnew {fresh: 1})-[:NEVER_SEEN {also: 2}]->(:Brandnew2)"
same "" "$ERR" "CREATE of new names: no warning"

# ---- demo checks what it can before it loads ----
expect 1 "demo into a missing directory" -- "$SG" --db "$TMP/demo2.db" demo -o "$TMP/nodir/x.png"
contains "cannot write $TMP/nodir/x.png: directory $TMP/nodir: No such file or directory" "$ERR" "demo names the missing directory"
if [ -e "$TMP/demo2.db" ]; then fail "demo created the database before failing"; else pass; fi
expect 1 "demo with an unknown format" -- "$SG" --db "$TMP/demo2.db" demo -o "$TMP/x.bmp"
contains "cannot tell the diagram format" "$ERR" "demo refuses an unknown format first"
if [ -e "$TMP/demo2.db" ]; then fail "demo created the database before failing"; else pass; fi
expect 1 "demo onto a directory" -- "$SG" --db "$TMP/demo2.db" demo -o "$TMP"
if [ -e "$TMP/demo2.db" ]; then fail "demo created the database before failing"; else pass; fi

# ---- audit --min-confidence ----
expect 0 "audit, one source each" -- "$SG" --db "$DB" audit --min-sources 1 --types SIGHTED_AT,CARRIED,LOADED_AT
contains "all 7 claims have at least 1 independent source" "$OUT" "every claim has a source when all count"
expect 3 "audit --min-confidence possible" -- "$SG" --db "$DB" audit --min-sources 1 --min-confidence possible --types SIGHTED_AT,CARRIED,LOADED_AT
contains "4 of 7 claims have fewer than 1 independent source at confidence possible" "$OUT" "suspected-only claims fall short"
contains "0   Vessel:IMO9161003 -[CARRIED]-> Cargo:ladyr-munitions-2024-04" "$OUT" "the suspected CARRIED claim is listed with no counted source"
contains "yomiuri-2024-06-09 (The Yomiuri Shimbun, suspected: not counted)" "$OUT" "the weak citation is shown, marked"
lacks "SIGHTED_AT" "$OUT" "probable sightings still count"
expect 3 "audit --min-confidence confirmed, JSON" -- "$SG" --db "$DB" audit --min-sources 1 --min-confidence confirmed --types SIGHTED_AT --format json
contains '"min_confidence":"confirmed"' "$OUT" "JSON names the standard"
contains '"confidence":"probable","counted":false' "$OUT" "JSON marks what does not count"
expect 2 "audit --min-confidence with a wrong level" -- "$SG" --db "$DB" audit --min-confidence sure
contains "--min-confidence needs confirmed, probable, possible or suspected" "$ERR" "the levels are named"

# ---- show Source:X lists the claims that cite it ----
expect 0 "show a source" -- "$SG" --db "$DB" show Source:planet-2024-04-14
contains "cited by 1 claim:" "$OUT" "show counts the claims citing the source"
contains "Vessel:IMO9161003 -[SIGHTED_AT 2024-04-14]-> Port:KPRJN  (probable)" "$OUT" "show lists the sighting it supports, with the confidence"
expect 0 "show the newspaper" -- "$SG" --db "$DB" show Source:yomiuri-2024-06-09
contains "cited by 13 claims:" "$OUT" "the newspaper supports 13 claims"
contains "  Cargo:ladyr-munitions-2024-04  (suspected)" "$OUT" "node claims are listed too"
expect 0 "an uncited source" -- "$SG" --db "$DB" add Source lonely publisher=Nobody
expect 0 "show it" -- "$SG" --db "$DB" show Source:lonely
contains "cited by no claim" "$OUT" "an uncited source says so"

# ---- confidential sources ----
C=$TMP/conf.db
expect 0 "a case for confidential sources" -- "$SG" --db "$C" demo -o "$TMP/conf.svg"
expect 0 "a confidential source" -- "$SG" --db "$C" add Source informant-7 "title=Harbour pilot at Rajin" "publisher=Pilot Kim" url=https://secret.example/p7 sha256=abc123 kind=humint date=2024-04-20 confidential=true
expect 0 "cite it" -- "$SG" --db "$C" add Cargo ladyr-munitions-2024-04 --source informant-7 --confidence probable
expect 3 "audit counts it like any other" -- "$SG" --db "$C" audit --min-sources 2 --labels Cargo
lacks "Cargo:ladyr-munitions-2024-04  (node" "$OUT" "the cargo now has two independent sources"
expect 3 "audit lists it in full" -- "$SG" --db "$C" audit --min-sources 3 --labels Cargo --format json
contains '"subject":"Cargo:ladyr-munitions-2024-04","reason":"Cargo","dates":{},"independent":2' "$OUT" "the confidential source counts as independent"
contains '"key":"informant-7","publisher":"Pilot Kim","confidence":"probable"' "$OUT" "audit sees the confidential source in full"
withheld() { # FILE WHAT: the source is shown withheld, its identity nowhere
	body=$(cat "$1")
	contains "confidential source (publisher withheld)" "$body" "$2 shows the source withheld"
	for secret in "Harbour pilot" "Pilot Kim" "secret.example" "abc123"; do
		lacks "$secret" "$body" "$2 does not show $secret"
	done
}
expect 0 "report" -- "$SG" --db "$C" report -o "$TMP/conf.html"
withheld "$TMP/conf.html" "report"
expect 0 "diagram" -- "$SG" --db "$C" diagram -o "$TMP/conf-d.svg"
withheld "$TMP/conf-d.svg" "diagram"
expect 0 "demo's own diagram and report" -- "$SG" --db "$C" demo -o "$TMP/conf2.svg"
withheld "$TMP/conf2.svg" "demo diagram"
withheld "$TMP/conf2.html" "demo report"
expect 0 "cypher export" -- "$SG" --db "$C" export --format cypher -o "$TMP/conf.cypher"
withheld "$TMP/conf.cypher" "cypher export"
expect 0 "csv export" -- "$SG" --db "$C" export --format csv -o "$TMP/conf-csv"
withheld "$TMP/conf-csv/nodes-Source.csv" "csv export"
contains "informant-7|probable" "$(cat "$TMP"/conf-csv/*Cargo*.csv "$TMP"/conf-csv/nodes-Cargo.csv 2>/dev/null)" "csv keeps the citation and its confidence"
expect 0 "jsonl export keeps everything" -- "$SG" --db "$C" export
contains '"publisher":"Pilot Kim"' "$OUT" "jsonl holds the publisher"
contains '"title":"Harbour pilot at Rajin"' "$OUT" "jsonl holds the title"
expect 0 "report --include-confidential" -- "$SG" --db "$C" report --include-confidential -o "$TMP/conf-all.html"
contains "Pilot Kim" "$(cat "$TMP/conf-all.html")" "--include-confidential names the publisher"
lacks "publisher withheld" "$(cat "$TMP/conf-all.html")" "--include-confidential withholds nothing"
expect 0 "export --include-confidential" -- "$SG" --db "$C" export --format cypher --include-confidential
contains "Harbour pilot at Rajin" "$OUT" "cypher export with --include-confidential names the title"

finish
