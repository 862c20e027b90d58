# readonly.sh: an auditor given a database they cannot write: a user
# without write permission (nobody, after chmod -R a-w), a copy whose lock
# file cannot be created, and a read-only mount.  Every reading command
# works and prints what it prints on the writable original; every write
# exits 1 saying the database is read-only; a lockless reader that sees two
# commits go by fails instead of trusting reused pages.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

python3 "$HERE/../tools/gendb.py" 300 "$TMP/g.jsonl" 7
"$SG" --db "$DB" init >/dev/null
"$SG" --db "$DB" import "$TMP/g.jsonl" 2>/dev/null >/dev/null
"$SG" --db "$DB" add Vessel VX name="LATE ADDITION" --source src-1 >/dev/null
chmod 755 "$TMP"
mkdir -m 777 "$TMP/out"

# a command and its arguments (shell words) a line; OUT is a directory for files
cat > "$TMP/reads" <<'EOF'
stats
show Vessel:V00001
find vessel --label Vessel
query 'MATCH (v:Vessel)-[:OWNED_BY]->(c) RETURN v.name, c.name ORDER BY v.name LIMIT 5'
path Vessel:V00001 Company:C00000
timeline Vessel:V00002
audit --min-sources 2
export
export --format cypher
diagram --around Vessel:V00001 --format dot -o OUT/d.dot
report --around Vessel:V00001 -o OUT/r.html
check
log --limit 2
EOF
# the same command on the original (as root, writable) and on the copy:
# the same exit status, output and files
expected() { # $1 line number: runs it once on the original, keeps the result
	if [ ! -e "$TMP/want.$1" ]; then
		mkdir -p "$TMP/out/orig$1"
		eval "set -- $1 $(sed -n "${1}p" "$TMP/reads" | sed "s#OUT#$TMP/out/orig$1#g")"
		k=$1
		shift
		"$SG" --db "$DB" "$@" > "$TMP/want.$k" 2>&1
		echo $? > "$TMP/want_rc.$k"
		sed -i "s#$TMP/out/orig$k#OUT#g" "$TMP/want.$k"
		set -- "$k"
	fi
	cp "$TMP/want.$1" "$TMP/want"
	want_rc=$(cat "$TMP/want_rc.$1")
	orig=$TMP/out/orig$1
}
reads_as() { # $1 label, $2 db, then the runner prefix
	label=$1; db=$2; shift 2
	n=$(wc -l < "$TMP/reads")
	i=1
	while [ "$i" -le "$n" ]; do
		expected "$i"
		line=$(sed -n "${i}p" "$TMP/reads")
		rm -f "$TMP/out/"*.*
		eval "\"\$@\" \"\$SG\" --db \"\$db\" $(echo "$line" | sed "s#OUT#$TMP/out#g")" > "$TMP/got" 2>&1
		rc=$?
		sed "s#$TMP/out#OUT#g" "$TMP/got" > "$TMP/got2"
		if [ "$rc" -eq "$want_rc" ]; then pass; else fail "$label: '$line' exit $rc (the original: $want_rc): $(head -3 "$TMP/got")"; fi
		if cmp -s "$TMP/want" "$TMP/got2"; then pass; else fail "$label: '$line' prints other than on the writable original"; fi
		for f in "$orig/"*; do
			[ -e "$f" ] || continue
			if cmp -s "$f" "$TMP/out/$(basename "$f")"; then pass; else fail "$label: '$line' wrote another $(basename "$f")"; fi
		done
		i=$((i + 1))
	done
}
writes_fail() { # $1 label, $2 db, then the runner prefix
	label=$1; db=$2; shift 2
	for w in "add Vessel NEWV name=x" "link Vessel:V00001 OWNED_BY Company:C00002" \
	    "import $TMP/g.jsonl" "retract src-1" "merge Vessel:V00001 Vessel:V00002" \
	    "query 'CREATE (:X {k: 1})'"; do
		eval "\"\$@\" \"\$SG\" --db \"\$db\" $w" > "$TMP/got" 2>&1
		rc=$?
		if [ "$rc" -eq 1 ]; then pass; else fail "$label: '$w' exit $rc, wanted 1"; fi
		contains "read-only" "$(cat "$TMP/got")" "$label: '$w' says read-only"
	done
	"$@" "$SG" --db "$db" check > /dev/null 2>&1 && pass || fail "$label: check after the refused writes"
}

