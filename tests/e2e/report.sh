# report.sh: `report` through the real binary: one self-contained HTML
# file with the diagram inline, a timeline, the claims and their numbered
# sources; user text escaped; the same bytes twice; errors leave no file;
# then the file rendered by headless Chromium to PDF and PNG, and the PDF's
# text checked (skipped, with a message, when Chromium is not installed).
. "$(dirname "$0")/lib.sh"

expect 0 "report --help" -- "$SG" report --help
contains "usage: sanctgraph report" "$OUT" "report help"
expect 0 "demo" -- "$SG" --db "$DB" demo -o "$TMP/lady-r.svg"
contains "report written to $TMP/lady-r.html" "$OUT" "demo names its report"
[ -s "$TMP/lady-r.html" ] && pass || fail "demo wrote no report"

expect 0 "report" -- "$SG" --db "$DB" report -o "$TMP/r.html"
contains "wrote $TMP/r.html" "$OUT" "report says what it wrote"
H=$(cat "$TMP/r.html")
contains "<!DOCTYPE html>" "$H" "doctype"
contains '<meta charset="utf-8">' "$H" "charset"
for want in "<h2>Summary</h2>" "<h2>Diagram</h2>" "<h2>Timeline</h2>" "<h2>Claims</h2>" "<h2>Entities</h2>" "<h2>Sources</h2>" \
	"<svg" "LADY R" "Vostochny" "Rajin" "2024-04-02" "2024-04-03..14" "2024-04-14" "2024-04-01 to 2024-05-03" \
	"SIGHTED_AT" "AIS_GAP" "no AIS transmissions for 11 days" 'href="#src-1">[1]</a>' 'id="src-7"' \
	"Planet Labs PBC" "The Yomiuri Shimbun" "MarineTraffic" "International Maritime Organization" \
	'<a href="https://www.treasury.gov/ofac/downloads/sdn.csv">' "@media print" "@page" "size:A4" \
	'class="conf suspected"' "RUSSIA-EO14024" "anchored at a pier with piles of containers"; do
	contains "$want" "$H" "report content"
done
# self-contained: nothing is loaded from elsewhere
for bad in "<script" "<link" "<img" "<iframe" "@import" "url(" " src=" "<?xml" "<!DOCTYPE svg"; do
	lacks "$bad" "$H" "self-contained"
done
HREFS=$(grep -o 'href="[^"]*"' "$TMP/r.html" | grep -v -e 'href="#' -e 'href="https\?://' || true)
same "" "$HREFS" "links are anchors or http(s) only"
# the timeline is chronological
ORDER=$(sed -n '/id="timeline"/,/<\/section>/p' "$TMP/r.html" | grep -o '<td class="date">[^<]*' | sed 's/.*>//' | tr '\n' ' ')
contains "2024-04-02 2024-04-03 2024-04-03..14 2024-04-14" "$ORDER" "timeline order"

expect 0 "report again" -- "$SG" --db "$DB" report -o "$TMP/r2.html"
cmp -s "$TMP/r.html" "$TMP/r2.html" && pass || fail "two runs gave different reports"

expect 0 "report around" -- "$SG" --db "$DB" report --around Port:KPRJN --title 'Rajin & <friends>' -o "$TMP/around.html"
HA=$(cat "$TMP/around.html")
contains "<title>Rajin &amp; &lt;friends&gt;</title>" "$HA" "title escaped"
contains "Port:KPRJN and everything within 1 hop" "$HA" "selection shown"
lacks "North Korean oil tankers" "$HA" "only the selection"

if "$SG" --db "$DB" query 'RETURN 1 AS x' >/dev/null 2>&1; then
	expect 0 "report --query" -- "$SG" --db "$DB" report \
		--query "MATCH p = (:Vessel {key: \$v})-[:SIGHTED_AT|AIS_GAP]->(:Port) RETURN p" --param v=IMO9161003 -o "$TMP/q.html"
	HQ=$(cat "$TMP/q.html")
	contains "query: MATCH p = " "$HQ" "query shown as the selection"
	contains "AIS_GAP" "$HQ" "query relationships in the claims"
	lacks "TRANSMORFLOT" "$HQ" "only what the query returned"
else
	echo "  report.sh: the query engine is not built in: --query checks skipped"
