#!/usr/bin/env python3
"""gen.py: synthetic AIS positions with planted events and their truth.

Writes, into OUTDIR:
  ports.jsonl   Port nodes (WPI + index number) from the World Port Index CSV,
                each with name, country, lat, lon
  ais.csv       positions in one of the three dialects (--dialect mc, mc2025,
                dma), noisy: jitter, Heading 511, lat 91 rows, exact duplicates,
                unsorted blocks, short MMSIs, IMO0000000 and junk IMOs
  truth.json    the planted events: gaps, port calls, encounters

Planted events: gaps of 13-30 h; port calls at real WPI ports (6-20 h at
under 0.5 kn); encounters at sea (two vessels 100-300 m apart for 3-6 h,
drifting under 1 kn).  Planted non-events, which a detector must not report:
short gaps (2-10 h), short meetings (1 h), fast passes side by side (12 kn,
300 m apart for 4 h) and meetings inside ports (which are port calls).

Deterministic for a given --seed.  Usage:
  gen.py --wpi world-port-index.csv --out DIR [--vessels N] [--days D]
         [--interval S] [--seed N] [--dialect mc|mc2025|dma]
"""
import argparse, csv, json, math, os, random

R = 6371008.8
KN = 1852.0 / 3600.0   # metres per second per knot


