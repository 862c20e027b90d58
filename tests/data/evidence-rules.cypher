// Rules for the Lady R case.  Each rule is a query that returns the rows
// that break it; `sanctgraph audit --rules FILE` exits 3 when any does.

-- name: every sanctioned vessel has an IMO number
MATCH (v:Vessel)-[:SANCTIONED_UNDER]->(:Sanction)
WHERE v.imo IS NULL
RETURN v.key AS vessel;

-- name: every sighting cites satellite imagery
-- (a sighting rests on an image; reports alone are not enough)
MATCH (v:Vessel)-[s:SIGHTED_AT]->(p:Port)
WHERE none(x IN sources(s) WHERE x.kind = 'satellite-imagery')
RETURN v.key AS vessel, p.key AS port, s.date AS date
ORDER BY date;
