// duckdb_gaps.js: the DuckDB side of the AIS benchmark (bench/ais/run).
//   node duckdb_gaps.js FILE.csv DBFILE MIN_GAP_HOURS OUT.csv
// Loads the MarineCadastre CSV into a database file (read_csv, DISTINCT
// rows), drops positions that are not available (lat 91 / lon 181) and
// MMSIs that are not 9 digits, and finds the gaps with lag() over
// PARTITION BY MMSI ORDER BY BaseDateTime.  Prints load and query seconds
// as JSON on stdout; writes the gaps as mmsi,start,end to OUT.csv.
const { DuckDBInstance } = require('@duckdb/node-api');
const fs = require('fs');

async function main() {
	const [file, dbfile, hours, out] = process.argv.slice(2);
	for (const f of [dbfile, dbfile + '.wal'])
		if (fs.existsSync(f)) fs.unlinkSync(f);
	const db = await DuckDBInstance.create(dbfile);
	const con = await db.connect();
	let t0 = process.hrtime.bigint();
	await con.run(`CREATE TABLE ais AS SELECT DISTINCT * FROM read_csv('${file}', header = true,
		types = {'MMSI': 'VARCHAR', 'BaseDateTime': 'TIMESTAMP'})`);
	await con.run('CHECKPOINT');
	const load = Number(process.hrtime.bigint() - t0) / 1e9;
	t0 = process.hrtime.bigint();
	const reader = await con.runAndReadAll(`
		WITH p AS (
			SELECT DISTINCT MMSI, BaseDateTime AS t FROM ais
			WHERE LAT <> 91 AND LON <> 181 AND regexp_full_match(MMSI, '[0-9]{9}')),
		l AS (SELECT MMSI, t, lag(t) OVER (PARTITION BY MMSI ORDER BY t) AS prev FROM p)
		SELECT MMSI, strftime(prev, '%Y-%m-%dT%H:%M:%SZ') AS s, strftime(t, '%Y-%m-%dT%H:%M:%SZ') AS e
		FROM l WHERE prev IS NOT NULL AND t - prev >= INTERVAL (${Number(hours)} * 3600) SECOND
		ORDER BY MMSI, s`);
	const rows = reader.getRows();
	const query = Number(process.hrtime.bigint() - t0) / 1e9;
	fs.writeFileSync(out, rows.map(r => r.join(',')).join('\n') + (rows.length ? '\n' : ''));
	console.log(JSON.stringify({ load, query, gaps: rows.length }));
}

main().catch(e => { console.error(e); process.exit(1); });
