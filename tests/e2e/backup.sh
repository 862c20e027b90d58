# backup.sh: `backup` writes its copy under a temporary name beside the
# target and renames it when complete, so a backup killed at any moment
# leaves no target that is a damaged database.  12 backups killed (kill -9)
# after a random delay within a backup's duration; a completed backup
# checks clean and holds the same export; a non-empty target is refused.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

python3 "$HERE/../tools/gendb.py" 4000 "$TMP/g.jsonl" 3
"$SG" --db "$DB" init >/dev/null
"$SG" --db "$DB" import "$TMP/g.jsonl" >/dev/null 2>&1
"$SG" --db "$DB" add Vessel LATE name=late >/dev/null

expect 0 "a backup" -- "$SG" --db "$DB" backup "$TMP/full"
expect 0 "the backup checks clean" -- "$SG" --db "$TMP/full" check
same "$("$SG" --db "$DB" export)" "$("$SG" --db "$TMP/full" export)" "the backup exports as the original"
ls -a "$TMP" | grep -q '\.full\.backup-' && fail "a completed backup left its temporary directory" || pass
expect 1 "a target that holds files is refused" -- "$SG" --db "$DB" backup "$TMP/full"
contains "not empty" "$ERR" "refusal names the reason"
mkdir "$TMP/empty"
expect 0 "an empty target directory is replaced" -- "$SG" --db "$DB" backup "$TMP/empty"
expect 0 "... and checks clean" -- "$SG" --db "$TMP/empty" check

# how long a backup takes, in milliseconds (at least 20)
t0=$(date +%s%N)
"$SG" --db "$DB" backup "$TMP/timed" >/dev/null
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 20 ] && ms=20
killed=0; complete=0; absent=0; damaged=0
i=0
while [ "$i" -lt 12 ]; do
	target=$TMP/k$i
	delay=$(python3 -c "import random; random.seed($i); print('%.3f' % (random.uniform(0, $ms * 1.2) / 1000))")
	"$SG" --db "$DB" backup "$target" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	if [ -e "$target" ]; then
		"$SG" --db "$target" check >/dev/null 2>&1
		rc=$?
		if [ "$rc" -eq 0 ]; then complete=$((complete + 1)); else damaged=$((damaged + 1)); fail "killed backup $i (after ${delay}s): check of the target exits $rc"; fi
	else
		absent=$((absent + 1))
	fi
	i=$((i + 1))
done
[ "$damaged" -eq 0 ] && pass
echo "  backup.sh: 12 backups of ${ms} ms killed after random delays: $killed killed while running; targets: $absent absent, $complete complete and clean, $damaged damaged"
finish
