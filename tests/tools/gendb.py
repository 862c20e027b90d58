#!/usr/bin/env python3
"""gendb.py N OUT.jsonl [SEED]: a seeded JSONL graph of about N nodes for the
hardening tests: sources, vessels, companies and ports with typed
properties, relationships with citations, so that every table of the store
holds data."""
import json
import random
import sys

n = int(sys.argv[1])
out = sys.argv[2]
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
nsrc = max(3, n // 40)
nport = max(3, n // 20)
nves = (n - nsrc - nport) // 2
ncom = n - nsrc - nport - nves
conf = ["confirmed", "probable", "possible"]


def imo(i):
    six = "%06d" % (100000 + i * 37 % 899999)
    return six + str(sum(int(d) * (7 - k) for k, d in enumerate(six)) % 10)


with open(out, "w") as f:
    def w(o):
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
    for i in range(nsrc):
        w({"node": "Source", "key": "src-%d" % i,
           "props": {"publisher": "Publisher %d" % (i % 7), "title": "Report %d" % i,
                     "date": "2024-%02d-%02d" % (1 + i % 12, 1 + i % 28)}})
    for i in range(nport):
        w({"node": "Port", "key": "P%04d" % i,
           "props": {"name": "Port %d" % i, "lat": rnd.uniform(-60, 60), "lon": rnd.uniform(-180, 180)}})
    for i in range(nves):
        w({"node": "Vessel", "key": "V%05d" % i,
           "props": {"name": "VESSEL %d" % i, "imo": imo(i),
                     "flag": rnd.choice(["KP", "RU", "PA", "SL", "CM"]),
                     "built": 1980 + i % 40, "tonnage": rnd.randint(500, 90000),
                     "aliases": ["ALIAS %d" % i, "OLD %d" % i]},
           "sources": [{"key": "src-%d" % (i % nsrc), "confidence": conf[i % 3]}]})
    for i in range(ncom):
        w({"node": "Company", "key": "C%05d" % i,
           "props": {"name": "Company %d Ltd" % i, "registered": "20%02d-01-15" % (i % 24)}})
    for i in range(nves):
        w({"edge": "OWNED_BY", "from": "Vessel:V%05d" % i, "to": "Company:C%05d" % (i % ncom),
           "sources": [{"key": "src-%d" % (i % nsrc), "confidence": conf[(i + 1) % 3]}]})
        for k in range(2):
            w({"edge": "CALLED_AT", "from": "Vessel:V%05d" % i, "to": "Port:P%04d" % rnd.randrange(nport),
               "props": {"start": "2024-%02d-%02d" % (1 + rnd.randrange(12), 1 + rnd.randrange(28)), "hours": rnd.randint(1, 200)},
               "sources": [{"key": "src-%d" % rnd.randrange(nsrc), "confidence": conf[k]}]})
    for i in range(1, ncom):
        w({"edge": "SUBSIDIARY_OF", "from": "Company:C%05d" % i, "to": "Company:C%05d" % (i // 3)})
