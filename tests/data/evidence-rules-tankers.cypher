-- name: every vessel calling at a port has an IMO number
MATCH (v:Vessel)-[:CALLED_AT]->(p:Port)
WHERE v.imo IS NULL
RETURN DISTINCT v.key AS vessel, p.key AS port;
