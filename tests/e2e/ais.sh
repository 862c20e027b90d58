# ais.sh: AIS positions end to end: the three CSV dialects (real rows),
# noise handling, detection scored against planted truth, idempotent detect,
# tracks as GeoJSON, positions in Cypher, export and import of positions,
# MMSI vessels merged into IMO vessels whatever the order.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")/.." && pwd)
DATA=$HERE/data/ais
WPI=$SHARED/data/world-port-index.csv

expect 0 "init" -- $SG --db "$DB" init

# ---- real rows, three dialects
expect 0 "import DMA rows" -- $SG --db "$DB" import "$DATA/dma-2023-03-18-head.csv"
contains "9 rows, 7 new positions" "$ERR" "DMA: base station and lat 91 skipped"
contains "1 not available" "$ERR" "DMA: lat 91 counted"
contains "1 MMSIs not 9 digits" "$ERR" "DMA: base station counted"
expect 0 "DMA source" -- $SG --db "$DB" query --format csv "MATCH (s:Source) RETURN s.publisher, s.kind"
contains "Danish Maritime Authority,ais" "$OUT" "DMA publisher"
expect 0 "DMA vessel" -- $SG --db "$DB" show Vessel:MMSI352002266
contains "352002266" "$OUT" "an MMSI vessel per MMSI"
expect 0 "import MarineCadastre rows" -- $SG --db "$DB" import --format ais --publisher "NOAA Office for Coastal Management" "$DATA/mc-real-rows.csv"
contains "3 new positions" "$ERR" "MC rows stored"
expect 0 "EDITH's junk IMO is a placeholder" -- $SG --db "$DB" show Vessel:MMSI367733230
contains "EDITH" "$OUT" "vessel named from VesselName"
lacks "100637903" "$OUT" "junk IMO not kept"
expect 0 "publisher from --publisher" -- $SG --db "$DB" query --format csv "MATCH (s:Source) WHERE s.publisher STARTS WITH 'NOAA' RETURN s.title"
contains "mc-real-rows.csv" "$OUT" "the source's title names the file"
expect 0 "import 2025 header (same rows)" -- $SG --db "$DB" import "$DATA/mc2025-real-rows.csv"
contains "0 new positions, 3 duplicates" "$ERR" "2025 header: the same positions, kept once"
expect 0 "log before" -- $SG --db "$DB" log --limit 1
before=$OUT
expect 0 "import again" -- $SG --db "$DB" import "$DATA/dma-2023-03-18-head.csv"
contains "0 new positions" "$ERR" "a second import adds nothing"
expect 0 "log after" -- $SG --db "$DB" log --limit 1
same "$before" "$OUT" "a second import of the same file changes nothing"
expect 0 "track csv" -- $SG --db "$DB" track 367544180
contains "367544180,2022-06-01T00:00:07Z,46.1679500,-123.9143000,0.0,342.5," "$OUT" "track csv row"
expect 0 "check" -- $SG --db "$DB" check
expect 0 "stats" -- $SG --db "$DB" stats
contains "positions 10" "$OUT" "stats counts positions"

# ---- bad input: file:line, exit 1, nothing written
printf 'MMSI,BaseDateTime,LAT,LON,SOG\n367000009,2024-01-01T00:00:00,10,10,1\n367000009,2024-02-30T00:00:00,10,10,1\n' >"$TMP/bad.csv"
expect 1 "bad time" -- $SG --db "$DB" import "$TMP/bad.csv"
contains "bad.csv:3: invalid time" "$ERR" "bad time names file:line"
expect 1 "nothing written" -- $SG --db "$DB" track 367000009
printf 'MMSI,BaseDateTime,LAT,LON\n367000009,2024-01-01T00:00:00,north,10\n' >"$TMP/bad2.csv"
expect 1 "bad latitude" -- $SG --db "$DB" import --format ais "$TMP/bad2.csv"
contains "bad2.csv:2: invalid latitude" "$ERR" "bad latitude names file:line"
printf 'MMSI,Time,X\n1,2,3\n' >"$TMP/bad3.csv"
expect 1 "not an AIS header" -- $SG --db "$DB" import --format ais "$TMP/bad3.csv"
contains "not an AIS header" "$ERR" "header refused"

