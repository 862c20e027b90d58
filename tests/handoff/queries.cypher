// One query per line, run unchanged in Kuzu and in sanctgraph (kuzu_handoff.js).
MATCH (n:Person) RETURN count(n) AS people
MATCH (v:Vessel) RETURN v.key, v.name, v.flag, v.imo, v.gross_tonnage ORDER BY v.key
MATCH (p:Port) WHERE p.lat > 30.0 RETURN p.key, p.name, p.lat, p.lon ORDER BY p.key
MATCH (v:Vessel)-[r:CALLED_AT]->(p:Port) RETURN v.name, p.key, r.start, r.`end` ORDER BY r.start, p.key
MATCH (v:Vessel)-[r:SIGHTED_AT]->(p:Port) WHERE r.date >= date('2024-01-01') RETURN v.name, p.key, r.date ORDER BY r.date
MATCH (a:Company)-[r:OWNED_BY]->(o:Company) RETURN a.name, o.name, r.role ORDER BY a.name, o.name
MATCH (a:Company)-[r:OWNED_BY]->(o:Person) RETURN a.key, o.key ORDER BY a.key, o.key
MATCH (p:Person)-[r:DIRECTOR_OF]->(c:Company) RETURN p.name, c.name, r.role, r.start ORDER BY p.name, c.name
MATCH (x:Company)-[r:SANCTIONED_UNDER]->(s:Sanction) WHERE r.listed >= date('2023-01-01') RETURN s.key, count(*) AS n ORDER BY s.key
MATCH (x:Person)-[r:SANCTIONED_UNDER]->(s:Sanction) RETURN x.name, count(s) AS programmes ORDER BY x.name
MATCH (a:Person)-[r:LINKED_TO]->(b:Person) RETURN a.name, r.relationship, b.name ORDER BY a.name
MATCH (p:Person)-[:DIRECTOR_OF]->(c:Company)-[:OWNED_BY]->(o:Company) RETURN p.name, c.name, o.name ORDER BY p.name, o.name
MATCH (s:Source) WHERE s.kind = 'registry' RETURN s.key ORDER BY s.key
MATCH (c:Company) WHERE c.key = 'NK-abdzbEBkqyT29GyREbiURZ' RETURN c.name, size(c.abbreviation), c.abbreviation
MATCH (x:Passport)-[:HELD_BY]->(p:Person) RETURN x.key, p.name
MATCH (c:Cargo)-[:DELIVERED_TO]->(p:Port) RETURN c.key, c.kind, p.key ORDER BY c.key
MATCH (v:Vessel)-[r:SANCTIONED_UNDER]->(s:Sanction) RETURN v.name, s.key, r.listed ORDER BY s.key
