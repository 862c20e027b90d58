# claims.sh: claims as investigators use them, on a copy of the Lady R case:
# corroboration without duplicates, cite/uncite, idempotent import and demo,
# link --new and the occurrence round trip, validation at the door, corrections
# (set/unset/unlink), merge refusal and --dry-run, rollback detection.
. "$(dirname "$0")/lib.sh"

sg() { "$SG" --db "$DB" "$@"; }
export_to() { "$SG" --db "$DB" export -o "$1" >/dev/null 2>&1; }
count() { sg query "$1" --format csv | tail -n 1 | tr -d '\r'; }
EDGES='MATCH ()-[r]->() RETURN count(r) AS n'

expect 0 "demo" -- sg demo -o "$TMP/lady-r.svg"

# ---- corroboration: a dated report of the tankers' month-long call ----
before=$(count "$EDGES")
expect 0 "add a second publisher" -- sg add Source reuters-2024-05-02 publisher=Reuters kind=media date=2024-05-02
expect 3 "audit flags the single-source call" -- sg audit
contains "Vessel:KP-TANKERS-2024-04 -[CALLED_AT]-> Port:RUVYP" "$OUT" "audit lists the call before"
expect 0 "link the same call, dated inside its span" -- sg link Vessel:KP-TANKERS-2024-04 CALLED_AT Port:RUVYP \
	date=2024-04-10 --source reuters-2024-05-02 --confidence possible
contains "cited Vessel:KP-TANKERS-2024-04 -[CALLED_AT]-> Port:RUVYP" "$OUT" "link says cited, not linked"
same "$before" "$(count "$EDGES")" "corroboration makes no new relationship"
same "2" "$(count "MATCH (:Vessel {key:'KP-TANKERS-2024-04'})-[r:CALLED_AT]->() RETURN size(sources(r)) AS n")" \
	"the call now has two sources"
expect 3 "audit still finds other claims" -- sg audit
lacks "Vessel:KP-TANKERS-2024-04 -[CALLED_AT]-> Port:RUVYP" "$OUT" "audit no longer flags the corroborated call"
expect 0 "saying it again" -- sg link Vessel:KP-TANKERS-2024-04 CALLED_AT Port:RUVYP date=2024-04-10 \
	--source reuters-2024-05-02 --confidence possible
contains "nothing changed" "$OUT" "a repeated link changes nothing"
# a differing value is kept, never dropped
expect 0 "a second note on the call" -- sg link Vessel:KP-TANKERS-2024-04 CALLED_AT Port:RUVYP start=2024-04-01 end=2024-04-30 \
	note=seen-by-reuters
expect 0 "a differing note" -- sg link Vessel:KP-TANKERS-2024-04 CALLED_AT Port:RUVYP start=2024-04-01 end=2024-04-30 \
	note=other-view
contains "kept in note_alt" "$ERR" "a differing value is reported"
same '{"a":"seen-by-reuters","b":["other-view"]}' \
	"$(sg query "MATCH (:Vessel {key:'KP-TANKERS-2024-04'})-[r:CALLED_AT]->() RETURN r.note AS a, r.note_alt AS b" --format jsonl)" \
	"the stored value stays, the new one is in note_alt"

# ---- cite and uncite ----
CARRIED="Vessel:IMO9161003 CARRIED Cargo:ladyr-munitions-2024-04"
ncites() { count "MATCH (:Vessel {key:'IMO9161003'})-[r:CARRIED]->() RETURN size(sources(r)) AS n"; }
same 1 "$(ncites)" "one source on the cargo claim"
expect 0 "cite a claim" -- sg cite $CARRIED date=2024-04-14 --source reuters-2024-05-02 --confidence possible
contains "1 citation added" "$OUT" "cite reports the citation"
same 2 "$(ncites)" "cite adds a citation"
expect 0 "uncite it" -- sg uncite $CARRIED --source reuters-2024-05-02
same 1 "$(ncites)" "uncite removes it"
expect 1 "uncite a source not cited" -- sg uncite $CARRIED --source reuters-2024-05-02
contains "does not cite reuters-2024-05-02" "$ERR" "uncite of an absent citation"
expect 0 "cite a node" -- sg cite Vessel:IMO9161003 --source reuters-2024-05-02
expect 1 "cite a claim that does not exist" -- sg cite Vessel:IMO9161003 CALLED_AT Port:RUVYP date=2020-01-01 --source reuters-2024-05-02
contains "no such claim" "$ERR" "unknown claim named"
expect 0 "a look-alike made on purpose" -- sg link $CARRIED date=2024-04-14 --new
contains "linked" "$OUT" "link --new links"
same 2 "$(count "MATCH (:Vessel {key:'IMO9161003'})-[r:CARRIED]->() RETURN count(r) AS n")" "link --new makes a separate edge"
expect 1 "cite an ambiguous claim" -- sg cite $CARRIED date=2024-04-14 --source reuters-2024-05-02
contains "ambiguous" "$ERR" "ambiguous claim"
contains "~" "$ERR" "the candidates are named by ~ID"
id=$(printf '%s' "$ERR" | grep -o '~[0-9][0-9]*' | tail -n 1)
expect 0 "show" -- sg show Cargo:ladyr-munitions-2024-04
contains "$id <-[CARRIED" "$OUT" "show prints the ~ID that cite takes"
expect 0 "cite by ~ID" -- sg cite "$id" --source reuters-2024-05-02
expect 0 "unlink by ~ID" -- sg unlink "$id"
contains "unlinked" "$OUT" "unlink reports"
same 1 "$(count "MATCH (:Vessel {key:'IMO9161003'})-[r:CARRIED]->() RETURN count(r) AS n")" "unlink removes the look-alike"

