# shell.sh: the interactive shell driven through a terminal (tmux): a
# statement and its rows, the up arrow recalling it, a statement over two
# lines, :format, history saved to ~/.sanctgraph_history and read back by
# the next session; and a script piped to it (no prompt).
. "$(dirname "$0")/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	fail "tmux is missing: install the Debian package tmux (scripts/install-deps)"
	finish
	exit 1
fi
expect 0 "init" -- "$SG" --db "$DB" init
expect 0 "shell --help" -- "$SG" shell --help
contains "usage: sanctgraph shell" "$OUT" "shell help"

HOME_DIR=$TMP/home
mkdir -p "$HOME_DIR"
SOCK=sg-shell-$$
tm() { tmux -L "$SOCK" "$@"; }
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
# type TEXT: the keys of TEXT then Enter (tmux reads an argument's final
# ';' as its own command separator unless escaped)
type_line() {
	case "$1" in
	*\;) tm send-keys -t sh -l "${1%;}\\;" ;;
	*) tm send-keys -t sh -l "$1" ;;
	esac
	tm send-keys -t sh Enter
}
# wait_for TEXT: until the pane shows TEXT (5 s at most); the pane in $PANE
wait_for() {
	n=0
	while [ $n -lt 50 ]; do
		PANE=$(tm capture-pane -p -t sh 2>/dev/null)
		case "$PANE" in *"$1"*) return 0 ;; esac
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
count_of() { printf '%s\n' "$PANE" | grep -c -- "$1"; }

start_shell() {
	# exec: Ctrl-C must reach the shell alone, not a sh around it
	tm new-session -d -s sh -x 100 -y 40 "exec env HOME='$HOME_DIR' TERM=xterm '$SG' --db '$DB' shell"
	wait_for "sanctgraph>" && pass || fail "no prompt; pane: $PANE"
}

start_shell
type_line 'RETURN 40 + 2 AS answer;'
wait_for "(1 row)" && pass || fail "no result; pane: $PANE"
[ "$(count_of '^42')" -eq 1 ] && pass || fail "one 42 after the first statement; pane: $PANE"
# the up arrow recalls the statement; Enter runs it again
tm send-keys -t sh Up
sleep 0.3
PANE=$(tm capture-pane -p -t sh)
last=$(printf '%s\n' "$PANE" | grep -v '^$' | tail -n 1)
same "sanctgraph> RETURN 40 + 2 AS answer;" "$last" "the up arrow recalls the statement (got '$last')"
tm send-keys -t sh Enter
sleep 0.5
wait_for "(1 row)" >/dev/null
PANE=$(tm capture-pane -p -t sh)
[ "$(count_of '^42')" -eq 2 ] && pass || fail "the recalled statement ran; pane: $PANE"
# a statement over two lines, then another format
type_line 'UNWIND [1, 2] AS x'
wait_for "...>" && pass || fail "continuation prompt; pane: $PANE"
type_line 'RETURN sum(x) * 1000 AS total;'
wait_for "3000" && pass || fail "the two-line statement ran; pane: $PANE"
type_line ':format jsonl'
type_line "RETURN 'json' AS fmt;"
wait_for '{"fmt":"json"}' && pass || fail "jsonl output; pane: $PANE"
type_line 'RETURN 1/0;'
wait_for "division by zero" && pass || fail "an error keeps the shell; pane: $PANE"
# Ctrl-C stops a running statement and the shell stays
type_line 'UNWIND range(1, 10000) AS i UNWIND range(1, 10000) AS j WITH i WHERE i < 0 RETURN count(*);'
sleep 1
tm send-keys -t sh C-c
wait_for "interrupted (Ctrl-C)" && pass || fail "Ctrl-C message; pane: $PANE"
# at the prompt Ctrl-C is ignored
tm send-keys -t sh C-c
type_line 'RETURN 99 AS after;'
wait_for "99" && pass || fail "the shell goes on after Ctrl-C; pane: $PANE"
type_line ':quit'
sleep 0.5
hist=$HOME_DIR/.sanctgraph_history
[ -f "$hist" ] && pass || fail "no history file at $hist"
# libedit's file: a header line, then entries with blanks as \040
entries=$(sed -e '1d' -e 's/\\040/ /g' "$hist" 2>/dev/null)
contains "RETURN 40 + 2 AS answer;" "$entries" "history holds the statement"
[ "$(printf '%s\n' "$entries" | grep -c 'AS answer')" -eq 1 ] && pass || fail "a repeated statement is kept once: $entries"
contains "UNWIND [1, 2] AS x RETURN sum(x) * 1000 AS total;" "$entries" "a two-line statement is one history entry"
tm kill-server 2>/dev/null
SOCK=sg-shell2-$$

# the next session reads the history back: the up arrow seven times gives
# the two-line statement (after :quit, the two statements around Ctrl-C,
# the error, the json query and :format)
start_shell
tm send-keys -t sh Up Up Up Up Up Up Up
sleep 0.3
PANE=$(tm capture-pane -p -t sh)
last=$(printf '%s\n' "$PANE" | grep -v '^$' | tail -n 1)
same "sanctgraph> UNWIND [1, 2] AS x RETURN sum(x) * 1000 AS total;" "$last" "history read by a new session (got '$last')"
tm send-keys -t sh C-u
type_line ':quit'
tm kill-server 2>/dev/null

# a piped script: no prompt, no history, exit 1 when a statement failed
printf 'CREATE (:P {n: 1});\nMATCH (p:P)\nRETURN p.n AS n;\n:format csv\nRETURN 7 AS seven\n' >"$TMP/script.cypher"
expect 0 "a piped script" -- sh -c "'$SG' --db '$DB' shell <'$TMP/script.cypher'"
lacks "sanctgraph>" "$OUT" "no prompt when stdin is not a terminal"
contains "(1 row)" "$OUT" "table rows of the script"
contains "seven" "$OUT" "the last statement without ';' ran"
expect 1 "a piped script with a failing statement" -- sh -c "printf 'RETURN 1/0;\nRETURN 2 AS two;\n' | '$SG' --db '$DB' shell"
contains "division by zero" "$ERR" "the error"
contains "two" "$OUT" "the script goes on after an error"
expect 2 "shell with a bad option" -- "$SG" --db "$DB" shell --frob
finish
