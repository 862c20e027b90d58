# evidence.sh: the evidence standard through the real binary: the audit of
# the Lady R demo (exact list of single-publisher claims), publishers that
# differ only in case and spacing, retraction (dry run changes nothing; the
# real one removes the source, check stays clean), merging two records of
# the vessel (edges, citations, old key still resolving), rules files,
# `log --format json` and tampering with the change log; bad input to each.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)

# json_check 'python expression over d' DESCRIPTION: evaluates the
# expression with d = the JSON document in $OUT; passes when it is true
json_check() {
	if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = eval("(" + sys.argv[1] + ")")
if not ok:
    sys.stderr.write("json: %r\n" % (d,))
sys.exit(0 if ok else 1)' "$1" 2>"$TMP/json.err"; then
		pass
	else
		fail "$2: $(head -c 2000 "$TMP/json.err")"
	fi
}

for c in audit retract merge; do
	expect 0 "$c --help" -- "$SG" "$c" --help
	contains "usage: sanctgraph $c" "$OUT" "$c --help"
done
expect 0 "--help lists the evidence commands" -- "$SG" --help
contains "retract SOURCE" "$OUT" "usage names retract"

# ---- the audit of the demo ----
expect 0 "demo" -- "$SG" --db "$DB" demo -o "$TMP/lady-r.svg"
expect 3 "audit finds weak claims" -- "$SG" --db "$DB" audit --format json
# By hand from cli/cmd_demo.c: Planet (3 images), MarineTraffic, Yomiuri,
# IMO and OFAC are five publishers.  The Lady R node cites OFAC and IMO (2);
# the three Vostochny/Rajin sightings and the AIS gap each cite Planet or
# MarineTraffic and Yomiuri (2 or 3).  Everything else rests on one.
json_check '
sorted((c["kind"], c["subject"], c.get("type"), c.get("object"), c["independent"]) for c in d["claims"]) == sorted([
 ("node", "Company:TRANSMORFLOT-LLC", None, None, 1),
 ("node", "Sanction:RUSSIA-EO14024", None, None, 1),
 ("node", "Vessel:KP-TANKERS-2024-04", None, None, 1),
 ("node", "Cargo:ladyr-munitions-2024-04", None, None, 1),
 ("node", "Cargo:kp-refined-petroleum-2024-04", None, None, 1),
 ("relationship", "Vessel:IMO9161003", "CARRIED", "Cargo:ladyr-munitions-2024-04", 1),
 ("relationship", "Cargo:ladyr-munitions-2024-04", "LOADED_AT", "Port:KPRJN", 1),
 ("relationship", "Vessel:IMO9161003", "SANCTIONED_UNDER", "Sanction:RUSSIA-EO14024", 1),
 ("relationship", "Vessel:IMO9161003", "LINKED_TO", "Company:TRANSMORFLOT-LLC", 1),
 ("relationship", "Vessel:KP-TANKERS-2024-04", "CALLED_AT", "Port:RUVYP", 1),
 ("relationship", "Vessel:KP-TANKERS-2024-04", "CARRIED", "Cargo:kp-refined-petroleum-2024-04", 1),
 ("relationship", "Cargo:kp-refined-petroleum-2024-04", "LOADED_AT", "Port:RUVYP", 1),
 ("relationship", "Cargo:kp-refined-petroleum-2024-04", "DELIVERED_TO", "Port:KP-UNIDENTIFIED", 1)])
and d["min_sources"] == 2 and d["total"] == 18' "audit lists exactly the single-publisher claims"
json_check '
[c for c in d["claims"] if c.get("type") == "SANCTIONED_UNDER"][0]["sources"] == [{"key": "ofac-sdn-2024-05-03",
 "publisher": "U.S. Treasury, Office of Foreign Assets Control", "confidence": "confirmed"}]
and [c for c in d["claims"] if c.get("type") == "SANCTIONED_UNDER"][0]["dates"] == {"listed": "2024-05-03"}
and [c for c in d["claims"] if c["subject"] == "Cargo:ladyr-munitions-2024-04" and c["kind"] == "node"][0]["reason"] == "Cargo"' \
	"sources with publisher and confidence, dates"