# ---- set and unset ----
expect 0 "set a node property" -- sg set Vessel:IMO9161003 call_sign=UBCT5
expect 0 "set a claim property" -- sg set $CARRIED date=2024-04-14 note=from-yomiuri
same from-yomiuri "$(count "MATCH (:Vessel {key:'IMO9161003'})-[r:CARRIED]->() RETURN r.note AS n")" "set on a claim"
h=$(sg log --head)
expect 0 "set the same value again" -- sg set $CARRIED date=2024-04-14 note=from-yomiuri
contains "unchanged" "$OUT" "set of the same value says unchanged"
expect 0 "add the same again" -- sg add Source reuters-2024-05-02 publisher=Reuters kind=media date=2024-05-02
contains "unchanged Source:reuters-2024-05-02" "$OUT" "add of the same says unchanged"
same "$h" "$(sg log --head)" "saying the same again writes no log record"
expect 1 "set checks like add" -- sg set Vessel:IMO9161003 imo=9161004
contains "imo" "$ERR" "set names the field"
expect 0 "unset" -- sg unset Vessel:IMO9161003 call_sign
expect 1 "unset a missing property" -- sg unset Vessel:IMO9161003 call_sign

# ---- link --new and the occurrence round trip ----
expect 0 "a second look-alike" -- sg link $CARRIED date=2024-04-14 --new
export_to "$TMP/e1.jsonl"
grep -q '"occurrence":2' "$TMP/e1.jsonl" && pass || fail "export writes occurrence 2 on the look-alike"
R=$TMP/rt.db
expect 0 "init round trip" -- "$SG" --db "$R" init
expect 0 "import the export" -- "$SG" --db "$R" import "$TMP/e1.jsonl"
"$SG" --db "$R" export -o "$TMP/e2.jsonl" >/dev/null 2>&1
if cmp -s "$TMP/e1.jsonl" "$TMP/e2.jsonl"; then pass; else fail "import(export(db)) differs"; fi
h1=$("$SG" --db "$R" log --head)
expect 0 "import the export again" -- "$SG" --db "$R" import "$TMP/e1.jsonl"
contains "relationships: 0 created, 0 updated" "$OUT" "second import creates and updates nothing"
contains "nodes: 0 created, 0 updated" "$OUT" "second import leaves the nodes"
"$SG" --db "$R" export -o "$TMP/e3.jsonl" >/dev/null 2>&1
if cmp -s "$TMP/e1.jsonl" "$TMP/e3.jsonl"; then pass; else fail "a second import changed the graph"; fi
same "$h1" "$("$SG" --db "$R" log --head)" "a second import writes no log record"

# ---- one import saying a claim twice, CSV imported twice ----
C=$TMP/csv.db
expect 0 "init csv" -- "$SG" --db "$C" init
DATA=$(dirname "$0")/../data
csv_import() { "$SG" --db "$C" import --nodes "$DATA/import-vessels.csv" --nodes Port="$DATA/import-ports.csv" \
	--relationships CALLED_AT="$DATA/import-calls.csv"; }
