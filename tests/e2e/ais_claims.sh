# ais_claims.sh: detected AIS events go through the shared claim path: an
# event that overlaps a claim made with `link` (same type, endpoints, time)
# is that claim and cites both; detect again changes nothing; a grown event
# updates its claim; `link` after detect finds the detected claim.  And a
# database whose positions are in positions format 1 refuses, naming
# `sanctgraph upgrade`.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")/.." && pwd)

expect 0 "init" -- $SG --db "$DB" init
cat >"$TMP/base.jsonl" <<'EOF'
{"node":"Port","key":"KPRJN","props":{"name":"Rajin","country":"KP","lat":42.2333,"lon":130.3,"locode":"KPRJN"}}
{"node":"Source","key":"un-panel-2024","props":{"title":"UN Panel of Experts report, 2024","kind":"report"}}
{"node":"Source","key":"planet-2024-04-20","props":{"title":"Satellite image of Rajin, 20 April 2024","kind":"image"}}
EOF
# LADY R at Rajin from 10:00 to 14:30 on 14 April, under 1 knot
python3 -c "
print('MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO')
for h in range(10, 15):
    for m in (0, 30):
        print('273000001,2024-04-14T%02d:%02d:00,42.2400,130.3050,0.2,0,511,LADY R,' % (h, m))
" >"$TMP/calls1.csv"
expect 0 "ports, sources, positions" -- $SG --db "$DB" import "$TMP/base.jsonl" "$TMP/calls1.csv"

# ---- link first, then detect: one claim citing both
expect 0 "the panel's claim" -- $SG --db "$DB" link Vessel:MMSI273000001 CALLED_AT Port:KPRJN date=2024-04-14 --source un-panel-2024 --confidence confirmed
contains "linked" "$OUT" "a claim made by link"
expect 0 "detect" -- $SG --db "$DB" detect --port-calls
contains "1 port calls" "$OUT" "the call is found"
contains "0 relationships created, 1 updated, 0 unchanged" "$OUT" "the detected call is the linked claim"
expect 0 "one claim" -- $SG --db "$DB" query --format csv "MATCH (:Vessel)-[r:CALLED_AT]->(:Port) RETURN toString(r.start) AS s, toString(r.end) AS e, toString(r.date) AS d, r.method STARTS WITH 'port call' AS m, size(sources(r)) AS n"
same "s,e,d,m,n
2024-04-14T10:00Z,2024-04-14T14:30Z,2024-04-14,true,2" "$(echo "$OUT" | tr -d '\r')" "one claim with the event's span and method, citing both sources"
expect 0 "citations" -- $SG --db "$DB" query --format csv "MATCH (:Vessel)-[r:CALLED_AT]->(:Port) UNWIND citations(r) AS c RETURN c.source.kind AS kind, c.confidence AS c ORDER BY kind"
contains "ais,probable" "$(echo "$OUT" | tr -d '\r')" "the AIS source cited as probable"
contains "report,confirmed" "$(echo "$OUT" | tr -d '\r')" "the panel's citation kept as it was"

# ---- detect again: nothing changes
expect 0 "log before" -- $SG --db "$DB" log --limit 1
before=$OUT
expect 0 "detect again" -- $SG --db "$DB" detect
contains "0 relationships created, 0 updated, 1 unchanged" "$OUT" "a second detect changes nothing"
expect 0 "log after" -- $SG --db "$DB" log --limit 1
same "$before" "$OUT" "no change-log record for a detect that changed nothing"

# ---- the event grows: the same claim, widened, citing the new feed too
python3 -c "
print('MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO')
for h in range(15, 18):
    for m in (0, 30):
        print('273000001,2024-04-14T%02d:%02d:00,42.2400,130.3050,0.2,0,511,LADY R,' % (h, m))
