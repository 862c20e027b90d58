// The demo question of the contract, on the Lady R case: which vessel was
// seen at (or called at) a Russian port and then at a North Korean port
// within 30 days, when, and on what sources.
MATCH (v:Vessel)-[a:SIGHTED_AT|CALLED_AT]->(ru:Port {country: 'RU'}),
      (v)-[b:SIGHTED_AT|CALLED_AT]->(kp:Port {country: 'KP'})
WHERE coalesce(b.date, b.start) >= coalesce(a.date, a.end)
  AND coalesce(b.date, b.start) <= coalesce(a.date, a.end) + duration('P30D')
RETURN v.name AS vessel, ru.name AS ru_port, coalesce(a.date, a.start) AS seen_ru,
       kp.name AS kp_port, coalesce(b.date, b.start) AS seen_kp,
       duration.inDays(coalesce(a.date, a.end), coalesce(b.date, b.start)).days AS days,
       [s IN sources(a) | s.key] AS ru_sources, [s IN sources(b) | s.key] AS kp_sources
ORDER BY seen_ru, seen_kp
