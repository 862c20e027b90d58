#!/usr/bin/env python3
"""score.py: precision and recall of `detect` against gen.py's truth.

  score.py SANCTGRAPH DB truth.json [--min P]

Reads the derived edges with Cypher, matches each to a planted event of its
kind (same vessel(s), same port for calls, overlapping [start, end]; each
planted event matched once), and prints precision and recall per kind, the
planted non-events that were wrongly reported, and whether every derived
edge cites an `ais` source as probable.  Exit 1 when a figure is under
--min (default 0.95) or a citation is missing.
"""
import json, subprocess, sys
from datetime import datetime, timezone


def q(sg, db, cypher):
    out = subprocess.run([sg, "--db", db, "query", "--format", "jsonl", cypher],
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def ts(s):
    return int(datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone.utc).timestamp())


def cite_problems(sg, db):
    """Derived edges that do not cite an ais Source as probable, or lack a method."""
    out = subprocess.run([sg, "--db", db, "export", "--format", "jsonl"], check=True,
                         capture_output=True, text=True).stdout
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    ais = {l["key"] for l in lines if l.get("node") == "Source" and l.get("props", {}).get("kind") == "ais"}
    bad = 0
    for l in lines:
        if l.get("edge") in ("AIS_GAP", "CALLED_AT", "ENCOUNTERED"):
            src = l.get("sources") or []
            if not src or "method" not in l.get("props", {}) or \
                    any(c["key"] not in ais or c["confidence"] != "probable" for c in src):
                bad += 1
    return bad


def overlap(a0, a1, b0, b1):
    return a0 <= b1 and b0 <= a1


def score(found, truth, same):
    used = set()
    tp = 0
    for f in found:
        for i, t in enumerate(truth):
            if i not in used and same(f, t) and overlap(f["s"], f["e"], t["start"], t["end"]):
                used.add(i)
                tp += 1
                break
    p = tp / len(found) if found else 1.0
    r = len(used) / len(truth) if truth else 1.0
    return p, r, tp


def main():
    sg, db, truth_path = sys.argv[1:4]
    minimum = float(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 0.95
    truth = json.load(open(truth_path))
    gaps = [dict(m=int(r["m"]), s=ts(r["s"]), e=ts(r["e"])) for r in
            q(sg, db, "MATCH (a:Vessel)-[r:AIS_GAP]->(a) RETURN a.mmsi AS m, toString(r.start) AS s, toString(r.end) AS e")]
    calls = [dict(m=int(r["m"]), p=r["p"], s=ts(r["s"]), e=ts(r["e"])) for r in
             q(sg, db, "MATCH (a:Vessel)-[r:CALLED_AT]->(p:Port) RETURN a.mmsi AS m, p.key AS p, toString(r.start) AS s, toString(r.end) AS e")]
    encs = [dict(a=int(r["a"]), b=int(r["b"]), s=ts(r["s"]), e=ts(r["e"])) for r in
            q(sg, db, "MATCH (a:Vessel)-[r:ENCOUNTERED]->(b:Vessel) RETURN a.mmsi AS a, b.mmsi AS b, toString(r.start) AS s, toString(r.end) AS e")]
    bad_cites = cite_problems(sg, db)
    ok = bad_cites == 0
    results = [
        ("gaps", score(gaps, truth["gaps"], lambda f, t: f["m"] == t["mmsi"]), len(gaps), len(truth["gaps"])),
        ("port calls", score(calls, truth["port_calls"], lambda f, t: f["m"] == t["mmsi"] and f["p"] == t["port"]),
         len(calls), len(truth["port_calls"])),
        ("encounters", score(encs, truth["encounters"], lambda f, t: (f["a"], f["b"]) == (t["mmsi_a"], t["mmsi_b"])),
         len(encs), len(truth["encounters"])),
    ]
    print("%-11s %6s %6s %9s %7s" % ("kind", "found", "truth", "precision", "recall"))
    for name, (p, r, tp), nf, nt in results:
        print("%-11s %6d %6d %9.3f %7.3f" % (name, nf, nt, p, r))
        ok = ok and p >= minimum and r >= minimum
    wrong = 0
    for ne in truth["non_events"]:
        if ne["kind"] in ("short gap",):
            hit = any(g["m"] == ne["mmsi"] and overlap(g["s"], g["e"], ne["start"], ne["end"]) for g in gaps)
        else:
            hit = any((e["a"], e["b"]) == (ne["mmsi_a"], ne["mmsi_b"]) and overlap(e["s"], e["e"], ne["start"], ne["end"])
                      for e in encs)
        if hit:
            wrong += 1
            print("non-event reported:", json.dumps(ne))
    print("non-events planted: %d, reported: %d" % (len(truth["non_events"]), wrong))
    print("derived edges without an ais/probable citation or method: %d" % bad_cites)
    ok = ok and wrong == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
