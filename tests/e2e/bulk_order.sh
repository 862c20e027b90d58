# bulk_order.sh: a relationship said again in one import merges into the
# one made earlier in it, whatever the order the file gives a node's
# relationships in: grouped by source (runs), grouped by target (a
# source's relationships scattered), a source with more than a run holds,
# a source coming back in a later file, the whole file again reversed.
# The bulk finds them through each source's runs or, past those, a hash
# table (graph/bulk_pending.c); the counts and the graph must not tell.
. "$(dirname "$0")/lib.sh"

sg() { "$SG" --db "$DB" "$@"; }
commas() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

{
	echo 'key:ID(Vessel),name,:LABEL'
	for v in $(seq 1 130); do echo "V$v,SHIP $v,Vessel"; done
} >"$TMP/vessels.csv"
{
	echo 'key:ID(Port),name,:LABEL'
	for p in $(seq 1 10); do echo "P$p,PORT $p,Port"; done
} >"$TMP/ports.csv"
# by target: each vessel's calls scattered over the file, some said twice
{
	echo ':START_ID(Vessel),:END_ID(Port),:TYPE'
	for p in $(seq 1 10); do
		for v in $(seq 1 130); do
			[ $(((v + p) % 3)) -ne 0 ] && echo "V$v,P$p,CALLED_AT"
		done
	done
	for v in $(seq 1 60); do echo "V$v,P1,CALLED_AT"; done
} >"$TMP/by-target.csv"
# by source: V1 meets 129 vessels (longer than a run), then again; V7's
# meetings come back after V1's
{
	echo ':START_ID(Vessel),:END_ID(Vessel),:TYPE'
	for v in $(seq 2 130); do echo "V1,V$v,MET"; done
	for v in $(seq 1 20); do echo "V7,V$v,MET"; done
	for v in $(seq 2 130); do echo "V1,V$v,MET"; done
	for v in $(seq 5 25); do echo "V7,V$v,MET"; done
} >"$TMP/by-source.csv"
# everything again, reversed
{
	echo ':START_ID(Vessel),:END_ID(Port),:TYPE'
	tail -n +2 "$TMP/by-target.csv" | tac
} >"$TMP/again.csv"

rows=$(cat "$TMP/by-target.csv" "$TMP/by-source.csv" "$TMP/again.csv" | grep -vc '^:')
distinct=$(cat "$TMP/by-target.csv" "$TMP/by-source.csv" "$TMP/again.csv" | grep -v '^:' | sort -u | wc -l)

expect 0 "init" -- sg init
expect 0 "import in every order" -- sg import --format csv --nodes "$TMP/vessels.csv" --nodes "$TMP/ports.csv" \
	--relationships "$TMP/by-target.csv" --relationships "$TMP/by-source.csv" --relationships "$TMP/again.csv"
contains "relationships: $(commas $distinct) created, 0 updated, $(commas $((rows - distinct))) unchanged" "$OUT" \
	"each relationship made once, every repeat merged"
same "$distinct" "$(sg query "MATCH ()-[r]->() RETURN count(r) AS n" --format csv | tail -n 1 | tr -d '\r')" \
	"the graph holds each relationship once"
expect 0 "check" -- sg check
finish