expect 3 "audit as a table" -- "$SG" --db "$DB" audit
contains "13 of 18 claims have fewer than 2 independent sources" "$OUT" "table summary"
contains "Vessel:IMO9161003 -[SANCTIONED_UNDER]-> Sanction:RUSSIA-EO14024  listed 2024-05-03" "$OUT" "table claim line"
contains "ofac-sdn-2024-05-03 (U.S. Treasury, Office of Foreign Assets Control, confirmed)" "$OUT" "table sources"
lacks "SIGHTED_AT" "$OUT" "sightings with two publishers pass"
expect 0 "every claim has one source" -- "$SG" --db "$DB" audit --min-sources 1
contains "all 18 claims have at least 1 independent source" "$OUT" "min-sources 1"
expect 3 "a standard of 3" -- "$SG" --db "$DB" audit --min-sources 3 --format json
json_check 'len(d["claims"]) == 17 and not any(c.get("type") == "SIGHTED_AT" and c["dates"] == {"date": "2024-04-02"} for c in d["claims"])' \
	"only the 2 April sighting has three publishers"
expect 0 "sightings only" -- "$SG" --db "$DB" audit --types SIGHTED_AT,AIS_GAP
contains "all 4 claims" "$OUT" "types filter"
expect 3 "cargo only" -- "$SG" --db "$DB" audit --labels Cargo --format json
json_check 'len(d["claims"]) == 7 and all("Cargo:" in c["subject"] + (c.get("object") or "") for c in d["claims"])' "labels filter"
expect 2 "bad --min-sources" -- "$SG" --db "$DB" audit --min-sources two
expect 2 "bad --format" -- "$SG" --db "$DB" audit --format xml
expect 1 "audit of a missing database" -- "$SG" --db "$TMP/none" audit
[ ! -e "$TMP/none" ] && pass || fail "audit created a database"

# publishers that differ in case and spacing are one; no publisher is its own
P=$TMP/pub
expect 0 "init" -- "$SG" --db "$P" init
expect 0 "source a" -- "$SG" --db "$P" add Source a1 publisher='Planet Labs PBC'
expect 0 "source b" -- "$SG" --db "$P" add Source a2 publisher='  planet labs pbc'
expect 0 "source c" -- "$SG" --db "$P" add Source n1 kind=media
expect 0 "source d" -- "$SG" --db "$P" add Source n2 kind=media
expect 0 "vessel" -- "$SG" --db "$P" add Vessel V1 --source a1 --source a2 --confidence possible
expect 0 "port" -- "$SG" --db "$P" add Port P1
expect 0 "uncited call" -- "$SG" --db "$P" link V1 CALLED_AT P1 start=2024-01-01
expect 0 "two own publishers" -- "$SG" --db "$P" link V1 SIGHTED_AT P1 --source n1 --source n2
expect 0 "uncited other type" -- "$SG" --db "$P" link V1 NEAR P1
expect 3 "audit" -- "$SG" --db "$P" audit --format json
json_check '[(c["subject"], c.get("type"), c["independent"]) for c in d["claims"]] == [("Vessel:V1", "CALLED_AT", 0), ("Vessel:V1", None, 1)]
and d["total"] == 3' "same publisher counted once; unsourced first; NEAR is no claim"

# a Source with the SHA-256 of its archived copy
printf 'PlanetScope scene 20240414_012345_1234, Rajin\n' > "$TMP/scene.txt"
digest=$(sha256sum "$TMP/scene.txt" | cut -d" " -f1)
expect 0 "add Source --file" -- "$SG" --db "$P" add Source planet-scene publisher='Planet Labs PBC' kind=satellite-imagery --file "$TMP/scene.txt"
expect 0 "show the source" -- "$SG" --db "$P" show Source:planet-scene
contains "sha256       $digest" "$OUT" "sha256 of the archived file"
printf 'changed\n' >> "$TMP/scene.txt"
expect 0 "update the archived copy" -- "$SG" --db "$P" add Source planet-scene --file "$TMP/scene.txt"
expect 0 "show the source again" -- "$SG" --db "$P" show Source:planet-scene
contains "sha256       $(sha256sum "$TMP/scene.txt" | cut -d' ' -f1)" "$OUT" "sha256 follows the file"
expect 1 "--file that does not exist" -- "$SG" --db "$P" add Source other --file "$TMP/missing.pdf"
contains "cannot read $TMP/missing.pdf" "$ERR" "missing file named"
expect 1 "nothing stored" -- "$SG" --db "$P" show Source:other
expect 2 "--file on a vessel" -- "$SG" --db "$P" add Vessel V9 --file "$TMP/scene.txt"

