# damage_large.sh: a damaged database over 1 MiB, where opening walks only
# LMDB's table of tables and a damaged page deeper in used to crash LMDB
# (SIGSEGV, SIGBUS, its assertions' abort) under a query.  Seeded damage to
# node flags, sizes and offsets and page flags in 40 pages of each copy
# ($SANCTGRAPH_DAMAGE_COPIES copies, 25 by default; `make corrupt` runs
# 200): reading commands and a write exit 0 or 1, never die of a signal or
# hang, and a fault that is the file's damage names the database
# (tests/tools/damage_pages.py, store/fault.c).
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

if python3 "$HERE/../tools/damage_pages.py" "$SG" "$TMP/pages" "${SANCTGRAPH_DAMAGE_COPIES:-25}" \
    "${SANCTGRAPH_DAMAGE_SEED:-1}" >"$TMP/pages.log" 2>&1; then
	pass
else
	fail "damaged pages: $(head -5 "$TMP/pages.log")"
fi
echo "  $(tail -1 "$TMP/pages.log")"

# one copy whose damage sends LMDB outside the file: the message, exit 1
# (a node of the nodes table says it holds a sub-database: LMDB follows
# the bytes of the record as a table's root page)
cp -a "$TMP/pages/base" "$DB"
python3 - "$DB/data.mdb" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
n = 0
for pg in range(2, len(b) // 4096):
    o = pg * 4096
    flags, lower = struct.unpack_from("<HH", b, o + 10)
    if flags != 0x02 or lower < 18:
        continue
    for i in range((lower - 16) // 2):   # every leaf node with a 4-byte key, 8-byte and longer value
        node = struct.unpack_from("<H", b, o + 16 + 2 * i)[0]
        size, nflags, ksize = struct.unpack_from("<IHH", b, o + node)
        if nflags == 0 and ksize == 4 and size >= 48:
            struct.pack_into("<H", b, o + node + 4, 0x06)   # F_SUBDATA | F_DUPDATA
            b[o + node + 8 + 4 + 40:o + node + 8 + 4 + 48] = b"\xff" * 8   # root: far away
            n += 1
open(p, "wb").write(bytes(b))
assert n > 0
PY
# (a query's first point reads check the pages they read themselves
# (store/pgread.c) and name the damage; export reads through LMDB)
expect 1 "a query over nodes whose flags are damaged" -- "$SG" --db "$DB" query 'MATCH (n:Vessel) RETURN n.name'
contains "$DB is damaged" "$ERR" "the query's message names the database"
contains "sanctgraph check" "$ERR" "the message says what to run"
contains "sanctgraph: query: " "$ERR" "the message names the command"
expect 1 "export of it" -- "$SG" --db "$DB" export
contains "$DB is damaged (LMDB faulted reading a page: SIGSEGV)" "$ERR" "export's message names the database and the fault"
contains "sanctgraph: export: " "$ERR" "the message names the command"
expect 3 "check of it" -- "$SG" --db "$DB" check
finish
