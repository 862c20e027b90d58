#!/bin/sh
# ofac.sh: `import --format ofac-sdn` on OFAC's real SDN list of 2024-05-03
# (../shared/data, used in place) and on tests/data/ofac (twelve real rows
# with crafted add.csv, alt.csv and sdn_comments.csv in OFAC's format):
# the counts, LADY R, each tricky row of the real list, the companion
# files, a second import that changes nothing, a refresh from a later list
# (made here from the real one) that delists, a dry run, an older list
# refused, a relisting, and format guessing.
. "$(dirname "$0")/lib.sh"

SDN=$SHARED/data/ofac-sdn-2024-05-03.csv
MINI=$(cd "$(dirname "$0")/../data/ofac" && pwd)
q() { "$SG" --db "$DB" query --format csv "$1" | tail -n +2 | tr -d '\r'; }

# ---- companion files, any order, format guessed
expect 0 "init" -- "$SG" --db "$DB" init
expect 0 "mini list with companions" -- "$SG" --db "$DB" import "$MINI/alt.csv" "$MINI/sdn_comments.csv" \
	"$MINI/add.csv" "$MINI/sdn.csv" --list-date 2024-05-03
contains "12 entries added, 0 changed, 0 delisted" "$ERR" "mini counts"
same "$(q "MATCH (v:Vessel {key:'IMO9187629'}) RETURN v.past_flags")" "\"['MT', 'TV', 'TZ']\"" \
	"remarks continued in sdn_comments.csv (Former Vessel Flag Tu|valu), None Identified left out"
same "$(q "MATCH (c:Company {key:'ofac-18328'}) RETURN c.addresses, c.country, c.past_names")" \
	"\"['Ataturk Cad. 12, Istanbul, Turkey', 'Mersin, Turkey']\",TR,['MILENYUM SHIPPING']" \
	"add.csv addresses and one country; alt.csv fka"
same "$(q "MATCH (c:Company {key:'ofac-18329'}) RETURN c.country IS NULL, c.countries")" "true,\"['SY', 'LB']\"" \
	"two countries: no single country"
same "$(q "MATCH (p:Person {key:'ofac-18330'}) RETURN p.name, p.past_names")" "\"KENAR, Ufuk Ali\",\"['KENAR, Ufuk']\"" \
	"alt.csv nka: the new name, the old one kept"
same "$(q "MATCH (c:Company {key:'ofac-37049'}) RETURN c.aliases")" "['TRANSMORFLOT OOO']" "alt.csv aka"

# ---- bad files: FILE:LINE, exit 1, nothing written; --skip-bad skips
row() { printf '%s,"%s",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' "$1" "$2"; }
{ row 1 A; row x2 B; } >"$TMP/bad-num.csv"
{ row 1 A; row 1 B; } >"$TMP/bad-twice.csv"
{ row 1 A; printf '2,"B",-0- ,"SDGT"\r\n'; } >"$TMP/bad-fields.csv"
{ row 1 A; printf '2,"B ""open,-0- ,"SDGT"\r\n'; } >"$TMP/bad-quote.csv"
printf '77,12,"aka","X",-0- \r\n' >"$TMP/alt-orphan.csv"
before=$("$SG" --db "$DB" export --format jsonl | cksum)
expect 1 "bad ent_num" -- "$SG" --db "$DB" import "$TMP/bad-num.csv" --list-date 2024-05-03
contains 'bad-num.csv:2: ent_num "x2" is not a number' "$ERR" "bad ent_num: file:line"
expect 1 "an entry twice" -- "$SG" --db "$DB" import "$TMP/bad-twice.csv" --list-date 2024-05-03
contains 'bad-twice.csv:2: entry 1 is listed twice' "$ERR" "entry twice: file:line"
expect 1 "too few fields" -- "$SG" --db "$DB" import "$TMP/bad-fields.csv" --list-date 2024-05-03 --format ofac-sdn
contains 'bad-fields.csv:2: an SDN record has 12 fields, this one 4' "$ERR" "fields: file:line"
expect 1 "a broken quote" -- "$SG" --db "$DB" import "$TMP/bad-quote.csv" --list-date 2024-05-03
contains 'bad-quote.csv:2:' "$ERR" "quote: file:line"
expect 1 "an alias of no entry" -- "$SG" --db "$DB" import "$MINI/sdn.csv" "$TMP/alt-orphan.csv" --list-date 2024-05-03
contains 'alt-orphan.csv:1: entry 77 is not in' "$ERR" "orphan alias: file:line"
expect 2 "companions without sdn.csv" -- "$SG" --db "$DB" import "$MINI/alt.csv" --format ofac-sdn --list-date 2024-05-03
same "$("$SG" --db "$DB" export --format jsonl | cksum)" "$before" "nothing written by bad files"
expect 0 "--skip-bad skips the bad row" -- "$SG" --db "$TMP/skip" init
expect 0 "--skip-bad" -- "$SG" --db "$TMP/skip" import "$TMP/bad-num.csv" --list-date 2024-05-03 --skip-bad
contains "1 entry added" "$ERR" "--skip-bad: the good row"
contains 'bad-num.csv:2: ent_num "x2" is not a number' "$ERR" "--skip-bad: the bad row reported"