# ---- retraction ----
"$SG" --db "$DB" export -o "$TMP/before.jsonl" 2>/dev/null
"$SG" --db "$DB" log --format json > "$TMP/log-before.json"
"$SG" --db "$DB" show Vessel:IMO9161003 > "$TMP/show-before.txt"
expect 0 "retract --dry-run" -- "$SG" --db "$DB" retract planet-2024-04-14 --dry-run --format json
json_check 'd["dry_run"] and d["citations_removed"] == 1 and d["publisher"] == "Planet Labs PBC" and
[(c["subject"], c["type"], c["object"], c["dates"], c["before"], c["independent"]) for c in d["claims"]] ==
[("Vessel:IMO9161003", "SIGHTED_AT", "Port:KPRJN", {"date": "2024-04-14"}, 2, 1)]
and d["claims"][0]["sources"][0]["key"] == "yomiuri-2024-06-09"' "dry run lists the Rajin sighting"
expect 0 "retract --dry-run (table)" -- "$SG" --db "$DB" retract planet-2024-04-14 --dry-run
contains "nothing changed (--dry-run)" "$OUT" "dry run says so"
contains "2 -> 1  Vessel:IMO9161003 -[SIGHTED_AT]-> Port:KPRJN  date 2024-04-14" "$OUT" "dry run table"
"$SG" --db "$DB" export -o "$TMP/after.jsonl" 2>/dev/null
cmp -s "$TMP/before.jsonl" "$TMP/after.jsonl" && pass || fail "dry run changed the data"
"$SG" --db "$DB" log --format json > "$TMP/log-after.json"
cmp -s "$TMP/log-before.json" "$TMP/log-after.json" && pass || fail "dry run wrote to the log"
"$SG" --db "$DB" show Vessel:IMO9161003 > "$TMP/show-after.txt"
cmp -s "$TMP/show-before.txt" "$TMP/show-after.txt" && pass || fail "dry run changed show"

expect 1 "retract an unknown source" -- "$SG" --db "$DB" retract planet-2099-01-01
contains "sanctgraph: retract: unknown source planet-2099-01-01" "$ERR" "unknown source message"
expect 1 "retract a node that is no source" -- "$SG" --db "$DB" retract IMO9161003
expect 2 "retract without a source" -- "$SG" --db "$DB" retract
"$SG" --db "$DB" log --format json > "$TMP/log-after.json"
cmp -s "$TMP/log-before.json" "$TMP/log-after.json" && pass || fail "failed retractions wrote to the log"

expect 0 "retract" -- "$SG" --db "$DB" --author carol retract planet-2024-04-14
contains "retracted planet-2024-04-14 (Planet Labs PBC): 1 citation removed" "$OUT" "retract summary"
contains "Vessel:IMO9161003 -[SIGHTED_AT]-> Port:KPRJN" "$OUT" "retract lists the sighting"
expect 1 "the source is gone" -- "$SG" --db "$DB" show Source:planet-2024-04-14
expect 0 "show after retract" -- "$SG" --db "$DB" show Vessel:IMO9161003
lacks "planet-2024-04-14" "$OUT" "no citation left"
contains "-[SIGHTED_AT {date: 2024-04-14, note: docked}]-> Port:KPRJN  sources: yomiuri-2024-06-09 (probable)" "$OUT" "sighting keeps Yomiuri"
expect 0 "check after retract" -- "$SG" --db "$DB" check
expect 0 "log after retract" -- "$SG" --db "$DB" log --format json --limit 1
json_check 'len(d) == 1 and d[0]["author"] == "carol" and "retract planet-2024-04-14" in d[0]["command"] and
d[0]["counts"]["nodes_deleted"] == 1 and d[0]["counts"]["edges_updated"] == 1 and d[0]["counts"]["cites_removed"] == 1' \
	"one log record with the retraction's counts"
expect 3 "audit after retract" -- "$SG" --db "$DB" audit --format json
json_check 'len(d["claims"]) == 14 and any(c.get("type") == "SIGHTED_AT" and c["object"] == "Port:KPRJN" for c in d["claims"])' \
	"the sighting now falls short"
expect 1 "retract it again" -- "$SG" --db "$DB" retract planet-2024-04-14