# ---- an MMSI vessel merges into the IMO vessel that carries its MMSI, either order
printf 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO\n273000001,2024-04-13T00:00:00,42.0,131.0,10,0,511,LADY R,\n' >"$TMP/ladyr1.csv"
expect 0 "AIS first" -- $SG --db "$DB" import "$TMP/ladyr1.csv"
echo '{"node":"Vessel","key":"IMO9161003","props":{"name":"LADY R","imo":"9161003","mmsi":"273000001","flag":"RU"}}' >"$TMP/ladyr.jsonl"
expect 0 "then the IMO vessel" -- $SG --db "$DB" import "$TMP/ladyr.jsonl"
contains "1 MMSI vessels merged into the IMO vessels" "$ERR" "merged on import"
expect 0 "alias resolves" -- $SG --db "$DB" show Vessel:MMSI273000001
contains "Vessel:IMO9161003" "$OUT" "the MMSI key is an alias of the IMO vessel"
expect 0 "positions follow" -- $SG --db "$DB" track Vessel:IMO9161003
contains "273000001,2024-04-13T00:00:00Z" "$OUT" "the IMO vessel's track"
printf 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO\n273000002,2024-04-13T00:00:00,42.0,131.0,10,0,511,SHIP B,IMO9161003\n' >"$TMP/ladyr2.csv"
expect 0 "IMO column names an existing vessel" -- $SG --db "$DB" import "$TMP/ladyr2.csv"
expect 0 "no MMSI vessel made" -- $SG --db "$DB" query --format csv "MATCH (v:Vessel) WHERE v.mmsi = '273000002' OR v.name = 'SHIP B' RETURN count(v) AS n"
same "n
0" "$(echo "$OUT" | tr -d '\r')" "IMO wins: no vessel of its own for the second MMSI"
expect 0 "second MMSI" -- $SG --db "$DB" show Vessel:IMO9161003
contains "past_mmsi    ['273000002']" "$OUT" "the second MMSI is the IMO vessel's"
expect 0 "its positions follow" -- $SG --db "$DB" track IMO9161003
contains "273000002,2024-04-13T00:00:00Z" "$OUT" "positions of both MMSIs"

# the IMO column names another vessel than the one with the MMSI: reported
echo '{"node":"Vessel","key":"IMO9074729","props":{"name":"OTHER","imo":"9074729","mmsi":"273000005"}}' >"$TMP/other.jsonl"
expect 0 "a vessel with an MMSI" -- $SG --db "$DB" import "$TMP/other.jsonl"
printf 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO\n273000005,2024-04-12T00:00:00,42.0,131.0,10,0,511,LADY R,IMO9161003\n' >"$TMP/ladyr3.csv"
expect 0 "IMO column disagrees" -- $SG --db "$DB" import "$TMP/ladyr3.csv"
contains "MMSI 273000005 is Vessel:IMO9074729's, its IMO column says IMO9161003: the IMO wins" "$ERR" "the import reports it"
expect 0 "the MMSI's vessel is the IMO's" -- $SG --db "$DB" show Vessel:MMSI273000005
contains "Vessel:IMO9161003" "$OUT" "alias to the IMO vessel"

# merge moves the positions with the MMSI
printf 'MMSI,BaseDateTime,LAT,LON,SOG\n273000006,2024-04-10T00:00:00,41.0,131.0,9\n273000007,2024-04-11T00:00:00,41.5,131.5,9\n' >"$TMP/twins.csv"
expect 0 "two MMSI vessels" -- $SG --db "$DB" import "$TMP/twins.csv"
expect 0 "merge them" -- $SG --db "$DB" merge Vessel:MMSI273000006 Vessel:MMSI273000007
expect 0 "the survivor's track" -- $SG --db "$DB" track Vessel:MMSI273000006
contains "273000007,2024-04-11T00:00:00Z" "$OUT" "merged positions follow"
contains "273000006,2024-04-10T00:00:00Z" "$OUT" "its own positions stay"

# ---- Rajin (KPRJN) in Cypher: positions() and point.distance()
echo '{"node":"Port","key":"KPRJN","props":{"name":"Rajin","country":"KP","lat":42.2333,"lon":130.3,"locode":"KPRJN"}}' >"$TMP/rajin.jsonl"
printf 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO\n273000001,2024-04-14T03:00:00,42.26,130.32,0.2,10,511,LADY R,\n273000003,2024-04-14T05:00:00,42.60,130.90,11,10,511,FAR AWAY,\n273000004,2024-04-15T05:00:00,42.24,130.30,0.1,10,511,NEXT DAY,\n' >"$TMP/rajin.csv"
expect 0 "Rajin data" -- $SG --db "$DB" import "$TMP/rajin.jsonl" "$TMP/rajin.csv"
expect 0 "near Rajin on 14 April" -- $SG --db "$DB" query --format csv \
	"MATCH (p:Port {key: 'KPRJN'}), (v:Vessel) UNWIND positions(v, date('2024-04-14'), date('2024-04-14')) AS pos WITH p, v, pos WHERE point.distance(point({latitude: pos.lat, longitude: pos.lon}), point({latitude: p.lat, longitude: p.lon})) < 10000 RETURN DISTINCT v.key AS vessel"
