# cite_partial.sh: a claim named by a partial date, as partial dates are
# stored (the first day of the period in date and start, the last in end):
# date=2024-04 names the claim within April 2024.
. "$(dirname "$0")/lib.sh"

"$SG" --db "$DB" init >/dev/null
"$SG" --db "$DB" add Source s1 kind=media publisher=A >/dev/null
"$SG" --db "$DB" add Source s2 kind=media publisher=B >/dev/null
"$SG" --db "$DB" add Vessel IMO9161003 name="LADY R" >/dev/null
"$SG" --db "$DB" add Port KPRJN name=Rajin >/dev/null
"$SG" --db "$DB" link Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-04 --source s1 >/dev/null
"$SG" --db "$DB" link Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-06-02 --source s1 >/dev/null
"$SG" --db "$DB" add Company C1 name=One >/dev/null
"$SG" --db "$DB" link Vessel:IMO9161003 OWNED_BY Company:C1 start=2019 end=2021-03 >/dev/null
"$SG" --db "$DB" link Vessel:IMO9161003 OWNED_BY Company:C1 start=2022-05-01 >/dev/null

expect 0 "cite by a month" -- "$SG" --db "$DB" cite Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-04 --source s2
contains "(~1)" "$OUT" "date=2024-04 names the April sighting"
expect 0 "cite by another month" -- "$SG" --db "$DB" cite Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-06 --source s2
contains "(~2)" "$OUT" "date=2024-06 names the June one"
expect 1 "a year holding both" -- "$SG" --db "$DB" cite Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024 --source s2
contains "ambiguous: it matches ~1, ~2" "$ERR" "is ambiguous, naming both"
expect 1 "a year holding none" -- "$SG" --db "$DB" cite Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2023 --source s2
contains "no such claim" "$ERR" "is no claim"
expect 0 "start= a year" -- "$SG" --db "$DB" cite Vessel:IMO9161003 OWNED_BY Company:C1 start=2019 --source s2
contains "(~3)" "$OUT" "start=2019 names the ownership that began in 2019"
expect 0 "end= a month" -- "$SG" --db "$DB" uncite Vessel:IMO9161003 OWNED_BY Company:C1 end=2021-03 --source s2
contains "~3" "$OUT" "end=2021-03 names the one that ended in March 2021"
expect 1 "a bad month" -- "$SG" --db "$DB" cite Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-13 --source s2
finish
