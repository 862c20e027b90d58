#!/bin/sh
# wpi.sh: `import --format wpi` on the real World Port Index
# (../shared/data/world-port-index.csv, used in place, and a few rows in
# NGA's other header), an existing Port carrying a `wpi` number updated
# instead of doubled, and compressed input for every format: gzip, zstd,
# bzip2, xz, zip (one member, and OFAC's four files in one archive),
# standard input (plain and gzip), and damaged archives.
. "$(dirname "$0")/lib.sh"

WPI=$SHARED/data/world-port-index.csv
MINI=$(cd "$(dirname "$0")/../data/ofac" && pwd)
DATA=$(cd "$(dirname "$0")/../data" && pwd)
q() { "$SG" --db "$DB" query --format csv "$1" | tail -n +2 | tr -d '\r'; }

expect 0 "init" -- "$SG" --db "$DB" init

# ---- NGA's own header (UpdatedPub150.csv), country names, UN/LOCODE
cat >"$TMP/pub150.csv" <<'EOF'
World Port Index Number,Region Name,Main Port Name,Alternate Port Name,UN/LOCODE,Country Code,World Water Body,Latitude,Longitude,Harbor Size
99002,Korea -- 61060,Rajin,,KP RJN,North Korea,Sea of Japan,42.233333,130.3,Small
99001,Nowhere -- 1,Atlantis,,,Atlantis,Atlantic Ocean,10.5,-20.25,Small
EOF
expect 0 "Pub 150 header, guessed" -- "$SG" --db "$DB" import "$TMP/pub150.csv"
same "$(q "MATCH (p:Port {key:'WPI99002'}) RETURN p.name, p.country, p.locode, p.lat, p.lon, p.wpi")" \
	'Rajin,KP,KPRJN,42.233333,130.3,99002' "a country name becomes its code; the UN/LOCODE"
same "$(q "MATCH (p:Port {key:'WPI99001'}) RETURN p.country IS NULL, p.country_raw")" 'true,Atlantis' "an unknown country kept raw"
contains 'country "Atlantis" has no ISO 3166 code' "$ERR" "and reported"

# ---- the real index; a Port that has a wpi number is updated
if [ -f "$WPI" ]; then
	expect 0 "a Port with a wpi number" -- "$SG" --db "$DB" add Port RUVYP name=Vostochny locode=RUVYP wpi=60725
	expect 0 "the real WPI, format guessed" -- "$SG" --db "$DB" import "$WPI"
	same "$(q "MATCH (p:Port) WHERE p.wpi IS NOT NULL RETURN count(*)")" 3671 "3,669 ports, Rajin and Atlantis"
	same "$(q "MATCH (p:Port {key:'RUVYP'}) RETURN p.name, p.country, p.lat, p.lon, p.wpi, p.harbor_size")" \
		'VOSTOCHNYY,RU,42.75,133.083333,60725,V' "RUVYP updated, not doubled"
	same "$(q "MATCH (p:Port {key:'WPI60725'}) RETURN count(*)")" 0 "no WPI60725 beside RUVYP"
	same "$(q "MATCH (p:Port {key:'WPI50922'}) RETURN p.name, p.country, p.lat, p.lon, p.harbor_size")" \
		'MERAK MAS TERMINAL,ID,-5.916667,105.983333,M' "a port with its coordinates"
	same "$(q "MATCH (p:Port) WHERE p.lat IS NULL OR p.lon IS NULL RETURN count(*)")" 0 "every port has lat and lon"
	expect 0 "the real WPI again" -- "$SG" --db "$DB" import "$WPI"
	same "$(q "MATCH (p:Port) RETURN count(*)")" 3671 "a second import adds no port"
	expect 0 "check" -- "$SG" --db "$DB" check
fi

