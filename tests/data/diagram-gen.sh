#!/bin/sh
# diagram-gen.sh: writes native JSONL for a synthetic neighbourhood of
# 1,000 entities and 3,000 relationships around Vessel:HUB (all within 3
# hops), with parallel port calls, five sources and every confidence, for
# the large-diagram test and benchmark:
#   sh tests/data/diagram-gen.sh > big.jsonl
#   sanctgraph import big.jsonl
#   sanctgraph diagram --around Vessel:HUB --hops 3 -o big.svg
awk 'BEGIN {
	split("RU KP CN AE IN TR SG MY", cc, " ")
	split("confirmed probable possible suspected", conf, " ")
	for (s = 1; s <= 5; s++)
		printf "{\"node\":\"Source\",\"key\":\"src-%d\",\"props\":{\"publisher\":\"Publisher %d\",\"kind\":\"ais\",\"date\":\"2024-0%d-01\"}}\n", s, s, s
	printf "{\"node\":\"Vessel\",\"key\":\"HUB\",\"props\":{\"name\":\"HUB VESSEL\",\"flag\":\"RU\"}}\n"
	for (p = 0; p < 100; p++)
		printf "{\"node\":\"Port\",\"key\":\"P%03d\",\"props\":{\"name\":\"Port %d\",\"country\":\"%s\"}}\n", p, p, cc[p % 8 + 1]
	for (v = 0; v < 600; v++)
		printf "{\"node\":\"Vessel\",\"key\":\"V%04d\",\"props\":{\"name\":\"Vessel %d\"}}\n", v, v
	for (c = 0; c < 299; c++)
		printf "{\"node\":\"Company\",\"key\":\"C%03d\",\"props\":{\"name\":\"Company %d\"}}\n", c, c
	n = 0
	for (p = 0; p < 100; p++)
		edge("Vessel:HUB", "CALLED_AT", sprintf("Port:P%03d", p), p)
	for (v = 0; v < 600; v++) {
		edge(sprintf("Vessel:V%04d", v), "CALLED_AT", sprintf("Port:P%03d", v % 100), v)
		edge(sprintf("Vessel:V%04d", v), "CALLED_AT", sprintf("Port:P%03d", (v * 7) % 100), v + 1)
		edge(sprintf("Vessel:V%04d", v), "CALLED_AT", sprintf("Port:P%03d", v % 100), v + 2)
	}
	for (c = 0; c < 299; c++) {
		edge(sprintf("Company:C%03d", c), "OWNS", sprintf("Vessel:V%04d", (c * 2) % 600), -1)
		edge(sprintf("Company:C%03d", c), "OWNS", sprintf("Vessel:V%04d", (c * 2 + 1) % 600), -1)
	}
	for (v = 0; v < 502; v++)
		edge(sprintf("Vessel:V%04d", v), "SIGHTED_AT", sprintf("Port:P%03d", (v * 3) % 100), v + 3)
}
function edge(from, type, to, day,    props, d) {
	n++
	props = ""
	if (day >= 0) {
		d = day % 28 + 1
		props = sprintf("\"date\":\"2024-04-%02d\"", d)
	}
	printf "{\"edge\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"props\":{%s},\"sources\":[{\"key\":\"src-%d\",\"confidence\":\"%s\"}]}\n", type, from, to, props, n % 5 + 1, conf[n % 4 + 1]
}'
