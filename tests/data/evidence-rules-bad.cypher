-- name: every sanctioned vessel has an IMO number
MATCH (v:Vessel)-[:SANCTIONED_UNDER]->(:Sanction)
WHERE v.imo IS NULL
RETURN v.key AS vessel;

-- name: sightings after the designation
MATCH (v:Vessel)-[s:SIGHTED_AT]->(p:Port)
WHERE s.date > date('2024-05-03') AND
RETURN v.key, s.date;
