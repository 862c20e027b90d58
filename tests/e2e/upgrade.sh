#!/bin/sh
# upgrade.sh: a database written in format 2 (tests/data/upgrade, made by
# the sanctgraph of that format) is refused with a message naming
# `sanctgraph upgrade`; `upgrade` converts it in place, keeps the old one
# as a backup, and the result reads as the old sanctgraph exported it;
# upgrading again does nothing; a leftover of an interrupted upgrade is
# cleared; and killed at every write, sync and rename, `upgrade` leaves the
# old database or the new one, never a broken one.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/tests/data/upgrade
ref=$data/format2.export.jsonl   # what the old sanctgraph exported

fresh() { rm -rf "$DB" "$DB".format2-backup*; mkdir -p "$DB"; cp "$data/format2.db/data.mdb" "$DB/"; }
# same_export DIR DESCRIPTION: DIR exports what the old sanctgraph exported
same_export() {
	"$SG" --db "$1" export --format jsonl -o "$TMP/got.jsonl" >/dev/null 2>"$TMP/err" || { fail "$2: export failed: $(cat "$TMP/err")"; return; }
	if cmp -s "$ref" "$TMP/got.jsonl"; then pass; else fail "$2: export differs: $(diff "$ref" "$TMP/got.jsonl" | head -5)"; fi
}

fresh
expect 1 "an old format is refused" -- "$SG" --db "$DB" stats
contains "sanctgraph upgrade" "$ERR" "the refusal names upgrade"
contains "format version 2" "$ERR" "the refusal names the format"
expect 1 "a write to an old format is refused" -- "$SG" --db "$DB" add Port xx-new
cmp -s "$data/format2.db/data.mdb" "$DB/data.mdb" && pass || fail "a refused command changed the file"

expect 0 "upgrade" -- "$SG" upgrade "$DB"
contains "from format 2" "$OUT" "upgrade says what it converted"
contains "$DB.format2-backup" "$OUT" "upgrade names the backup"
[ -f "$DB.format2-backup/data.mdb" ] && pass || fail "no backup"
[ ! -e "$DB/upgrade.tmp" ] && pass || fail "upgrade.tmp left behind"
expect 0 "check after upgrade" -- "$SG" --db "$DB" check
same_export "$DB" "after upgrade"
expect 0 "relationship properties read" -- "$SG" --db "$DB" query --format csv \
	"MATCH (:Vessel)-[c:CALLED_AT]->(:Port) WHERE c.note IS NOT NULL RETURN c.start, c.end, c.note"
contains "2023-04-10,2023-04-12,\"second call, longer note\"" "$OUT" "the property of a record in an offset-table block"
expect 0 "a scan of every relationship's properties" -- "$SG" --db "$DB" query --format csv \
	"MATCH ()-[c:CALLED_AT]->() WHERE c.start >= date('2024-01-01') RETURN count(*), min(c.start), max(c.end)"
contains "66,2024-01-10,2024-02-27" "$OUT" "the uniform block's records"
expect 0 "positions kept" -- "$SG" --db "$DB" stats
contains "positions 7" "$OUT" "seven AIS positions"
expect 0 "writes work after upgrade" -- "$SG" --db "$DB" link IMO9187629 CALLED_AT ru-vvo start=2025-01-01 --new
expect 0 "check after a write" -- "$SG" --db "$DB" check

# the backup is the old database, untouched, and upgrades too
expect 1 "the backup is the old format" -- "$SG" --db "$DB.format2-backup" stats
contains "sanctgraph upgrade" "$ERR" "the backup is refused as old"
expect 0 "upgrade the backup (by --db)" -- "$SG" --db "$DB.format2-backup" upgrade
same_export "$DB.format2-backup" "the upgraded backup"

expect 0 "upgrade again" -- "$SG" upgrade "$DB"
contains "nothing to do" "$OUT" "a current database is left alone"
[ ! -e "$DB.format2-backup.2" ] && pass || fail "a backup of a current database"

expect 1 "upgrade with no database" -- "$SG" upgrade "$TMP/none"
contains "no database" "$ERR" "names the missing database"
expect 2 "upgrade with two arguments" -- "$SG" upgrade "$DB" "$DB"

# an interrupted run's leftovers are cleared; a backup name in use is skipped
fresh
mkdir -p "$DB/upgrade.tmp" "$DB.format2-backup"
echo junk >"$DB/upgrade.tmp/data.mdb"
expect 0 "upgrade over a leftover" -- "$SG" upgrade "$DB"
contains "$DB.format2-backup.2" "$OUT" "the next free backup name"
same_export "$DB" "after a leftover"

# a damaged old database is refused, and left as it is
fresh
printf '\377\377\377\377\377\377\377\377' | dd of="$DB/data.mdb" bs=1 seek=12300 conv=notrunc 2>/dev/null
cp "$DB/data.mdb" "$TMP/damaged.mdb"
expect 1 "a damaged old database" -- "$SG" upgrade "$DB"
cmp -s "$TMP/damaged.mdb" "$DB/data.mdb" && pass || fail "a refused upgrade changed the file"
[ ! -e "$DB.format2-backup" ] && pass || fail "a backup of a refused upgrade"

# killed at every write, sync and rename: the old database or the new one
lib=$TMP/libsgfaults.so
if ldd "$SG" 2>/dev/null | grep -q asan; then
	echo "  upgrade.sh: the kill sweep needs the normal build (its preload replaces the allocator ASan needs)"
elif need cc gcc && cc -shared -fPIC -o "$lib" "$root/tests/faults/faults.c" -ldl 2>"$TMP/cc.err"; then
	fresh
	LD_PRELOAD=$lib SG_FAULT_KILL=999999999 SG_FAULT_COUNT=$TMP/count "$SG" upgrade "$DB" >/dev/null 2>&1
	points=$(cut -d' ' -f2 "$TMP/count")
	[ "${points:-0}" -gt 5 ] && pass || fail "the clean run counted ${points:-no} writes"
	old=0 new=0 k=1
	while [ $k -le "${points:-0}" ]; do
		fresh
		LD_PRELOAD=$lib SG_FAULT_KILL=$k "$SG" upgrade "$DB" >/dev/null 2>&1
		status=$?
		[ $status -eq 137 ] || fail "kill at $k: exit $status"
		if "$SG" --db "$DB" check >/dev/null 2>"$TMP/err"; then
			new=$((new + 1))
			same_export "$DB" "killed at $k, the new database"
		elif grep -q "sanctgraph upgrade" "$TMP/err"; then
			old=$((old + 1))
			cmp -s "$data/format2.db/data.mdb" "$DB/data.mdb" || fail "killed at $k: the old database changed"
			"$SG" upgrade "$DB" >/dev/null 2>&1 || fail "killed at $k: upgrade again failed"
			same_export "$DB" "killed at $k, upgraded again"
		else
			fail "killed at $k: neither database: $(cat "$TMP/err")"
		fi
		k=$((k + 1))
	done
	[ $old -gt 0 ] && [ $new -gt 0 ] && pass || fail "the kills left old $old, new $new times"
else
	fail "cannot build the fault library: $(cat "$TMP/cc.err")"
fi
finish
