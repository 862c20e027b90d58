#!/bin/sh
# Makes format2.db, the database `tests/e2e/upgrade.sh` upgrades, with a
# sanctgraph that writes format 2 (main at commit 14f35e7), and
# format2.export.jsonl, its export by that sanctgraph:
#   sh tests/data/upgrade/make-format2.sh /work/main/sanctgraph
# Nodes, claims with properties and citations (relationships 1-3 of
# different lengths, 4-69 of one length: both kinds of edge block), AIS
# positions from tests/data/ais, and a change log.
set -eu
S=$1
here=$(cd "$(dirname "$0")" && pwd)
db=$here/format2.db
rm -rf "$db"
export SANCTGRAPH_AUTHOR=fixture
$S --db "$db" init
$S --db "$db" add Source ofac-2024 name="OFAC SDN list 2024"
$S --db "$db" add Source press-1 name="Press report"
$S --db "$db" add Vessel imo-9187629 name="LADY R" imo=9187629 mmsi=352002266 flag=PA
$S --db "$db" add Company acme name="Acme Shipping" sanctioned=true --source ofac-2024
$S --db "$db" add Port ru-vvo name=Vladivostok country=RU
$S --db "$db" link IMO9187629 OWNED_BY acme since=2021-03-01 --source ofac-2024 --confidence confirmed
$S --db "$db" link IMO9187629 CALLED_AT ru-vvo start=2023-03-01 end=2023-03-04 --source press-1 --confidence probable
$S --db "$db" link IMO9187629 CALLED_AT ru-vvo start=2023-04-10 end=2023-04-12 note="second call, longer note" --source press-1 --new
i=10
while [ $i -lt 76 ]; do
	$S --db "$db" link IMO9187629 CALLED_AT ru-vvo start=2024-01-$((i % 18 + 10)) end=2024-02-$((i % 18 + 10)) --new >/dev/null
	i=$((i + 1))
done
$S --db "$db" import --format ais "$here/../ais/dma-2023-03-18-head.csv"
rm -f "$db/lock.mdb"
$S --db "$db" export --format jsonl -o "$here/format2.export.jsonl"
rm -f "$db/lock.mdb"