# ---- the change log as JSON ----
expect 0 "log --format json" -- "$SG" --db "$DB" log --format json
json_check 'len(d) == 2 and d[0]["seq"] == 2 and d[1]["prev"] == "0" * 64 and d[0]["prev"] == d[1]["hash"]
and all(len(r["hash"]) == 64 and len(r["digest"]) == 64 and r["time"].endswith("Z") and len(r["time"]) == 20 for r in d)
and d[1]["counts"]["nodes_created"] == 16' "log records with hashes and digest"
expect 0 "log --format jsonl" -- "$SG" --db "$DB" log --format jsonl
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] && pass || fail "jsonl: one line a record"
expect 2 "log --format bad" -- "$SG" --db "$DB" log --format yaml

# ---- merging two records of the vessel ----
M=$TMP/merge
expect 0 "demo for merge" -- "$SG" --db "$M" demo -o "$TMP/m.svg"
expect 0 "import the by-name record" -- "$SG" --db "$M" import "$DATA/evidence-lady-r-by-name.jsonl"
expect 0 "stats before" -- "$SG" --db "$M" stats
contains "nodes 18" "$OUT" "18 nodes before"
"$SG" --db "$M" log --format json > "$TMP/mlog-before.json"
expect 1 "merge with itself" -- "$SG" --db "$M" merge Vessel:LADY-R LADY-R
contains "sanctgraph: merge: cannot merge Vessel:LADY-R with itself" "$ERR" "self-merge message"
expect 1 "merge a port into a vessel" -- "$SG" --db "$M" merge Vessel:IMO9161003 Port:RUVYP
contains "cannot merge Port:RUVYP into Vessel:IMO9161003: a Port is not a Vessel" "$ERR" "label mismatch message"
expect 1 "merge an unknown node" -- "$SG" --db "$M" merge Vessel:IMO9161003 Vessel:NOPE
contains "no node Vessel:NOPE" "$ERR" "unknown node message"
expect 2 "merge one ref" -- "$SG" --db "$M" merge Vessel:IMO9161003
"$SG" --db "$M" log --format json > "$TMP/mlog-after.json"
cmp -s "$TMP/mlog-before.json" "$TMP/mlog-after.json" && pass || fail "failed merges wrote to the log"

expect 0 "merge" -- "$SG" --db "$M" merge Vessel:IMO9161003 Vessel:LADY-R
contains "merged Vessel:LADY-R into Vessel:IMO9161003" "$OUT" "merge summary"
contains "2 relationships moved" "$OUT" "edges moved"
contains "name: kept \"LADY R\"; \"LADY R.\" kept in past_names" "$OUT" "name conflict reported"
contains "flag: kept \"RU\"; \"SL\" kept in past_flags" "$OUT" "flag conflict reported"
expect 0 "stats after" -- "$SG" --db "$M" stats
contains "nodes 17" "$OUT" "one node fewer"
expect 0 "show by the merged key" -- "$SG" --db "$M" show Vessel:LADY-R
contains "Vessel:IMO9161003  (#" "$OUT" "the survivor is shown"
contains "past_names   ['LADY R.', 'SIRIUS']" "$OUT" "past names kept"
contains "past_flags   ['SL']" "$OUT" "past flags kept"
contains "mmsi         273445480" "$OUT" "identifier moved"
contains "merged_keys  ['Vessel:LADY-R']" "$OUT" "merged key recorded"
contains "sources      ofac-sdn-2024-05-03 (confirmed), imo-ship-images (probable), lloyds-ladyr-2024-03 (possible)" "$OUT" "citations united"
printf '%s\n' "$OUT" | grep -- '-\[CALLED_AT {' | grep 'start: 2024-03-20' | grep -q -- '}]-> Port:RUVYP  sources: lloyds-ladyr-2024-03 (probable)$' &&
	pass || fail "first call moved: $OUT"
printf '%s\n' "$OUT" | grep -- '-\[CALLED_AT {' | grep 'start: 2024-03-27' |
	grep -q -- '}]-> Port:KPRJN  sources: lloyds-ladyr-2024-03 (probable), yomiuri-2024-06-09 (possible)$' &&
	pass || fail "second call moved: $OUT"