# 1. a user who cannot write: chmod -R a-w, run as nobody (the lock file
# exists but cannot be opened for writing: a lockless reader)
cp -a "$DB" "$TMP/ro"
chmod -R a-w "$TMP/ro"
chmod o+rx "$TMP/ro"
if runuser -u nobody -- true 2>/dev/null; then
	reads_as "nobody" "$TMP/ro" runuser -u nobody --
	writes_fail "nobody" "$TMP/ro" runuser -u nobody --
	# without any lock file: nobody cannot create one
	cp -a "$DB" "$TMP/ro2"
	rm -f "$TMP/ro2/lock.mdb"
	chmod -R a-w "$TMP/ro2"
	chmod o+rx "$TMP/ro2"
	reads_as "nobody, no lock file" "$TMP/ro2" runuser -u nobody --
	[ ! -e "$TMP/ro2/lock.mdb" ] && pass || fail "a read-only reader created a lock file"
	# a data file nobody cannot write in a directory whose lock file it can:
	# a locked reader (visible to writers)
	cp -a "$DB" "$TMP/ro3"
	chmod 444 "$TMP/ro3/data.mdb"
	chmod 666 "$TMP/ro3/lock.mdb"
	chmod 755 "$TMP/ro3"
	reads_as "nobody, lock writable" "$TMP/ro3" runuser -u nobody --
	writes_fail "nobody, lock writable" "$TMP/ro3" runuser -u nobody --

	# 2. a lockless reader while root keeps writing the same directory: a
	# query that runs for a while, two commits meanwhile -> exit 1
	cp -a "$DB" "$TMP/live"
	chmod 755 "$TMP/live"
	chmod 444 "$TMP/live/data.mdb" "$TMP/live/lock.mdb"
	chmod 555 "$TMP/live"
	runuser -u nobody -- "$SG" --db "$TMP/live" query 'UNWIND range(1, 3000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)' \
	    > "$TMP/live.out" 2> "$TMP/live.err" &
	reader=$!
	sleep 0.3
	"$SG" --db "$TMP/live" add Vessel W1 name=w1 > /dev/null
	"$SG" --db "$TMP/live" add Vessel W2 name=w2 > /dev/null
	"$SG" --db "$TMP/live" add Vessel W3 name=w3 > /dev/null
	if kill -0 "$reader" 2>/dev/null; then
		wait "$reader"
		rc=$?
		if [ "$rc" -eq 1 ]; then pass; else fail "lockless reader overtaken by 3 commits: exit $rc, wanted 1"; fi
		contains "changed while it was read without a lock" "$(cat "$TMP/live.err")" "the stale read is named"
	else
		echo "  readonly.sh: the long query ended before the writes; stale-read case not exercised" >&2
		wait "$reader"
	fi
else
	echo "  readonly.sh: runuser -u nobody unavailable; user cases skipped" >&2
	fail "runuser -u nobody is needed for this test (run as root)"
fi

# 3. a read-only mount (bind mount remounted ro), as root: LMDB cannot
# create or write the lock file there
mkdir -p "$TMP/mnt"
cp -a "$DB" "$TMP/rosrc"
if mount --bind "$TMP/rosrc" "$TMP/mnt" 2>/dev/null && mount -o remount,ro,bind "$TMP/mnt" 2>/dev/null; then
	trap 'umount "$TMP/mnt" 2>/dev/null; rm -rf "$TMP"' EXIT
	reads_as "ro mount" "$TMP/mnt" env
	writes_fail "ro mount" "$TMP/mnt" env
	umount "$TMP/mnt"
else
	umount "$TMP/mnt" 2>/dev/null
	echo "  readonly.sh: no bind mounts here; the read-only mount case is covered by the lock-file cases above" >&2
fi
finish
