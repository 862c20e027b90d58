#!/bin/sh
# startup.sh: a point query pays only for what it uses.  The binary links
# LMDB and utf8proc; libcrypto (writes, check), Graphviz (diagram, report),
# cJSON (FtM) and the other optional libraries are opened on first use.  Also: `init`
# makes the folders above a new database.
. "$(dirname "$0")/lib.sh"

libs=$(ldd "$SG" 2>/dev/null)
for lib in libgvc libcgraph libcrypto libarchive libedit libcjson; do
	lacks "$lib" "$libs" "$lib is not linked at start-up"
done

expect 0 "init makes missing parent folders" -- "$SG" --db "$TMP/a/b/c/db" init
[ -d "$TMP/a/b/c/db" ] && pass || fail "database folder made"

# Writes still hash (the change log verifies), and diagrams still render.
expect 0 "demo" -- "$SG" --db "$DB" demo -o "$TMP/lady.svg"
expect 0 "check verifies the log written through the loaded libcrypto" -- "$SG" --db "$DB" check
contains "change log of" "$OUT" "check reports the log"
expect 0 "png through the loaded Graphviz" -- "$SG" --db "$DB" diagram --around Vessel:IMO9161003 --format png -o "$TMP/x.png"
head -c 4 "$TMP/x.png" | od -c | grep -q "P   N   G" && pass || fail "a PNG was written"
# The default author (the password database when no variable names one)
# is looked up by writes only: a read does not open /etc/passwd.
expect 0 "a write without an author variable" -- env -u USER -u LOGNAME -u SANCTGRAPH_AUTHOR "$SG" --db "$DB" add Vessel AUTH1
expect 0 "log" -- "$SG" --db "$DB" log --limit 1
contains "  $(id -un)  " "$OUT" "the author is the user from the password database"
if command -v strace >/dev/null 2>&1; then
	env -u USER -u LOGNAME -u SANCTGRAPH_AUTHOR strace -f -e trace=openat,connect -o "$TMP/trace" \
		"$SG" --db "$DB" query "MATCH (v:Vessel {key: 'AUTH1'}) RETURN v.key" >/dev/null 2>&1
	lacks "passwd" "$(cat "$TMP/trace")" "a read does not look the user up"
	lacks "nscd" "$(cat "$TMP/trace")" "a read does not ask nscd"
fi
finish