expect 0 "csv import" -- csv_import
"$SG" --db "$C" export -o "$TMP/c1.jsonl" >/dev/null 2>&1
h1=$("$SG" --db "$C" log --head)
expect 0 "csv import again" -- csv_import
contains "relationships: 0 created, 0 updated, 3 unchanged" "$OUT" "csv twice: relationships unchanged"
"$SG" --db "$C" export -o "$TMP/c2.jsonl" >/dev/null 2>&1
if cmp -s "$TMP/c1.jsonl" "$TMP/c2.jsonl"; then pass; else fail "a second csv import changed the graph"; fi
same "$h1" "$("$SG" --db "$C" log --head)" "a second csv import writes no log record"
cat >"$TMP/twice.jsonl" <<'JSONL'
{"node":"Source","key":"a","props":{"publisher":"A"}}
{"node":"Source","key":"b","props":{"publisher":"B"}}
{"edge":"SIGHTED_AT","from":"Vessel:IMO9161003","to":"Port:RUVYP","props":{"date":"2024-06-01"},"sources":[{"key":"a"}]}
{"edge":"SIGHTED_AT","from":"Vessel:IMO9161003","to":"Port:RUVYP","props":{"start":"2024-05-31T20:00:00Z","end":"2024-06-01T04:00:00Z"},"sources":[{"key":"b"}]}
JSONL
expect 0 "one import says a claim twice" -- "$SG" --db "$C" import "$TMP/twice.jsonl"
contains "relationships: 1 created, 1 updated" "$OUT" "the second line corroborates the first"
same 2 "$("$SG" --db "$C" query "MATCH ()-[r:SIGHTED_AT]->() RETURN size(sources(r)) AS n" --format csv | tail -n 1 | tr -d '\r')" \
	"both sources on one sighting"
printf '{"edge":"SIGHTED_AT","from":"Vessel:IMO9161003","to":"Port:RUVYP","props":{"date":"2024-06-01"},"sources":[{"key":"a","confidence":"confirmed"}]}\n' \
	>"$TMP/revised.jsonl"
expect 0 "a revised confidence" -- "$SG" --db "$C" import "$TMP/revised.jsonl"
contains "citations: 0 added, 1 updated, 0 unchanged" "$OUT" "a new confidence counts as updated"
expect 0 "check after merging within an import" -- "$SG" --db "$C" check
expect 0 "retract one of them" -- "$SG" --db "$C" retract b
expect 0 "check after the retraction" -- "$SG" --db "$C" check

# ---- demo twice changes nothing ----
D2=$TMP/demo2.db
expect 0 "demo once" -- "$SG" --db "$D2" demo -o "$TMP/d.svg"
"$SG" --db "$D2" export -o "$TMP/d1.jsonl" >/dev/null 2>&1
h1=$("$SG" --db "$D2" log --head)
expect 0 "demo twice" -- "$SG" --db "$D2" demo -o "$TMP/d.svg"
contains "(2 rows)" "$OUT" "the chain query still has 2 rows"
"$SG" --db "$D2" export -o "$TMP/d2.jsonl" >/dev/null 2>&1
if cmp -s "$TMP/d1.jsonl" "$TMP/d2.jsonl"; then pass; else fail "demo twice changed the graph"; fi
same "$h1" "$("$SG" --db "$D2" log --head)" "demo twice writes no log record"

# ---- wrong input: exit 1, the field named, nothing stored ----
export_to "$TMP/before.jsonl"
refuse() {   # refuse FIELD DESCRIPTION -- COMMAND...
	field=$1; what=$2; shift 3
	expect 1 "$what" -- "$@"
	contains "$field" "$ERR" "$what: names $field"
	export_to "$TMP/after.jsonl"
	if cmp -s "$TMP/before.jsonl" "$TMP/after.jsonl"; then pass; else fail "$what: the export changed"; fi
}
V=Vessel:IMO9161003
refuse date "date 2024/04/02" -- sg link $V CALLED_AT Port:RUVYP date=2024/04/02
refuse date "date 02-04-2024" -- sg link $V CALLED_AT Port:RUVYP date=02-04-2024
refuse date "date 2024-4-2" -- sg link $V CALLED_AT Port:RUVYP date=2024-4-2
refuse date "date 2024-02-30" -- sg link $V CALLED_AT Port:RUVYP date=2024-02-30
refuse "start 2024-04-05 is after end" "start after end" -- sg link $V CALLED_AT Port:RUVYP start=2024-04-05 end=2024-04-02
refuse "from: CALLED_AT starts at a Vessel" "reversed CALLED_AT" -- sg link Port:RUVYP CALLED_AT $V date=2024-04-02
refuse "built-in label Vessel" "label vessel" -- sg add vessel IMO9417115 name=X
refuse "built-in label Vessel" "label Vesel" -- sg add Vesel IMO9417115 name=X
refuse "built-in type CALLED_AT" "type called_at" -- sg link $V called_at Port:RUVYP date=2024-04-02
refuse "listed" "a bad date on a Source" -- sg add Source bad-src publisher=X listed=2024/01/01
refuse "imo: invalid IMO check digit" "an IMO number with a bad check digit" -- sg add Vessel X-BAD imo=9161004
refuse "key: invalid IMO check digit" "an IMO key with a bad check digit" -- sg add Vessel IMO9161004
printf '{"edge":"CALLED_AT","from":"Port:RUVYP","to":"Vessel:IMO9161003"}\n' >"$TMP/rev.jsonl"
refuse "rev.jsonl:1" "a reversed edge in an import" -- sg import "$TMP/rev.jsonl"
printf '{"node":"vessel","key":"IMO9417115"}\n' >"$TMP/lab.jsonl"
refuse "lab.jsonl:1: label vessel" "a near-miss label in an import" -- sg import "$TMP/lab.jsonl"
printf '{"edge":"SIGHTED_AT","from":"Vessel:IMO9161003","to":"Port:RUVYP","props":{"date":"2024/04/02"}}\n' >"$TMP/date.jsonl"
refuse "date" "a bad date in an import" -- sg import "$TMP/date.jsonl"
refuse "date" "a bad date through Cypher" -- sg query "MATCH (v:Vessel {key:'IMO9161003'}), (p:Port {key:'RUVYP'}) CREATE (v)-[:CALLED_AT {date:'2024/04/02'}]->(p)"