contains "-[SIGHTED_AT {date: 2024-04-14, note: docked}]-> Port:KPRJN" "$OUT" "own edges kept"
expect 0 "show by the bare merged key" -- "$SG" --db "$M" show LADY-R
contains "Vessel:IMO9161003  (#" "$OUT" "bare key resolves"
expect 0 "find the merged key" -- "$SG" --db "$M" find LADY-R --label Vessel
[ "$(printf '%s\n' "$OUT" | grep -c .)" -eq 1 ] && pass || fail "find gives one node: $OUT"
contains "Vessel:IMO9161003" "$OUT" "find resolves to the survivor"
expect 0 "find the old name" -- "$SG" --db "$M" find "lady r."
contains "Vessel:IMO9161003" "$OUT" "old name findable"
expect 0 "link by the merged key" -- "$SG" --db "$M" link Vessel:LADY-R SIGHTED_AT Port:KPRJN date=2024-04-20 --source yomiuri-2024-06-09
expect 0 "show the new edge" -- "$SG" --db "$M" show Vessel:IMO9161003
contains "-[SIGHTED_AT {date: 2024-04-20}]-> Port:KPRJN" "$OUT" "link went to the survivor"
expect 0 "add by the merged key updates the survivor" -- "$SG" --db "$M" add Vessel LADY-R call_sign=UBCT7
expect 0 "show" -- "$SG" --db "$M" show Vessel:IMO9161003
contains "call_sign    UBCT7" "$OUT" "add reached the survivor"
expect 0 "check after merge" -- "$SG" --db "$M" check
expect 0 "log of the merge" -- "$SG" --db "$M" log --format json --limit 3
json_check '"merge Vessel:IMO9161003 Vessel:LADY-R" in d[2]["command"] and d[2]["counts"]["nodes_deleted"] == 1 and
d[2]["counts"]["nodes_updated"] == 1 and d[2]["counts"]["edges_created"] == 2 and d[2]["counts"]["edges_deleted"] == 2' \
	"one log record with the merge's counts"
expect 1 "merge again: the same node now" -- "$SG" --db "$M" merge Vessel:IMO9161003 Vessel:LADY-R
contains "with itself" "$ERR" "second merge refused"
expect 3 "audit sees the moved claims" -- "$SG" --db "$M" audit --types CALLED_AT --labels Vessel --format json
json_check 'sorted((c["subject"], c["object"], c["independent"]) for c in d["claims"]) == [("Vessel:IMO9161003", "Port:RUVYP", 1),
("Vessel:KP-TANKERS-2024-04", "Port:RUVYP", 1)] and d["total"] == 3' "the calls are the survivor's claims now"

# ---- rules files ----
expect 1 "rules with a syntax error" -- "$SG" --db "$DB" audit --rules "$DATA/evidence-rules-bad.cypher"
contains "evidence-rules-bad.cypher:9:1: rule \"sightings after the designation\": unexpected 'RETURN'" "$ERR" "rule and line:column named"
expect 1 "a missing rules file" -- "$SG" --db "$DB" audit --rules "$TMP/none.cypher"
contains "cannot read" "$ERR" "missing file named"
printf 'MATCH (n) RETURN n\n' > "$TMP/nameless.cypher"
expect 1 "rules without a name line" -- "$SG" --db "$DB" audit --rules "$TMP/nameless.cypher"
contains "nameless.cypher:1: text before the first rule" "$ERR" "nameless rule"
printf -- '-- name: makes things\nCREATE (n:Vessel {key: "X"})\n' > "$TMP/writes.cypher"
expect 1 "a rule that writes" -- "$SG" --db "$DB" audit --rules "$TMP/writes.cypher"
contains "must not write" "$ERR" "writing rule refused"
expect 2 "--rules with --labels" -- "$SG" --db "$DB" audit --rules "$DATA/evidence-rules.cypher" --labels Vessel
R=$TMP/rules
expect 0 "demo for rules" -- "$SG" --db "$R" demo -o "$TMP/r.svg"
expect 0 "rules that hold" -- "$SG" --db "$R" audit --rules "$DATA/evidence-rules.cypher"
contains "-- every sanctioned vessel has an IMO number (line 4): 0 rows" "$OUT" "first rule reported"
contains "-- every sighting cites satellite imagery (line 9): 0 rows" "$OUT" "second rule reported"
expect 3 "a rule that fails" -- "$SG" --db "$R" audit --rules "$DATA/evidence-rules-tankers.cypher"
contains "-- every vessel calling at a port has an IMO number (line 1): 1 row" "$OUT" "failing rule reported"
contains "KP-TANKERS-2024-04" "$OUT" "offending row shown"
expect 0 "retract an image" -- "$SG" --db "$R" retract planet-2024-04-03
expect 3 "the imagery rule now fails" -- "$SG" --db "$R" audit --rules "$DATA/evidence-rules.cypher" --format json
json_check '[(r["name"], r["violations"]) for r in d["rules"]] == [("every sanctioned vessel has an IMO number", 0),
("every sighting cites satellite imagery", 1)] and d["rules"][1]["result"]["columns"] == ["vessel", "port", "date"]
and d["rules"][1]["result"]["rows"] == [["IMO9161003", "RUVYP", "2024-04-03"]]' "rule findings as JSON"