# ---- the real list
DB=$TMP/real
if [ ! -f "$SDN" ]; then
	echo "  ofac.sh: $SDN missing: real-list tests skipped"
	finish
	exit $?
fi
expect 0 "init real" -- "$SG" --db "$DB" init
expect 2 "list date required" -- "$SG" --db "$DB" import "$SDN"
contains "needs --list-date" "$ERR" "missing --list-date named"
expect 2 "bad list date" -- "$SG" --db "$DB" import "$SDN" --list-date 2024/05/03
expect 0 "real list, format guessed" -- "$SG" --db "$DB" import "$SDN" --list-date 2024-05-03
contains "14,965 entries added, 0 changed, 0 delisted, 0 unchanged" "$ERR" "entries added"
NOTES=$ERR
# every country and flag name of the real list has its ISO code (the one
# left is "possibly Palestinian", a guess OFAC makes, kept as written)
same "$(printf '%s\n' "$ERR" | grep 'has no ISO 3166 code' | grep -vc 'possibly Palestinian')" 0 "every country name maps"
same "$(q "MATCH (v:Vessel) RETURN count(*)")" 851 "851 vessels"
same "$(q "MATCH (v:Vessel) WHERE v.key STARTS WITH 'IMO' RETURN count(*)")" 845 "845 keyed by IMO"
same "$(q "MATCH (v:Vessel) WHERE v.mmsi IS NOT NULL RETURN count(*)")" 154 "154 with an MMSI"
same "$(q "MATCH (p:Person) RETURN count(*)")" 6854 "6,854 people"
same "$(q "MATCH (a:Aircraft) RETURN count(*)")" 376 "376 aircraft"
same "$(q "MATCH (s:Sanction) RETURN count(*)")" 75 "75 programs"
same "$(q "MATCH (c:Company) WHERE c.unresolved RETURN count(*)")" 4 "4 unresolved Linked To names (8 links)"
same "$(q "MATCH (x)-[:LINKED_TO]->(c:Company) WHERE c.unresolved RETURN count(*)")" 8 "8 links to unresolved names"
same "$(q "MATCH (n) WHERE NOT n:Source AND NOT n:Sanction AND NOT n.unresolved AND NOT 'ofac-sdn-2024-05-03' IN [s IN sources(n) | s.key] RETURN count(*)")" 0 \
	"every entry cites the list"
same "$(q "MATCH (s:Source {key:'ofac-sdn-2024-05-03'}) RETURN s.publisher, s.kind, s.date")" \
	'"U.S. Treasury, Office of Foreign Assets Control",sanctions-list,2024-05-03' "the list's Source"
same "$(q "MATCH ()-[r]->() WHERE NOT 'ofac-sdn-2024-05-03' IN [s IN sources(r) | s.key] RETURN count(*)")" 0 "every edge cites the list"

# LADY R
same "$(q "MATCH (v:Vessel {key:'IMO9161003'}) RETURN v.name, v.imo, v.flag, v.gross_tonnage, v.type")" \
	'LADY R,9161003,RU,7260,Roll-on Roll-off' "LADY R: IMO, flag RU, gross tonnage 7260"
same "$(q "MATCH (:Vessel {key:'IMO9161003'})-[r:SANCTIONED_UNDER]->(s:Sanction) RETURN s.key, r.listed")" \
	'RUSSIA-EO14024,2024-05-03' "LADY R under RUSSIA-EO14024, listed"
same "$(q "MATCH (:Vessel {key:'IMO9161003'})-[:LINKED_TO]->(c) RETURN labels(c)[0], c.key, c.name")" \
	'Company,ofac-37049,TRANSMORFLOT LLC' "LADY R linked to TRANSMORFLOT LLC"