def dist(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R * math.asin(min(1, math.sqrt(h)))


def move(p, bearing_deg, metres):
    la, lo = math.radians(p[0]), math.radians(p[1])
    b, d = math.radians(bearing_deg), metres / R
    la2 = math.asin(math.sin(la) * math.cos(d) + math.cos(la) * math.sin(d) * math.cos(b))
    lo2 = lo + math.atan2(math.sin(b) * math.sin(d) * math.cos(la), math.cos(d) - math.sin(la) * math.sin(la2))
    return (math.degrees(la2), (math.degrees(lo2) + 540) % 360 - 180)


def bearing(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    y = math.sin(lo2 - lo1) * math.cos(la2)
    x = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    return (math.degrees(math.atan2(y, x)) + 360) % 360


def imo_with_check(six):
    s = sum(int(d) * w for d, w in zip(six, (7, 6, 5, 4, 3, 2)))
    return six + str(s % 10)


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.args = args
        self.t0 = 1711929600   # 2024-04-01T00:00:00Z
        self.t1 = self.t0 + int(args.days * 86400)
        self.rows = []         # (mmsi, t, lat, lon, sog, cog, heading, name, imo)
        self.truth = {"gaps": [], "port_calls": [], "encounters": [], "non_events": []}
        self.next_mmsi = 211000000
        self.ports = []
        with open(args.wpi, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                try:
                    self.ports.append(("WPI" + r["index_number"], r["port_name"], r["country"],
                                       float(r["port_latitude"]), float(r["port_longitude"])))
                except (ValueError, KeyError):
                    pass
        # ports with no other port within 15 km, for unambiguous calls
        self.lonely = []
        grid = {}
        for p in self.ports:
            grid.setdefault((int(p[3] // 1), int(p[4] // 1)), []).append(p)
        for p in self.ports:
            near = [q for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for q in grid.get((int(p[3] // 1) + dx, int(p[4] // 1) + dy), [])]
            if abs(p[3]) < 60 and all(q is p or dist((p[3], p[4]), (q[3], q[4])) > 15000 for q in near):
                self.lonely.append(p)
        self.grid = grid

    def far_from_ports(self, p, metres):
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for q in self.grid.get((int(p[0] // 1) + dx, int(p[1] // 1) + dy), []):
                    if dist(p, (q[3], q[4])) < metres:
                        return False
        return True

    def sea_point(self):
        # open ocean boxes (mid-Atlantic, mid-Pacific), checked against ports
        while True:
            box = self.rng.choice([(15, 40, -50, -30), (-30, -5, -25, -10), (10, 35, -170, -140)])
            p = (self.rng.uniform(box[0], box[1]), self.rng.uniform(box[2], box[3]))
            if self.far_from_ports(p, 150000):
                return p

    def mmsi(self):
        self.next_mmsi += self.rng.randint(1, 50)
        return self.next_mmsi

    def emit(self, v, t, p, sog, cog):
        j = self.rng.uniform(-0.0001, 0.0001)   # ~10 m jitter
        heading = 511 if self.rng.random() < 0.2 else int(cog) % 360
        self.rows.append((v["mmsi"], int(t), p[0] + j, p[1] + j, round(sog, 1), round(cog, 1), heading, v["name"], v["imo"]))

    def vessel(self, kind):
        m = self.mmsi()
        r = self.rng.random()
        if r < 0.3:
            imo = "IMO" + imo_with_check(str(self.rng.randint(900000, 999999)))
        elif r < 0.5:
            imo = "IMO0000000"
        elif r < 0.55:
            imo = str(self.rng.randint(100000000, 9999999999))   # 9-10 digit junk
        else:
            imo = ""
        return {"mmsi": m, "name": "GEN %s %d" % (kind.upper(), m % 10000), "imo": imo}

    def interval(self):
        return self.args.interval * self.rng.uniform(0.7, 1.3)

    # A straight track at `sog` from p, between t_start and t_end, skipping
    # [skip_from, skip_to) (a gap).
    def transit(self, v, p, cog, sog, t_start, t_end, skips=()):
        t = t_start
        while t < t_end:
            if not any(a <= t < b for a, b in skips):
                self.emit(v, t, p, sog + self.rng.uniform(-0.3, 0.3), cog)
            dt = self.interval()
            p = move(p, cog, sog * KN * dt)
            t += dt
        return p

    def gap_vessel(self, planted):
        v = self.vessel("gap")
        # the gap and 3 h of track on each side must fit in the period
        span = (self.t1 - self.t0) / 3600 - 6.5
        hours = self.rng.uniform(13, min(30, span)) if planted else self.rng.uniform(2, min(10, span))
        start = self.rng.uniform(self.t0 + 3 * 3600, self.t1 - hours * 3600 - 3 * 3600)
        p = self.sea_point()
        # the last position before the gap and the first after are what counts
        self.transit(v, p, self.rng.uniform(0, 360), self.rng.uniform(8, 14), self.t0, self.t1, [(start, start + hours * 3600)])
        rec = {"mmsi": v["mmsi"], "start": int(start), "end": int(start + hours * 3600), "kind": "gap"}
        (self.truth["gaps"] if planted else self.truth["non_events"]).append(rec if planted else dict(rec, kind="short gap"))

    def port_visit(self, v, port, t_arr, stay, offset):
        """Approach from 30 km at 12 kn, stay within ~offset m of the port
        at < 0.5 kn, leave at 12 kn.  Returns the stay's (start, end)."""
        pp = (port[3], port[4])
        b_in = self.rng.uniform(0, 360)
        start = move(pp, b_in, 30000)
        t_appr = 30000 / (12 * KN)
        berth = move(pp, self.rng.uniform(0, 360), offset)
        # approach: positions on the way in
        t = t_arr - t_appr
        p = start
        cog = bearing(start, berth)
        while t < t_arr:
            self.emit(v, t, p, 12 + self.rng.uniform(-0.5, 0.5), cog)
            dt = self.interval()
            p = move(p, cog, 12 * KN * dt)
            t += dt
        first = None
        t = t_arr
        while t < t_arr + stay:
            q = move(berth, self.rng.uniform(0, 360), self.rng.uniform(0, 60))
            self.emit(v, t, q, self.rng.uniform(0, 0.5), self.rng.uniform(0, 360))
            first = t if first is None else first
            last = t
            t += self.interval()
        p = berth
        cog = (b_in + 180 + self.rng.uniform(-40, 40)) % 360
        t_end = t + 30000 / (12 * KN)
        while t < t_end:
            p = move(p, cog, 12 * KN * self.args.interval)
            self.emit(v, t, p, 12 + self.rng.uniform(-0.5, 0.5), cog)
            t += self.interval()
        return int(first), int(last)

    def port_call_vessel(self):
        v = self.vessel("call")
        port = self.rng.choice(self.lonely)
        span = (self.t1 - self.t0) / 3600 - 8.5
        stay = self.rng.uniform(min(6, span), min(20, span)) * 3600
        t_arr = self.rng.uniform(self.t0 + 4 * 3600, self.t1 - stay - 4 * 3600)
        s, e = self.port_visit(v, port, t_arr, stay, self.rng.uniform(100, 1500))
        self.truth["port_calls"].append({"mmsi": v["mmsi"], "port": port[0], "start": s, "end": e})

    def pair_meeting(self, hours, sog_meet, gap_m, at_port=None):
        """Two vessels that come together, stay gap_m apart for `hours` at
        sog_meet knots (drifting together), then part."""
        a, b = self.vessel("meet"), self.vessel("meet")
        if at_port:
            meet = move((at_port[3], at_port[4]), self.rng.uniform(0, 360), 500)
        else:
            meet = self.sea_point()
        dur = hours * 3600
        t_meet = self.rng.uniform(self.t0 + 6 * 3600, self.t1 - dur - 6 * 3600)
        drift = self.rng.uniform(0, 360)
        for v, side in ((a, 0), (b, 1)):
            b_in = self.rng.uniform(0, 360)
            off = move(meet, drift + 90, gap_m / 2 if side else -gap_m / 2) if True else meet
            start = move(off, b_in, 12 * KN * 5 * 3600)
            # in at 12 kn for 5 h
            self.transit(v, start, (b_in + 180) % 360, 12, t_meet - 5 * 3600, t_meet)
            # together
            t, p = t_meet, off
            while t < t_meet + dur:
                self.emit(v, t, p, sog_meet + self.rng.uniform(-0.1, 0.1), drift)
                dt = self.interval()
                p = move(p, drift, sog_meet * KN * dt)
                t += dt
            # out at 12 kn for 5 h, each its own way
            self.transit(v, p, (b_in + 90 * (1 if side else -1)) % 360, 12, t, t + 5 * 3600)
        lo, hi = sorted((a["mmsi"], b["mmsi"]))
        return lo, hi, int(t_meet), int(t_meet + dur)

    def encounter(self):
        lo, hi, s, e = self.pair_meeting(self.rng.uniform(3, 6), self.rng.uniform(0.2, 0.9), self.rng.uniform(100, 300))
        self.truth["encounters"].append({"mmsi_a": lo, "mmsi_b": hi, "start": s, "end": e})

    def non_encounters(self):
        lo, hi, s, e = self.pair_meeting(1.0, 0.5, 200)
        self.truth["non_events"].append({"kind": "short meeting", "mmsi_a": lo, "mmsi_b": hi, "start": s, "end": e})
        lo, hi, s, e = self.pair_meeting(4.0, 12.0, 300)
        self.truth["non_events"].append({"kind": "fast pass", "mmsi_a": lo, "mmsi_b": hi, "start": s, "end": e})

    def port_meeting(self):
        """Two vessels together inside a port: two port calls, no encounter."""
        port = self.rng.choice(self.lonely)
        a, b = self.vessel("portmeet"), self.vessel("portmeet")
        stay = self.rng.uniform(5, 8) * 3600
        t_arr = self.rng.uniform(self.t0 + 4 * 3600, self.t1 - stay - 4 * 3600)
        for v in (a, b):
            s, e = self.port_visit(v, port, t_arr, stay, 400)
            self.truth["port_calls"].append({"mmsi": v["mmsi"], "port": port[0], "start": s, "end": e})
        lo, hi = sorted((a["mmsi"], b["mmsi"]))
        self.truth["non_events"].append({"kind": "meeting in port", "mmsi_a": lo, "mmsi_b": hi,
                                         "start": int(t_arr), "end": int(t_arr + stay)})

    def plain(self):
        v = self.vessel("transit")
        self.transit(v, self.sea_point(), self.rng.uniform(0, 360), self.rng.uniform(8, 15), self.t0, self.t1)

    def run(self):
        if self.args.days < 1:
            raise SystemExit("gen.py: --days must be at least 1 (a 13 h gap and the tracks around it must fit)")
        n = self.args.vessels
        for i in range(max(1, n // 10)):
            self.gap_vessel(True)
            self.gap_vessel(False)
            self.port_call_vessel()
            self.encounter()
            self.non_encounters()
        for i in range(max(1, n // 40)):
            self.port_meeting()
        while len({r[0] for r in self.rows}) < n:
            self.plain()

    # ---- output ----
    def write(self):
        os.makedirs(self.args.out, exist_ok=True)
        with open(os.path.join(self.args.out, "ports.jsonl"), "w") as f:
            for key, name, country, lat, lon in self.ports:
                f.write(json.dumps({"node": "Port", "key": key, "props": {"name": name, "country": country,
                                    "lat": lat, "lon": lon}}) + "\n")
        rows = list(self.rows)
        noise = []
        for r in self.rng.sample(rows, max(1, len(rows) // 100)):
            noise.append(r)                                          # exact duplicates
        for r in self.rng.sample(rows, max(1, len(rows) // 200)):
            noise.append((r[0], r[1] + 1, 91.0, 181.0) + r[4:])      # not available
        for i in range(max(1, len(rows) // 500)):
            r = self.rng.choice(rows)
            noise.append((r[0] % 1000000,) + r[1:])                  # short MMSIs (base stations, junk)
        rows += noise
        # unsorted in blocks: shuffle the order of blocks of rows and within some
        self.rng.shuffle(rows)
        with open(os.path.join(self.args.out, "ais.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            d = self.args.dialect
            if d == "mc":
                w.writerow("MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass".split(","))
            elif d == "mc2025":
                w.writerow("mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver".split(","))
            else:
                w.writerow(["# Timestamp", "Type of mobile", "MMSI", "Latitude", "Longitude", "Navigational status", "ROT",
                            "SOG", "COG", "Heading", "IMO", "Callsign", "Name", "Ship type", "Cargo type", "Width",
                            "Length", "Type of position fixing device", "Draught", "Destination", "ETA",
                            "Data source type", "A", "B", "C", "D"])
            import time
            for m, t, lat, lon, sog, cog, hd, name, imo in rows:
                ts = time.gmtime(t)
                lat_s, lon_s = ("%.5f" % lat, "%.5f" % lon) if lat != 91.0 else ("91", "181")
                if d == "mc":
                    w.writerow([m, time.strftime("%Y-%m-%dT%H:%M:%S", ts), lat_s, lon_s, sog, cog, hd, name, imo,
                                "", 70, 0, 100, 20, 5, 70, "A"])
                elif d == "mc2025":
                    w.writerow([m, time.strftime("%Y-%m-%d %H:%M:%S", ts), lon_s, lat_s, sog, cog, hd, name, imo,
                                "", 70, 0, 100, 20, 5, 70, "A"])
                else:
                    dimo = imo[3:] if imo.startswith("IMO") else "Unknown"
                    w.writerow([time.strftime("%d/%m/%Y %H:%M:%S", ts), "Class A", m, lat_s, lon_s,
                                "Under way using engine", "", sog, cog, hd, dimo, "", name, "Cargo", "",
                                20, 100, "GPS", 5, "", "", "AIS", "", "", "", ""])
        with open(os.path.join(self.args.out, "truth.json"), "w") as f:
            json.dump(dict(self.truth, rows=len(self.rows), noise=len(noise)), f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wpi", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vessels", type=int, default=100)
    ap.add_argument("--days", type=float, default=3)
    ap.add_argument("--interval", type=float, default=300, help="seconds between positions")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dialect", choices=("mc", "mc2025", "dma"), default="mc")
    args = ap.parse_args()
    g = Gen(args)
    g.run()
    g.write()


if __name__ == "__main__":
    main()