# ---- tampering with the change log (LMDB's own tools) ----
if need mdb_dump lmdb-utils && need mdb_load lmdb-utils; then
	# $M holds 5 records: demo, import, merge, link, add
	expect 0 "backup for tampering" -- "$SG" --db "$M" backup "$TMP/t0"
	expect 0 "the copy checks clean" -- "$SG" --db "$TMP/t0" check
	contains "change log of 5 records verified" "$OUT" "five records"
	# alter one byte of record 2's body: the dump prints keys and values on
	# alternate lines, each starting with a space
	cp -r "$TMP/t0" "$TMP/t1"
	mdb_dump -s log "$TMP/t1" > "$TMP/log.dump"
	awk '/^ / && ++n == 4 { c = substr($0, length($0), 1); r = (c == "0") ? "1" : "0"; $0 = substr($0, 1, length($0) - 1) r } { print }' \
		"$TMP/log.dump" > "$TMP/log1.dump"
	cmp -s "$TMP/log.dump" "$TMP/log1.dump" && fail "the dump was not altered" || pass
	mdb_load -s log -f "$TMP/log1.dump" "$TMP/t1" 2>/dev/null
	expect 3 "check detects an altered log record" -- "$SG" --db "$TMP/t1" check
	first=$(printf '%s\n' "$ERR" | head -n 1)
	contains "change log: record 2 has been altered" "$first" "the first problem names record 2"
	contains "problem" "$OUT" "problems counted"
	# delete record 3: rebuild the environment from dumps without it
	mkdir "$TMP/t2"
	for sub in $(mdb_dump -l "$TMP/t0"); do
		mdb_dump -s "$sub" "$TMP/t0" > "$TMP/sub.dump"
		if [ "$sub" = log ]; then
			awk '/^ / { n++; if (n == 5 || n == 6) next } { print }' "$TMP/sub.dump" > "$TMP/sub2.dump"
			[ "$(grep -c '^ ' "$TMP/sub2.dump")" -eq 8 ] && pass || fail "record 3 not removed from the dump"
			mv "$TMP/sub2.dump" "$TMP/sub.dump"
		fi
		mdb_load -s "$sub" -f "$TMP/sub.dump" "$TMP/t2" 2>/dev/null || fail "mdb_load $sub"
	done
	expect 3 "check detects a deleted log record" -- "$SG" --db "$TMP/t2" check
	first=$(printf '%s\n' "$ERR" | head -n 1)
	contains "change log: record 3 is missing" "$first" "the first problem names record 3"
	expect 0 "log still reads the rest" -- "$SG" --db "$TMP/t2" log --format json --limit 2
	# the newest record deleted: the chain is intact, but the data no longer
	# matches the digest of the record that is now the newest
	mkdir "$TMP/t3"
	for sub in $(mdb_dump -l "$TMP/t0"); do
		mdb_dump -s "$sub" "$TMP/t0" > "$TMP/sub.dump"
		if [ "$sub" = log ]; then
			awk '/^ / { n++; if (n == 9 || n == 10) next } { print }' "$TMP/sub.dump" > "$TMP/sub2.dump"
			mv "$TMP/sub2.dump" "$TMP/sub.dump"
		fi
		mdb_load -s "$sub" -f "$TMP/sub.dump" "$TMP/t3" 2>/dev/null || fail "mdb_load $sub"
	done
	expect 3 "check detects a deleted newest record" -- "$SG" --db "$TMP/t3" check
	contains "change-log record 4" "$ERR" "digest mismatch against record 4"
fi

finish
