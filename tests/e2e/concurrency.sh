# concurrency.sh: a reader process polling in a loop while another process
# imports sees no errors and only whole transactions (node counts before
# or after the import, never in between).
. "$(dirname "$0")/lib.sh"

"$SG" --db "$DB" init >/dev/null
python3 - "$TMP/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], 'w') as f:
    for i in range(20000):
        f.write(json.dumps({"node": "Company", "key": "C%06d" % i, "props": {"name": "COMPANY %d" % i}}) + "\n")
    for i in range(1, 20000):
        f.write(json.dumps({"edge": "OWNED_BY", "from": "Company:C%06d" % i, "to": "Company:C%06d" % (i // 2)}) + "\n")
PY
"$SG" --db "$DB" add Company SEED name=seed >/dev/null
# the reader: stats in a loop until the writer is done
(
	bad=0; n=0
	while [ ! -e "$TMP/done" ]; do
		out=$("$SG" --db "$DB" stats 2>&1) || { echo "reader error: $out" >&2; bad=1; break; }
		nodes=$(echo "$out" | sed -n 's/^nodes //p')
		case "$nodes" in 1|20001) ;; *) echo "reader saw a partial import: $nodes nodes" >&2; bad=1 ;; esac
		n=$((n + 1))
	done
	echo "$bad $n" > "$TMP/reader"
) &
reader=$!
expect 0 "import while a reader polls" -- "$SG" --db "$DB" import "$TMP/big.jsonl"
touch "$TMP/done"
wait $reader
read rbad rn < "$TMP/reader"
[ "$rbad" -eq 0 ] && pass || fail "the reader saw errors or a partial transaction"
[ "$rn" -ge 1 ] && pass || fail "the reader never ran"
expect 0 "stats after" -- "$SG" --db "$DB" stats
contains "nodes 20001" "$OUT" "import landed whole"
expect 0 "check after" -- "$SG" --db "$DB" check
finish