same "vessel
IMO9161003" "$(echo "$OUT" | tr -d '\r')" "only LADY R was within 10 km of Rajin on 14 April"
expect 0 "point.distance" -- $SG --db "$DB" query --format csv "RETURN round(point.distance(point({latitude: 0, longitude: 0}), point({latitude: 0, longitude: 1}))) AS m"
contains "111195" "$OUT" "one degree of longitude at the equator"

# ---- export and import of positions
expect 0 "export" -- $SG --db "$DB" export -o "$TMP/all.jsonl"
contains '{"position":{"mmsi":"273000001","time":"2024-04-13T00:00:00Z"' "$(cat "$TMP/all.jsonl")" "position lines"
expect 0 "export without positions" -- $SG --db "$DB" export --no-positions
lacks '{"position"' "$OUT" "--no-positions"
expect 0 "init copy" -- $SG --db "$TMP/db2" init
expect 0 "import export" -- $SG --db "$TMP/db2" import "$TMP/all.jsonl"
expect 0 "export again" -- $SG --db "$TMP/db2" export -o "$TMP/all2.jsonl"
same "$(cat "$TMP/all.jsonl")" "$(cat "$TMP/all2.jsonl")" "import(export(db)) keeps the positions"
expect 0 "check copy" -- $SG --db "$TMP/db2" check

# ---- planted events: precision and recall per kind, idempotent detect
GDB=$TMP/gen
for dialect in mc dma mc2025; do
	rm -rf "$TMP/g" "$GDB"
	expect 0 "generate $dialect" -- python3 "$HERE/ais/gen.py" --wpi "$WPI" --out "$TMP/g" --vessels 40 --days 3 --seed 7 --dialect $dialect
	expect 0 "init gen" -- $SG --db "$GDB" init
	expect 0 "ports" -- $SG --db "$GDB" import "$TMP/g/ports.jsonl"
	expect 0 "positions ($dialect)" -- $SG --db "$GDB" import "$TMP/g/ais.csv"
	contains "not available" "$ERR" "noise counted"
	expect 0 "detect ($dialect)" -- $SG --db "$GDB" detect
	expect 0 "score ($dialect)" -- python3 "$HERE/ais/score.py" "$SG" "$GDB" "$TMP/g/truth.json"
	echo "$OUT" | sed 's/^/    /'
done
expect 0 "log before" -- $SG --db "$GDB" log --limit 1
before=$OUT
expect 0 "detect again" -- $SG --db "$GDB" detect
contains "0 relationships created, 0 updated" "$OUT" "a second detect changes nothing"
expect 0 "log after" -- $SG --db "$GDB" log --limit 1
same "$before" "$OUT" "no change-log record for a detect that changed nothing"
expect 0 "check gen" -- $SG --db "$GDB" check

# a grown event is updated, not duplicated: a gap detected on the first
# day's window grows when the window grows
expect 0 "gap vessel" -- $SG --db "$GDB" query --format csv "MATCH (a:Vessel)-[r:AIS_GAP]->(a) RETURN a.mmsi AS m, toString(r.start) AS s ORDER BY m LIMIT 1"
m=$(echo "$OUT" | tail -1 | tr -d '\r' | cut -d, -f1)
expect 0 "track geojson" -- $SG --db "$GDB" track "$m" --format geojson
echo "$OUT" >"$TMP/track.geojson"
expect 0 "geojson parses, 2+ LineStrings, lon/lat order" -- python3 -c "
import json, sys, csv, subprocess
d = json.load(open('$TMP/track.geojson'))
assert d['type'] == 'FeatureCollection'
lines = [f for f in d['features'] if f['geometry']['type'] == 'LineString']
assert len(lines) >= 2, len(lines)
gaps = [f for f in d['features'] if f['properties'].get('type') == 'AIS_GAP']
assert gaps and gaps[0]['geometry']['coordinates'] == [gaps[0]['properties']['lon_off'], gaps[0]['properties']['lat_off']]
rows = list(csv.DictReader(subprocess.run(['$SG', '--db', '$GDB', 'track', '$m'], capture_output=True, text=True).stdout.splitlines()))
lon, lat = lines[0]['geometry']['coordinates'][0]
assert abs(lon - float(rows[0]['lon'])) < 1e-6 and abs(lat - float(rows[0]['lat'])) < 1e-6
"
expect 0 "report with a track sketch" -- $SG --db "$GDB" report --around "Vessel:MMSI$m" -o "$TMP/r.html"
contains '<section id="tracks">' "$(cat "$TMP/r.html")" "report has a Tracks section"
contains "lines break at gaps of 12 h or more" "$(cat "$TMP/r.html")" "the sketch's caption"
expect 0 "encounter direction" -- $SG --db "$GDB" query --format csv "MATCH (a:Vessel)-[r:ENCOUNTERED]->(b:Vessel) WHERE a.mmsi > b.mmsi RETURN count(r) AS n"
same "n
0" "$(echo "$OUT" | tr -d '\r')" "ENCOUNTERED goes from the lower MMSI"

