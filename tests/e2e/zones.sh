# zones.sh: named time zones through the real binary: the zone database
# missing (a clear error, nothing written), stored zoned datetimes read
# without it, and a JSONL round trip that keeps the zone.
. "$(dirname "$0")/lib.sh"

[ -f /usr/share/zoneinfo/Europe/Stockholm ] || fail "no tz database: install the Debian package tzdata (scripts/install-deps does)"
expect 0 "init" -- "$SG" --db "$DB" init

# no database: the error says so, and the write does not happen
expect 1 "a zone without a database" -- env TZDIR="$TMP/nozones" "$SG" --db "$DB" query \
	"CREATE (:Trip {key: 't0', at: datetime({year: 2020, month: 6, day: 1, timezone: 'Europe/Paris'})})"
contains "no time zone database in $TMP/nozones (install the tzdata package)" "$ERR" "missing database named"
expect 0 "nothing was written" -- "$SG" --db "$DB" query "MATCH (t:Trip) RETURN count(t) AS n" --format csv
contains "0" "$OUT" "no Trip node"

# with the database: store, read back, then read without it
expect 0 "store a zoned datetime" -- "$SG" --db "$DB" query \
	"CREATE (:Trip {key: 't1', at: datetime('2017-10-29T02:30+02:00[Europe/Stockholm]')})"
expect 0 "read it back" -- "$SG" --db "$DB" query "MATCH (t:Trip) RETURN t.at AS at, t.at.timezone AS tz" --format csv
contains "2017-10-29T02:30+02:00[Europe/Stockholm],Europe/Stockholm" "$OUT" "stored with its zone"
expect 0 "read it without the database" -- env TZDIR="$TMP/nozones" "$SG" --db "$DB" query "MATCH (t:Trip) RETURN t.at AS at" --format csv
contains "2017-10-29T02:30+02:00[Europe/Stockholm]" "$OUT" "printed without the rules"
expect 1 "arithmetic needs the database" -- env TZDIR="$TMP/nozones" "$SG" --db "$DB" query "MATCH (t:Trip) RETURN t.at + duration('P1D') AS at"
contains "no time zone database in $TMP/nozones" "$ERR" "arithmetic says why"
expect 1 "a span needs the database" -- env TZDIR="$TMP/nozones" "$SG" --db "$DB" query \
	"MATCH (t:Trip) RETURN duration.between(t.at, localdatetime('2018-01-01T00:00')) AS d"
contains "no time zone database in $TMP/nozones" "$ERR" "span says why"

# a JSONL round trip keeps the zone
expect 0 "export jsonl" -- "$SG" --db "$DB" export --format jsonl -o "$TMP/trips.jsonl"
contains "[Europe/Stockholm]" "$(cat "$TMP/trips.jsonl")" "zone in the export"
expect 0 "init a copy" -- "$SG" --db "$TMP/db2" init
expect 0 "import jsonl" -- "$SG" --db "$TMP/db2" import "$TMP/trips.jsonl"
expect 0 "compare" -- "$SG" --db "$TMP/db2" query \
	"MATCH (t:Trip) RETURN t.at = datetime('2017-10-29T02:30+02:00[Europe/Stockholm]') AS same, t.at + duration('PT1H') AS later" --format csv
contains "true,2017-10-29T02:30+01:00[Europe/Stockholm]" "$OUT" "same value after the round trip"
finish
