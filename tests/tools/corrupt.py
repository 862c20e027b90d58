#!/usr/bin/env python3
"""corrupt.py BIN WORKDIR TRIES [SEED]: seeded one-byte damage to a generated
database of about 2,000 nodes.

Each try copies the undamaged data.mdb, replaces one byte at a random offset
with another value, and runs `check`, `export` and `query` under a time
limit.  A try fails when any command dies of a signal or hangs, when `check`
exits other than 0 or 3, another command other than 0 or 1, or when `check`
exits 0 although `export` or `query` prints other than on the undamaged
database (or fails).  Then `add` is tried on every damaged copy that `check`
rejected, and its outcome counted (a write on a database that fails the page
check at open is refused; damage inside records is found only by `check`).

Prints one line per failure and a summary; exits 1 if any try failed."""
import os
import random
import shutil
import subprocess
import sys

BIN, WORK, TRIES = sys.argv[1], sys.argv[2], int(sys.argv[3])
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 1
LIMIT = 60   # seconds per command: the machine may be busy; a hang is forever
HERE = os.path.dirname(os.path.abspath(__file__))
QUERY = ("MATCH (v:Vessel)-[r]->(x) RETURN v.name, type(r), x.name, r.hours "
         "ORDER BY v.name, type(r), x.name, r.hours")


def run(db, *args):
    try:
        p = subprocess.run([BIN, "--db", db] + list(args), capture_output=True, timeout=LIMIT,
                           env=dict(os.environ, SANCTGRAPH_AUTHOR="corrupt"))
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "hang", b"", b""


def build(base):
    jsonl = os.path.join(WORK, "g.jsonl")
    subprocess.run([sys.executable, os.path.join(HERE, "gendb.py"), "2000", jsonl, str(SEED)], check=True)
    for args in (["init"], ["import", jsonl], ["add", "Vessel", "LATE1", "name=LATE ONE", "--source", "src-3"],
                 ["link", "Vessel:LATE1", "OWNED_BY", "Company:C00007"],
                 ["query", "MATCH (v:Vessel {name: 'VESSEL 5'}) SET v.flag = 'TG'"],
                 ["add", "Company", "C00009", "name=Renamed 9"]):
        rc, out, err = run(base, *args)
        if rc != 0:
            sys.exit("corrupt.py: building the database: %s: %s" % (" ".join(args), err.decode()))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    base = os.path.join(WORK, "base")
    build(base)
    rc, ref_export, _ = run(base, "export")
    rc2, ref_query, _ = run(base, "query", QUERY)
    rc3, _, _ = run(base, "check")
    if rc or rc2 or rc3:
        sys.exit("corrupt.py: the undamaged database does not export, query and check cleanly")
    data = open(os.path.join(base, "data.mdb"), "rb").read()
    rnd = random.Random(SEED)
    fails = 0
    stats = {"check3": 0, "check0_same": 0, "signals": 0, "hangs": 0, "silent": 0,
             "add_refused": 0, "add_wrote": 0, "other_exit1": 0}
    db = os.path.join(WORK, "try")
    for i in range(TRIES):
        off = rnd.randrange(len(data))
        new = (data[off] + rnd.randrange(1, 256)) % 256
        shutil.rmtree(db, ignore_errors=True)
        os.makedirs(db)
        with open(os.path.join(db, "data.mdb"), "wb") as f:
            f.write(data[:off] + bytes([new]) + data[off + 1:])
        what = "try %d: byte %d (page %d) %02x -> %02x" % (i, off, off // 4096, data[off], new)
        c_rc, c_out, c_err = run(db, "check")
        e_rc, e_out, e_err = run(db, "export")
        q_rc, q_out, q_err = run(db, "query", QUERY)
        bad = []
        for name, rcx, ok in (("check", c_rc, (0, 3)), ("export", e_rc, (0, 1)), ("query", q_rc, (0, 1))):
            if rcx == "hang":
                stats["hangs"] += 1
                bad.append("%s hangs" % name)
            elif rcx < 0 or rcx >= 128:
                stats["signals"] += 1
                bad.append("%s killed by signal %d" % (name, -rcx if rcx < 0 else rcx - 128))
            elif rcx not in ok:
                bad.append("%s exit %d" % (name, rcx))
        differs = e_rc != 0 or q_rc != 0 or e_out != ref_export or q_out != ref_query
        if c_rc == 0 and differs:
            stats["silent"] += 1
            bad.append("check passes but export/query %s" % ("fail" if e_rc or q_rc else "print other data"))
        if (e_rc == 1 and not e_err.strip()) or (q_rc == 1 and not q_err.strip()):
            bad.append("exit 1 without a message")
        if c_rc == 3:
            stats["check3"] += 1
            a_rc, _, _ = run(db, "add", "Vessel", "AFTER", "name=after")
            stats["add_refused" if a_rc == 1 else "add_wrote"] += 1
        elif c_rc == 0 and not differs:
            stats["check0_same"] += 1
        if bad:
            fails += 1
            print("FAIL %s: %s\n  check: %s" % (what, "; ".join(bad), (c_out + c_err).decode(errors="replace")[:300]))
    print("corrupt.py: %d tries (seed %d): %d failed; check found damage in %d, passed %d unchanged; "
          "%d signals, %d hangs, %d silent passes; add on a rejected copy: %d refused, %d wrote"
          % (TRIES, SEED, fails, stats["check3"], stats["check0_same"], stats["signals"], stats["hangs"],
             stats["silent"], stats["add_refused"], stats["add_wrote"]))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