expect 0 "find LADY R by its OFAC id" -- "$SG" --db "$DB" show Vessel:ofac-37095
contains "Vessel:IMO9161003" "$OUT" "the OFAC key is an alias of the IMO key"
contains "-[SANCTIONED_UNDER {listed: 2024-05-03}]-> Sanction:RUSSIA-EO14024  sources: ofac-sdn-2024-05-03 (confirmed)" "$OUT" \
	"cited as confirmed"

# the tricky rows
same "$(q "MATCH (v:Vessel {name:'CHIZHOVKA'}) RETURN v.key")" IMO8730455 "two spaces after IMO"
same "$(q "MATCH (v:Vessel {name:'PEGAS'}) RETURN v.key")" IMO9256860 "a (Russia) suffix"
same "$(q "MATCH (v:Vessel {name:'RYONG GUN BONG'}) RETURN v.key")" IMO8606173 "no IMO prefix"
same "$(q "MATCH (v:Vessel {name:'FU YUAN YU 8683'}) RETURN v.key")" IMO9894387 "no IMO prefix (2)"
same "$(q "MATCH (v:Vessel {name:'SHELLEST'}) RETURN v.key, v.imo IS NULL, v.registration_numbers")" \
	"ofac-37479,true,['RS 150443 (Russia)']" "a national registry number is not an IMO number"
same "$(q "MATCH (v:Vessel {name:'BONU 5'}) RETURN v.key")" ofac-23424 "a Maltese registry number"
same "$(q "MATCH (c {name:'CHONGBONG SHIPPING CO LTD'}) RETURN labels(c), c.key, c.imo")" \
	"['Company'],ofac-19569,5878589" "a company with a vessel IMO stays a Company"
same "$(q "MATCH (v:Vessel) WHERE v.imo = '5878589' RETURN count(*)")" 0 "and makes no Vessel"
same "$(q "MATCH (v:Vessel {name:'BONITA QUEEN'}) RETURN v.flag")" KN "St. Kitts & Nevis"
same "$(q "MATCH (v:Vessel {name:'BLUE DREAM'}) RETURN v.flag")" KN "Saint Kitts and Nevis"
same "$(q "MATCH (v:Vessel) WHERE v.flag = 'KP' RETURN count(*)")" 73 "Democratic People's Republic of Korea is KP"
same "$(q "MATCH (v:Vessel {key:'IMO9125138'})-[:SANCTIONED_UNDER]->(s) RETURN s.key ORDER BY s.key")" \
	"$(printf 'IFSR\nIRAN\nNPWMD\nSDGT')" "four programs"
same "$(q "MATCH (:Company {key:'ofac-18329'})-[:LINKED_TO]->(c) RETURN c.key ORDER BY c.key")" \
	"$(printf 'ofac-18328\nofac-18343')" "linked names with their own full stops (mid-remark)"
same "$(q "MATCH (:Person {key:'ofac-18330'})-[:LINKED_TO]->(c) RETURN c.key, c.name")" \
	'ofac-18328,MILENYUM ENERGY S.A.' "a final linked name ending in a full stop"
same "$(q "MATCH (v:Vessel {name:'ARTAVIL'}) RETURN v.past_flags, v.past_names, v.mmsi, v.tonnage")" \
	"\"['MT', 'TV', 'TZ']\",['ALPHA'],572469210,99144" "former flags, f.k.a., MMSI, tonnage with commas"
same "$(q "MATCH (x)-[:LINKED_TO]->(m {name:'MINISTRY OF STATE SECURITY'}) RETURN count(DISTINCT m), count(*)")" \
	'2,4' "a name two entries share: linked to each"
contains '"Linked To: MINISTRY OF STATE SECURITY." names 2 entries (ofac-20129, ofac-25437)' "$NOTES" "ambiguous reported"
same "$(q "MATCH (c:Company {key:'ofac-name-public-joint-stock-company-gazprom'}) RETURN c.name, c.unresolved")" \
	'PUBLIC JOINT STOCK COMPANY GAZPROM,true' "an unmatched name: Company ofac-name-..., unresolved"
contains '"Linked To: PUBLIC JOINT STOCK COMPANY GAZPROM" names no entry' "$NOTES" "unresolved reported"

# ---- the same list again changes nothing
before=$("$SG" --db "$DB" export --format jsonl | sort | cksum)
logs=$("$SG" --db "$DB" log | grep -c '^[0-9]')
expect 0 "same list again" -- "$SG" --db "$DB" import "$SDN" --list-date 2024-05-03
contains "0 entries added, 0 changed, 0 delisted, 14,965 unchanged" "$ERR" "second import: all unchanged"
same "$("$SG" --db "$DB" export --format jsonl | sort | cksum)" "$before" "second import: the same graph"
same "$("$SG" --db "$DB" log | grep -c '^[0-9]')" "$logs" "second import: no change-log record"