" >"$TMP/calls2.csv"
expect 0 "more positions" -- $SG --db "$DB" import --publisher "Second feed" "$TMP/calls2.csv"
expect 0 "detect after more positions" -- $SG --db "$DB" detect --port-calls
contains "0 relationships created, 1 updated" "$OUT" "the grown call updates its claim"
expect 0 "still one claim" -- $SG --db "$DB" query --format csv "MATCH (:Vessel)-[r:CALLED_AT]->(:Port) RETURN toString(r.start) AS s, toString(r.end) AS e, size(sources(r)) AS n"
same "s,e,n
2024-04-14T10:00Z,2024-04-14T17:30Z,3" "$(echo "$OUT" | tr -d '\r')" "widened to 17:30, citing the panel and both AIS imports"
expect 0 "detect once more" -- $SG --db "$DB" detect --port-calls
contains "0 relationships created, 0 updated, 1 unchanged" "$OUT" "and then nothing changes"

# ---- detect first, then link: link finds the detected claim
python3 -c "
print('MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO')
for h in range(2, 9):
    print('273000001,2024-04-20T%02d:00:00,42.2400,130.3050,0.1,0,511,LADY R,' % h)
" >"$TMP/calls3.csv"
expect 0 "a second visit" -- $SG --db "$DB" import "$TMP/calls3.csv"
expect 0 "detect the second call" -- $SG --db "$DB" detect --port-calls
contains "1 relationships created, 0 updated, 1 unchanged" "$OUT" "a new call on 20 April"
expect 0 "link the image to it" -- $SG --db "$DB" link Vessel:MMSI273000001 CALLED_AT Port:KPRJN date=2024-04-20 --source planet-2024-04-20
contains "cited" "$OUT" "link cites the detected claim"
expect 0 "two calls" -- $SG --db "$DB" query --format csv "MATCH (:Vessel)-[r:CALLED_AT]->(:Port) RETURN toString(r.start) AS s, size(sources(r)) AS n ORDER BY s"
same "s,n
2024-04-14T10:00Z,3
2024-04-20T02:00Z,2" "$(echo "$OUT" | tr -d '\r')" "two claims, the second citing the AIS import and the image"
expect 0 "detect after link" -- $SG --db "$DB" detect --port-calls
contains "0 relationships created, 0 updated, 2 unchanged" "$OUT" "the link changed nothing detect derives"
expect 0 "check" -- $SG --db "$DB" check

# ---- a claim of another kind or another day is not merged
expect 0 "a claim on another day" -- $SG --db "$DB" link Vessel:MMSI273000001 CALLED_AT Port:KPRJN date=2024-03-01 --source un-panel-2024
contains "linked" "$OUT" "a separate claim"
expect 0 "detect" -- $SG --db "$DB" detect --port-calls
contains "0 relationships created, 0 updated, 2 unchanged" "$OUT" "the March claim is not an AIS call"

# ---- a database with positions format 1 (written by the format 2
# sanctgraph) refuses, naming the upgrade; `upgrade` converts its
# positions too, and they export as that sanctgraph exported them
OLD=$TMP/old
mkdir -p "$OLD"
cp "$HERE/data/ais/posfmt1/data.mdb" "$OLD/"
for what in "stats" "track 366000001" "detect" "export -o $TMP/old.jsonl"; do
	expect 1 "$what before the upgrade" -- $SG --db "$OLD" $what
	contains 'run `sanctgraph upgrade`' "$ERR" "$what names the upgrade"
done
expect 1 "import AIS before the upgrade" -- $SG --db "$OLD" import "$HERE/data/ais/mc-real-rows.csv"
contains 'sanctgraph upgrade' "$ERR" "an AIS import refuses"
expect 0 "upgrade" -- $SG upgrade "$OLD"
expect 0 "check after the upgrade" -- $SG --db "$OLD" check
expect 0 "stats after the upgrade" -- $SG --db "$OLD" stats
contains 'positions 408' "$OUT" "408 positions after the upgrade"
expect 0 "export after the upgrade" -- $SG --db "$OLD" export -o "$TMP/old.jsonl"
grep '^{"position"' "$TMP/old.jsonl" | sort > "$TMP/pos.got"
sort "$HERE/data/ais/posfmt1/positions.jsonl" > "$TMP/pos.want"
if cmp -s "$TMP/pos.got" "$TMP/pos.want"; then pass; else fail "positions after the upgrade differ from the old export"; fi
finish
