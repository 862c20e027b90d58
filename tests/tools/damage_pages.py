#!/usr/bin/env python3
"""damage_pages.py BIN WORKDIR COPIES [SEED]: seeded damage to the page
structure of a database over 1 MiB, where opening walks only LMDB's table
of tables and LMDB reads the rest unchecked (store/fault.c).

Builds a database of 8,000 nodes (about 2 MiB, tests/tools/gendb.py), then
makes COPIES damaged copies of its data.mdb: in each, 40 pages spread over
the file each get one 4-byte word overwritten where LMDB trusts it most: a
node's flags or sizes, a node's offset, or the page's flags.  On every copy
reading queries (label scans, expansions, a point lookup) and one write run
under a time limit.  A copy fails when a command dies of a signal (or of
AddressSanitizer's report of one), exits other than 0 or 1, exits 1 without
a message, or says the database is damaged without naming it; a command
still running at the limit is a hang and fails too.  (Some exits 1 name a
consequence of the damage instead, "relationship 14767 ends at node 5523,
which does not exist": the summary counts those naming the database.)

Prints one line per failure and a summary; exits 1 if any copy failed."""
import os
import random
import shutil
import struct
import subprocess
import sys

BIN, WORK, COPIES = sys.argv[1], sys.argv[2], int(sys.argv[3])
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 1
LIMIT = 30   # seconds per command: the machine may be busy
HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = 4096
READS = [
    ["query", "MATCH (c:Company)<-[:OWNED_BY]-(v:Vessel)-[:CALLED_AT]->(p:Port) "
              "RETURN p.name, count(DISTINCT v) AS n ORDER BY n DESC, p.name LIMIT 5"],
    ["query", "MATCH (v:Vessel)-[r]->(x) RETURN v.name, type(r), x.name ORDER BY v.name, type(r), x.name"],
    ["query", "MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c"],
    ["query", "MATCH (v:Vessel) WHERE v.name = 'VESSEL 17' RETURN v.key"],
    ["export"],
]
WRITE = ["add", "Vessel", "AFTER", "name=after"]


def run(db, args):
    try:
        p = subprocess.run([BIN, "--db", db] + args, capture_output=True, timeout=LIMIT,
                           env=dict(os.environ, SANCTGRAPH_AUTHOR="damage"))
        return p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", ""


def build(base):
    jsonl = os.path.join(WORK, "g.jsonl")
    subprocess.run([sys.executable, os.path.join(HERE, "gendb.py"), "8000", jsonl, str(SEED)], check=True)
    for args in (["init"], ["import", jsonl]):
        rc, err = run(base, args)
        if rc != 0:
            sys.exit("damage_pages.py: building the database: %s: %s" % (" ".join(args), err))


def damage(b, rnd):
    """One word in each of 40 pages spread over the file (not the meta pages)."""
    npg = len(b) // PAGE
    for k in range(40):
        pg = 2 + k * (npg - 2) // 40 + rnd.randrange(max(1, (npg - 2) // 40))
        p = pg * PAGE
        flags, lower = struct.unpack_from("<HH", b, p + 10)
        nodes = (lower - 16) // 2 if flags & 3 and 18 <= lower < PAGE else 0
        how = rnd.randrange(3) if nodes else 0
        if how == 0:
            off = p + 10                          # the page's flags
            b[off:off + 2] = rnd.randbytes(2)
            continue
        i = rnd.randrange(nodes)
        node = struct.unpack_from("<H", b, p + 16 + 2 * i)[0]
        if how == 1 and 16 <= node <= PAGE - 8:
            off = p + node + rnd.choice([0, 4])   # the node's sizes, or its flags and key size
        else:
            off = p + 16 + 2 * i                  # its offset (and the next one)
        b[off:off + 4] = rnd.randbytes(4)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    base = os.path.join(WORK, "base")
    build(base)
    data = open(os.path.join(base, "data.mdb"), "rb").read()
    if len(data) <= 1 << 20:
        sys.exit("damage_pages.py: the database is %d bytes: not over 1 MiB" % len(data))
    fails = 0
    stats = {"ok": 0, "exit1": 0, "named": 0, "signals": 0, "hangs": 0}
    db = os.path.join(WORK, "copy")
    for i in range(COPIES):
        rnd = random.Random(SEED * 100003 + i)
        b = bytearray(data)
        damage(b, rnd)
        shutil.rmtree(db, ignore_errors=True)
        os.makedirs(db)
        with open(os.path.join(db, "data.mdb"), "wb") as f:
            f.write(b)
        bad = []
        for args in READS + [WRITE]:
            rc, err = run(db, args)
            name = " ".join(args)[:40]
            if rc == "hang":
                stats["hangs"] += 1
                bad.append("%s hangs" % name)
            elif rc < 0 or rc >= 128 or "Sanitizer" in err:
                stats["signals"] += 1
                bad.append("%s killed by a signal (%s): %s" % (name, rc, err.strip()[:200]))
            elif rc not in (0, 1):
                bad.append("%s exit %d" % (name, rc))
            elif rc == 1 and not err.startswith("sanctgraph: "):
                bad.append("%s exit 1 without a message" % name)
            elif "is damaged" in err and db + " is damaged" not in err:
                bad.append("%s: the message does not name the damaged database: %s" % (name, err.strip()[:200]))
            else:
                stats["ok" if rc == 0 else "exit1"] += 1
                stats["named"] += db in err
        if bad:
            fails += 1
            print("FAIL copy %d (seed %d): %s" % (i, SEED, "; ".join(bad)))
    print("damage_pages.py: %d damaged copies (seed %d) of a %d-byte file: %d failed; "
          "commands: %d exit 0, %d exit 1 (%d naming the database), %d signals, %d hangs"
          % (COPIES, SEED, len(data), fails, stats["ok"], stats["exit1"], stats["named"],
             stats["signals"], stats["hangs"]))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