# ---- compressed input: each format through the one reader
DB=$TMP/z
expect 0 "init z" -- "$SG" --db "$DB" init
head -n 40 "$DATA/import-vessels.csv" >"$TMP/v.csv"
gzip -c "$TMP/v.csv" >"$TMP/v.csv.gz"
expect 0 "gzip CSV" -- "$SG" --db "$DB" import "$TMP/v.csv.gz"
n=$(q "MATCH (n) RETURN count(*)")
[ "$n" -gt 0 ] && pass || fail "gzip CSV loaded nothing"
cp "$MINI/sdn.csv" "$TMP/sdn.csv"
zstd -q -c "$MINI/sdn.csv" >"$TMP/sdn.csv.zst"
expect 0 "zstd SDN list, format guessed" -- "$SG" --db "$DB" import "$TMP/sdn.csv.zst" --list-date 2024-05-03
contains "12 entries added" "$ERR" "zstd: 12 entries"
bzip2 -c "$MINI/alt.csv" >"$TMP/alt.csv.bz2"
xz -c "$MINI/add.csv" >"$TMP/add.csv.xz"
expect 0 "bzip2 and xz companions" -- "$SG" --db "$DB" import "$TMP/alt.csv.bz2" "$TMP/add.csv.xz" "$TMP/sdn.csv.zst" \
	--list-date 2024-05-03
same "$(q "MATCH (c:Company {key:'ofac-37049'}) RETURN c.aliases, c.country")" "['TRANSMORFLOT OOO'],RU" "bzip2 alt.csv, xz add.csv"
(cd "$MINI" && zip -q "$TMP/sdn.zip" sdn.csv add.csv alt.csv sdn_comments.csv)
DB=$TMP/zip
expect 0 "init zip" -- "$SG" --db "$DB" init
expect 0 "OFAC's four files in one zip" -- "$SG" --db "$DB" import "$TMP/sdn.zip" --list-date 2024-05-03
same "$(q "MATCH (v:Vessel {key:'IMO9187629'}) RETURN v.past_flags")" "\"['MT', 'TV', 'TZ']\"" "zip: sdn_comments.csv member read"
same "$(q "MATCH (p:Person {key:'ofac-18330'}) RETURN p.name")" "\"KENAR, Ufuk Ali\"" "zip: alt.csv member read"
if [ -f "$WPI" ]; then
	gzip -c "$WPI" >"$TMP/wpi.csv.gz"
	zstd -q -c "$WPI" >"$TMP/wpi.csv.zst"
	(cd "$SHARED/data" && zip -q "$TMP/wpi.zip" world-port-index.csv)
	for f in wpi.csv.gz wpi.csv.zst wpi.zip; do
		DB=$TMP/db-$f
		"$SG" --db "$DB" init >/dev/null
		expect 0 "WPI as $f" -- "$SG" --db "$DB" import "$TMP/$f"
		same "$(q "MATCH (p:Port) RETURN count(*)")" 3669 "WPI as $f: 3,669 ports"
	done
	DB=$TMP/stdin
	"$SG" --db "$DB" init >/dev/null
	expect 0 "WPI gzip on standard input" -- sh -c "gzip -c '$WPI' | '$SG' --db '$DB' import -"
	same "$(q "MATCH (p:Port) RETURN count(*)")" 3669 "gzip from stdin: 3,669 ports"
fi
DB=$TMP/stdin2
"$SG" --db "$DB" init >/dev/null
expect 0 "SDN on standard input with a companion file" -- sh -c "'$SG' --db '$DB' import - '$MINI/alt.csv' --list-date 2024-05-03 <'$MINI/sdn.csv'"
same "$(q "MATCH (p:Person {key:'ofac-18330'}) RETURN p.name")" "\"KENAR, Ufuk Ali\"" "stdin sdn.csv with alt.csv"

# ---- damaged archives: a clear error, nothing written
before=$(q "MATCH (n) RETURN count(*)")
head -c 300 "$TMP/sdn.csv.zst" >"$TMP/cut.zst"
head -c 200 "$TMP/v.csv.gz" >"$TMP/cut.gz"
expect 1 "a truncated zstd file" -- "$SG" --db "$DB" import "$TMP/cut.zst" --list-date 2024-05-03
contains "cut.zst: cannot decompress" "$ERR" "truncated zstd named"
expect 1 "a truncated gzip file" -- "$SG" --db "$DB" import "$TMP/cut.gz"
contains "cut.gz: cannot decompress" "$ERR" "truncated gzip named"
printf 'PK\005\006\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$TMP/empty.zip"
expect 1 "an empty zip" -- "$SG" --db "$DB" import "$TMP/empty.zip"
contains "empty.zip: the archive holds no file" "$ERR" "empty zip named"
same "$(q "MATCH (n) RETURN count(*)")" "$before" "nothing written by the failed imports"
finish
