# corrupt.sh: damaged files.  Seeded one-byte damage to a generated
# database of about 2,000 nodes ($SANCTGRAPH_CORRUPT_TRIES tries, 30 by
# default; `make corrupt` runs 150): no command dies of a signal or hangs,
# and `check` exits 3 whenever `export` or `query` prints other than the
# undamaged database (tests/tools/corrupt.py).  Then a truncated data.mdb:
# `check` exits 3, reading commands exit 1 with a message, a write is
# refused.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

if python3 "$HERE/../tools/corrupt.py" "$SG" "$TMP/flips" "${SANCTGRAPH_CORRUPT_TRIES:-30}" "${SANCTGRAPH_CORRUPT_SEED:-1}" > "$TMP/flips.log" 2>&1; then
	pass
else
	fail "one-byte damage: $(grep -v '^  check' "$TMP/flips.log" | head -5)"
fi
echo "  $(tail -1 "$TMP/flips.log")"

# truncated to half, to one page, to nothing
cp -a "$TMP/flips/base" "$DB"
size=$(stat -c %s "$DB/data.mdb")
for keep in $((size / 2)) 4096 0; do
	cp "$TMP/flips/base/data.mdb" "$DB/data.mdb"
	truncate -s "$keep" "$DB/data.mdb"
	expect 3 "check of data.mdb truncated to $keep bytes" -- "$SG" --db "$DB" check
	contains "damaged" "$ERR" "check names the damage ($keep bytes)"
	for cmd in stats export "query" ; do
		if [ "$cmd" = query ]; then
			expect 1 "query on a truncated file" -- "$SG" --db "$DB" query 'MATCH (n) RETURN count(n)'
		else
			expect 1 "$cmd on a truncated file" -- "$SG" --db "$DB" "$cmd"
		fi
		contains "damaged" "$ERR" "$cmd says the file is damaged ($keep bytes)"
	done
	expect 1 "add on a truncated file" -- "$SG" --db "$DB" add Vessel X name=x
	same "$keep" "$(stat -c %s "$DB/data.mdb")" "a refused command leaves the file as it was ($keep bytes)"
done

# damage inside a record (its digest no longer matches): check finds it, a
# write is refused before it can spread it
cp "$TMP/flips/base/data.mdb" "$DB/data.mdb"
python3 - "$DB/data.mdb" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
n = 0
i = b.find(b"\nVESSEL 123\n")   # a string value: its length, its bytes
while i >= 0:   # the live record (and any older copy on a free page)
    b[i + 10] = ord("4")
    n += 1
    i = b.find(b"\nVESSEL 123\n", i + 1)
open(p, "wb").write(bytes(b))
assert n > 0
PY
expect 3 "check of an altered record" -- "$SG" --db "$DB" check
expect 1 "add into a database whose data does not match its digest" -- "$SG" --db "$DB" add Vessel X name=x
contains "refusing to write" "$ERR" "the refusal says why"
finish
