# merge_fold.sh: merging two nodes that make the same claim leaves one
# claim citing both sources (the claim identity of graph/claim.c: type,
# ends, claim, overlapping span), not two identical relationships.
. "$(dirname "$0")/lib.sh"

q() { "$SG" --db "$DB" query --format csv "$1" 2>/dev/null | tr -d '\r'; }

"$SG" --db "$DB" init >/dev/null
"$SG" --db "$DB" add Source s1 kind=media publisher=A >/dev/null
"$SG" --db "$DB" add Source s2 kind=registry publisher=B >/dev/null
"$SG" --db "$DB" add Port KPRJN name=Rajin >/dev/null
"$SG" --db "$DB" add Vessel IMO9161003 name="LADY R" >/dev/null
"$SG" --db "$DB" add Vessel MMSI273453060 name="LADY R" >/dev/null
"$SG" --db "$DB" link Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-04-14 --source s1 >/dev/null
"$SG" --db "$DB" link Vessel:MMSI273453060 SIGHTED_AT Port:KPRJN date=2024-04-14 --source s2 >/dev/null
"$SG" --db "$DB" link Vessel:MMSI273453060 SIGHTED_AT Port:KPRJN date=2024-05-20 --source s2 >/dev/null

expect 0 "merge the two vessels" -- "$SG" --db "$DB" merge Vessel:IMO9161003 Vessel:MMSI273453060
same "2" "$(q "MATCH (:Vessel {key:'IMO9161003'})-[r:SIGHTED_AT]->() RETURN count(r)" | tail -1)" \
	"the same sighting made by both is one claim; the other sighting moved"
same "2024-04-14,s1 s2" "$(q "MATCH (:Vessel {key:'IMO9161003'})-[r:SIGHTED_AT {date: date('2024-04-14')}]->() UNWIND sources(r) AS s WITH r, s.key AS k ORDER BY k RETURN toString(r.date), collect(k)" | tail -1 | tr -d "[]'\"" | sed 's/, / /g')" \
	"the folded claim cites both sources"
expect 0 "check after the merge" -- "$SG" --db "$DB" check
finish