# ---- a later list: LADY R gone, DELICE without IFSR, a name changed, a new vessel
LATER=$TMP/sdn-later.csv
{ tr -d '\032' <"$SDN" | grep -v '^37095,' |
	sed 's/^25375,"DELICE","vessel","IRAN\] \[SDGT\] \[NPWMD\] \[IFSR"/25375,"DELICE","vessel","IRAN] [SDGT] [NPWMD"/; s/^36,"AEROCARIBBEAN AIRLINES"/36,"AEROCARIBBEAN AIRLINES S.A."/'
	printf '99999,"NEW TEST VESSEL","vessel","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,"Panama",-0- ,"Vessel Registration Identification IMO 9161015."\r\n\032'
} >"$LATER"
expect 0 "dry run of the later list" -- "$SG" --db "$DB" import "$LATER" --list-date 2024-06-01 --dry-run
contains "dry run: 1 entry added, 2 changed, 1 delisted, 14,962 unchanged" "$ERR" "dry-run counts"
contains "- Vessel:IMO9161003 delisted from RUSSIA-EO14024" "$OUT" "dry run: LADY R delisted"
contains "+ Vessel:IMO9161015 NEW TEST VESSEL" "$OUT" "dry run: new vessel"
contains "~ Vessel:IMO9125138 delisted from IFSR only" "$OUT" "dry run: a lost program"
contains "~ Company:ofac-36 AEROCARIBBEAN AIRLINES S.A.: name" "$OUT" "dry run: a changed name"
same "$("$SG" --db "$DB" export --format jsonl | sort | cksum)" "$before" "dry run wrote nothing"
expect 0 "the later list" -- "$SG" --db "$DB" import "$LATER" --list-date 2024-06-01
contains "1 entry added, 2 changed, 1 delisted, 14,962 unchanged" "$ERR" "refresh counts"
same "$(q "MATCH (v:Vessel {key:'IMO9161003'})-[r:SANCTIONED_UNDER]->(s) RETURN v.name, s.key, r.listed, r.delisted")" \
	'LADY R,RUSSIA-EO14024,2024-05-03,2024-06-01' "LADY R stays, delisted"
same "$(q "MATCH (:Vessel {key:'IMO9125138'})-[r:SANCTIONED_UNDER]->(s) WHERE r.delisted IS NOT NULL RETURN s.key, r.delisted")" \
	'IFSR,2024-06-01' "DELICE delisted from IFSR only"
same "$(q "MATCH (:Vessel {key:'IMO9125138'})-[r:SANCTIONED_UNDER]->(s {key:'IRAN'}) RETURN size(sources(r))")" 2 \
	"a repeated program cites both lists"
same "$(q "MATCH (v:Vessel {key:'IMO9161015'})-[r:SANCTIONED_UNDER]->() RETURN v.flag, r.listed")" 'PA,2024-06-01' \
	"a new entry listed on the new date"
same "$(q "MATCH ()-[r:SANCTIONED_UNDER]->() RETURN count(*)")" 17383 "no edge made twice"
expect 1 "an older list is refused" -- "$SG" --db "$DB" import "$SDN" --list-date 2024-05-03
contains "older than the newest one imported (2024-06-01)" "$ERR" "older list: why"
contains "--force" "$ERR" "older list: how"

# ---- relisted
expect 0 "LADY R listed again" -- "$SG" --db "$DB" import "$SDN" --list-date 2024-07-01
contains "1 entry added, 2 changed, 1 delisted" "$ERR" "relisting counts"
same "$(q "MATCH (v:Vessel {key:'IMO9161003'})-[r:SANCTIONED_UNDER]->() RETURN r.listed, r.delisted IS NULL, r.relisted")" \
	'2024-05-03,true,2024-07-01' "relisted: delisted gone, relisted set"
same "$(q "MATCH (:Vessel {key:'IMO9161015'})-[r:SANCTIONED_UNDER]->() RETURN r.delisted")" 2024-07-01 "the new vessel gone again"
expect 0 "check" -- "$SG" --db "$DB" check

# ---- --force imports an older list
expect 0 "an older list with --force" -- "$SG" --db "$DB" import "$LATER" --list-date 2024-06-15 --force
expect 0 "check after --force" -- "$SG" --db "$DB" check
finish