# ---- what is accepted and how it is stored ----
expect 0 "identifiers as written" -- sg add Vessel 'IMO 9417115' imo=imo9417115 mmsi=012345678 call_sign=123
contains "created Vessel:IMO9417115" "$OUT" "an IMO key is normalised"
same '["9417115","012345678","123"]' \
	"$(sg query "MATCH (v:Vessel {key:'IMO9417115'}) RETURN [v.imo, v.mmsi, v.call_sign] AS x" --format jsonl | sed 's/^{"x"://; s/}$//')" \
	"imo, mmsi and call_sign are strings as written"
expect 0 "a bare number as a Vessel key finds it" -- sg show 9417115
expect 0 "a partial date" -- sg link Vessel:IMO9417115 CALLED_AT Port:RUVYP start=2024-04 end=2024-05
same '2024-04-01|2024-05-31|month' \
	"$(count "MATCH (:Vessel {key:'IMO9417115'})-[r:CALLED_AT]->() RETURN toString(r.start) + '|' + toString(r.end) + '|' + r.precision AS x")" \
	"partial dates: first day of start, last day of end, precision"

# ---- merge: refusal and dry run ----
export_to "$TMP/before.jsonl"
expect 1 "two IMO numbers are two ships" -- sg merge Vessel:IMO9161003 Vessel:IMO9417115
contains "different valid IMO numbers" "$ERR" "merge refusal says why"
export_to "$TMP/after.jsonl"
if cmp -s "$TMP/before.jsonl" "$TMP/after.jsonl"; then pass; else fail "a refused merge changed the graph"; fi
expect 0 "merge --dry-run --force" -- sg merge Vessel:IMO9161003 Vessel:IMO9417115 --dry-run --force
contains "would merge Vessel:IMO9417115 into Vessel:IMO9161003" "$OUT" "dry run says what it would do"
contains "1 relationship moved" "$OUT" "dry run counts what would move"
export_to "$TMP/after.jsonl"
if cmp -s "$TMP/before.jsonl" "$TMP/after.jsonl"; then pass; else fail "merge --dry-run changed the graph"; fi
expect 0 "merge --force" -- sg merge Vessel:IMO9161003 Vessel:IMO9417115 --force

# ---- rollback: check --head ----
expect 0 "log --head" -- sg log --head
old=$OUT
[ ${#old} -eq 64 ] && pass || fail "log --head prints a 64-digit hash: $old"
expect 0 "check --head of the current head" -- sg check --head "$old"
cp -r "$DB" "$TMP/copy.db"
expect 0 "a change after the copy" -- sg set Vessel:IMO9161003 note=after-publication
new=$(sg log --head)
expect 0 "check --head NEW" -- sg check --head "$new"
rm -rf "$DB" && cp -r "$TMP/copy.db" "$DB"
expect 0 "the rolled-back copy passes a plain check" -- sg check
expect 3 "the rolled-back copy fails check --head NEW" -- sg check --head "$new"
contains "does not contain" "$ERR" "rollback named"
expect 0 "a prefix of a held hash" -- sg check --head "$(printf '%.12s' "$old")"
expect 2 "check --head takes hex" -- sg check --head xyz
expect 0 "report footer" -- sg report -o "$TMP/r.html"
grep -q "change log head $old" "$TMP/r.html" && pass || fail "report footer names the head"

finish