# a window that cuts a gap in half finds nothing; the whole window finds it
# again as the same claim (updated in place, not duplicated)
expect 0 "count gaps" -- $SG --db "$GDB" query --format csv "MATCH ()-[r:AIS_GAP]->() RETURN count(r) AS n"
gaps=$OUT
expect 0 "detect in a window" -- $SG --db "$GDB" detect --gaps --from 2024-04-01 --to 2024-04-04
contains "0 relationships created" "$OUT" "windowed detect reuses the claims"
expect 0 "count gaps again" -- $SG --db "$GDB" query --format csv "MATCH ()-[r:AIS_GAP]->() RETURN count(r) AS n"
same "$gaps" "$OUT" "no duplicate gaps"
# a port call that grows with more positions is the same claim, updated
GROW=$TMP/grow
expect 0 "init grow" -- $SG --db "$GROW" init
echo '{"node":"Port","key":"KPRJN","props":{"name":"Rajin","lat":42.2333,"lon":130.3}}' >"$TMP/grow.jsonl"
python3 -c "
import sys
print('MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO')
for h in range(10, 14):
    for m in (0, 30):
        print('273000001,2024-04-14T%02d:%02d:00,42.2400,130.3050,0.2,0,511,LADY R,' % (h, m))
" >"$TMP/grow1.csv"
python3 -c "
print('MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO')
for h in range(14, 18):
    for m in (0, 30):
        print('273000001,2024-04-14T%02d:%02d:00,42.2400,130.3050,0.2,0,511,LADY R,' % (h, m))
" >"$TMP/grow2.csv"
expect 0 "first positions" -- $SG --db "$GROW" import "$TMP/grow.jsonl" "$TMP/grow1.csv"
expect 0 "detect port call" -- $SG --db "$GROW" detect --port-calls
contains "1 relationships created" "$OUT" "a port call"
expect 0 "more positions" -- $SG --db "$GROW" import --publisher "Second feed" "$TMP/grow2.csv"
expect 0 "detect again" -- $SG --db "$GROW" detect --port-calls
contains "0 relationships created, 1 updated" "$OUT" "the grown call is updated"
expect 0 "one call" -- $SG --db "$GROW" query --format csv "MATCH (v:Vessel)-[r:CALLED_AT]->(p:Port) RETURN toString(r.start) AS s, toString(r.end) AS e, size(sources(r)) AS n"
same "s,e,n
2024-04-14T10:00Z,2024-04-14T17:30Z,2" "$(echo "$OUT" | tr -d '\r')" "one claim, widened, citing both imports"
expect 2 "bad option" -- $SG --db "$GDB" detect --min-gap-hours x
expect 2 "bad date" -- $SG --db "$GDB" detect --from 2024-02-30
# compressed as MarineCadastre and the Danish Maritime Authority publish them
need zip zip
need gzip gzip
need zstd zstd
mkdir -p "$TMP/z"
cp "$DATA/mc-real-rows.csv" "$TMP/z/AIS_2022_03_31.csv"
(cd "$TMP/z" && zip -q AIS_2022_03_31.zip AIS_2022_03_31.csv && gzip -k AIS_2022_03_31.csv && zstd -q AIS_2022_03_31.csv -o AIS_2022_03_31.csv.zst)
for z in AIS_2022_03_31.zip AIS_2022_03_31.csv.gz AIS_2022_03_31.csv.zst; do
	ZDB=$TMP/zdb-$z
	expect 0 "init for $z" -- $SG --db "$ZDB" init
	expect 0 "import $z" -- $SG --db "$ZDB" import "$TMP/z/$z"
	contains "3 new positions" "$ERR" "$z: the positions of the compressed file"
	expect 0 "stats of $z" -- $SG --db "$ZDB" stats
	contains "positions 3" "$OUT" "$z: stored"
done
finish
