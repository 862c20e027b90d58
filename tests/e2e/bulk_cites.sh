# bulk_cites.sh: an import indexes the citations of the relationships it
# makes (the bulk skips that pass only when none of them cites a source):
# a Source lists them, `check` finds the indexes whole, and a CSV import
# without sources leaves the Source's list as it was.
. "$(dirname "$0")/lib.sh"

sg() { "$SG" --db "$DB" "$@"; }

cat >"$TMP/cited.jsonl" <<'JSONL'
{"node":"Source","key":"planet-2024-04-14","props":{"publisher":"Planet Labs PBC","kind":"satellite-imagery"}}
{"node":"Vessel","key":"IMO9161003","props":{"name":"LADY R"}}
{"node":"Port","key":"KPRJN","props":{"name":"Rajin"}}
{"edge":"SIGHTED_AT","from":"Vessel:IMO9161003","to":"Port:KPRJN","props":{"date":"2024-04-14"},"sources":[{"key":"planet-2024-04-14","confidence":"probable"}]}
{"edge":"CALLED_AT","from":"Vessel:IMO9161003","to":"Port:KPRJN","props":{"date":"2024-05-01"}}
JSONL
printf ':START_ID(Vessel),:END_ID(Port),date:date,:TYPE\nIMO9161003,KPRJN,2024-06-01,CALLED_AT\n' >"$TMP/rel-CALLED_AT.csv"

expect 0 "init" -- sg init
expect 0 "import relationships, one citing a source" -- sg import "$TMP/cited.jsonl"
expect 0 "show the source" -- sg show Source:planet-2024-04-14
contains "cited by 1 claim" "$OUT" "the imported relationship is listed as citing the source"
contains "SIGHTED_AT" "$OUT" "the citing claim is the sighting"
expect 0 "check" -- sg check
expect 0 "a CSV import of an uncited call" -- sg import --format csv --relationships "$TMP/rel-CALLED_AT.csv"
expect 0 "show the source again" -- sg show Source:planet-2024-04-14
contains "cited by 1 claim" "$OUT" "the uncited import adds no citation"
same "2" "$(sg query "MATCH (:Vessel)-[r:CALLED_AT]->(:Port) RETURN count(r) AS n" --format csv | tail -n 1 | tr -d '\r')" \
	"both calls stored"
expect 0 "check after" -- sg check
finish