fi

# user text escaped
NASTY='"A\B <&> 조선 Ладья"'
expect 0 "add nasty" -- "$SG" --db "$DB" add Vessel NASTY "name=$NASTY" 'note=<script>alert(1)</script>'
expect 0 "add nasty source" -- "$SG" --db "$DB" add Source bad-url 'publisher=Evil & Co' 'url=javascript:alert(1)'
expect 0 "link nasty" -- "$SG" --db "$DB" link Vessel:NASTY CALLED_AT Port:KPRJN date=2024-04-20 --source bad-url --confidence possible
expect 0 "report nasty" -- "$SG" --db "$DB" report --around Vessel:NASTY -o "$TMP/nasty.html"
HN=$(cat "$TMP/nasty.html")
contains '&quot;A\B &lt;&amp;&gt; 조선 Ладья&quot;' "$HN" "name escaped"
contains '&lt;script&gt;alert(1)&lt;/script&gt;' "$HN" "note escaped"
lacks "<script" "$HN" "no script injected"
lacks 'href="javascript:' "$HN" "non-web url is not a link"
contains "Evil &amp; Co" "$HN" "publisher escaped"

# errors: exit 1, no file
touch "$TMP/plainfile"
expect 1 "unwritable path" -- "$SG" --db "$DB" report -o "$TMP/plainfile/r.html"
contains "sanctgraph: report: cannot write" "$ERR" "unwritable message"
expect 1 "unknown REF" -- "$SG" --db "$DB" report --around Vessel:NOPE -o "$TMP/nope.html"
[ ! -e "$TMP/nope.html" ] && pass || fail "file left after unknown REF"
expect 0 "init empty" -- "$SG" --db "$TMP/empty" init
expect 1 "empty selection" -- "$SG" --db "$TMP/empty" report -o "$TMP/empty.html"
contains "sanctgraph: report: nothing to draw" "$ERR" "empty selection message"
[ ! -e "$TMP/empty.html" ] && pass || fail "file left after empty selection"
expect 2 "report without -o" -- "$SG" --db "$DB" report
expect 2 "report has no --format" -- "$SG" --db "$DB" report --format svg -o "$TMP/f.html"

# ---- in a browser ----
need pdfinfo poppler-utils
CHROME=""
for c in chromium chromium-browser google-chrome; do
	command -v "$c" >/dev/null 2>&1 && { CHROME=$c; break; }
done
if [ -z "$CHROME" ]; then
	fail "chromium is missing: install the Debian package chromium (scripts/install-deps does)"
else
	browse() {
		timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
			--disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$TMP/chrome.XXXXXX")" "$@" >/dev/null 2>&1
	}
	browse --no-pdf-header-footer --print-to-pdf="$TMP/r.pdf" "file://$TMP/r.html"
	[ -s "$TMP/r.pdf" ] && pass || fail "chromium printed no PDF"
	browse --screenshot="$TMP/r.png" --window-size=1280,2000 "file://$TMP/r.html"
	[ -s "$TMP/r.png" ] && pass || fail "chromium took no screenshot"
	same "89504e470d0a1a0a" "$(od -An -tx1 -N8 "$TMP/r.png" | tr -d ' \n')" "screenshot is a PNG"
	if command -v pdftotext >/dev/null 2>&1; then
		PDF=$(pdftotext -layout "$TMP/r.pdf" - 2>/dev/null)
		for want in "LADY R" "Vostochny" "Rajin" "2024-04-02" "2024-04-03" "2024-04-14" "Timeline" "Claims" "Sources" \
			"Planet Labs PBC" "The Yomiuri Shimbun" "MarineTraffic" "U.S. Treasury" "https://www.treasury.gov/ofac/downloads/sdn.csv"; do
			contains "$want" "$PDF" "printed report text"
		done
		PAGES=$(pdfinfo "$TMP/r.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
		[ "${PAGES:-0}" -ge 2 ] && [ "${PAGES:-0}" -le 8 ] && pass || fail "printed report has $PAGES pages"
		contains "A4" "$(pdfinfo "$TMP/r.pdf" 2>/dev/null)" "printed on A4"
	else
		fail "pdftotext is missing: install the Debian package poppler-utils (scripts/install-deps does)"
	fi
fi

finish
