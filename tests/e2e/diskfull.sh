# diskfull.sh: a write that runs out of disk says "no space left on device"
# (LMDB reports the short write as an I/O error) with one "commit:" prefix,
# exits 1, and leaves the database as it was; so does a backup, which
# leaves no target behind.  Needs a small tmpfs (root); skipped without.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$TMP/full"
if ! mount -t tmpfs -o size=700k tmpfs "$TMP/full" 2>/dev/null; then
	echo "  diskfull.sh: cannot mount a tmpfs here; skipped"
	finish
	exit $?
fi
trap 'umount "$TMP/full" 2>/dev/null; rm -rf "$TMP"' EXIT
python3 "$HERE/../tools/gendb.py" 2500 "$TMP/g.jsonl" 5
"$SG" --db "$TMP/full/db" init >/dev/null
"$SG" --db "$TMP/full/db" add Vessel FIRST name=first >/dev/null
before=$("$SG" --db "$TMP/full/db" export)
expect 1 "an import larger than the disk" -- "$SG" --db "$TMP/full/db" import "$TMP/g.jsonl"
contains "no space left on device" "$ERR" "the error says the disk is full"
lacks "commit: commit:" "$ERR" "one prefix"
lacks "Input/output error" "$ERR" "not an I/O error"
expect 0 "check after" -- "$SG" --db "$TMP/full/db" check
same "$before" "$("$SG" --db "$TMP/full/db" export)" "the database is as it was"
"$SG" --db "$DB" init >/dev/null
"$SG" --db "$DB" import "$TMP/g.jsonl" >/dev/null 2>&1
expect 1 "a backup onto the full disk" -- "$SG" --db "$DB" backup "$TMP/full/bk"
contains "no space left on device" "$ERR" "the backup error says the disk is full"
[ ! -e "$TMP/full/bk" ] && pass || fail "a failed backup left its target"
[ -z "$(ls -A "$TMP/full" | grep backup)" ] && pass || fail "a failed backup left its temporary directory"
umount "$TMP/full"
finish
