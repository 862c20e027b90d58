#!/usr/bin/env node
// kuzu_handoff.js: the neo4j-admin CSV hand-off, checked against a second engine.
//
// Usage: kuzu_handoff.js KUZU_MODULE CSV_DIR KUZU_DB QUERIES SANCTGRAPH SANCTGRAPH_DB
//
// Loads the files of `sanctgraph export --format csv` into a new Kuzu database
// with a loader written from neo4j-admin's documented import format (not from
// sanctgraph's exporter):
//   node files:  a header of `name:ID(Space)` (the node key), `:LABEL`
//                (labels separated by ';'), and property columns `name[:type][[]]`
//   relationship files: `:START_ID(Space)`, `:END_ID(Space)`, `:TYPE`, properties
//   types: string (default), int, long, short, byte, float, double, boolean,
//          date, localdatetime, datetime, duration; `type[]` is a list whose
//          items are separated by ';'
//   fields: RFC 4180 (quotes doubled, line breaks inside quotes); an empty field
//          is no property; "" is the empty string (or the empty list)
// Every ID space becomes a Kuzu node table keyed by the ID; every relationship
// type a rel table with one FROM/TO pair per (start space, end space).
// Then runs each query of QUERIES (one per line; blank lines and lines starting
// with // ignored) in Kuzu and through `sanctgraph query --format jsonl`, and
// compares the rows.  Exit 0 when every query gives the same rows in both.
'use strict';
const fs = require('fs'), path = require('path'), { execFileSync } = require('child_process');

const [kuzuModule, csvDir, kuzuDb, queriesFile, sgBin, sgDb] = process.argv.slice(2);
if (!sgDb) {
  console.error('usage: kuzu_handoff.js KUZU_MODULE CSV_DIR KUZU_DB QUERIES SANCTGRAPH SANCTGRAPH_DB');
  process.exit(2);
}
const kuzu = require(kuzuModule);

// ---- RFC 4180 records
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false, wasQuoted = false, i = 0;
  const endField = () => { row.push({ text: field, quoted: wasQuoted }); field = ''; wasQuoted = false; };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; wasQuoted = true; i++; continue; }
    if (ch === ',') { endField(); i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (ch === '\n') { endField(); rows.push(row); row = []; i++; continue; }
    field += ch; i++;
  }
  if (field !== '' || wasQuoted || row.length) { endField(); rows.push(row); }
  return rows;
}

// ---- the header: one spec per column
const KUZU_TYPE = {
  string: 'STRING', int: 'INT64', long: 'INT64', short: 'INT16', byte: 'INT8', float: 'DOUBLE', double: 'DOUBLE',
  boolean: 'BOOLEAN', date: 'DATE', localdatetime: 'TIMESTAMP', datetime: 'TIMESTAMP', duration: 'INTERVAL',
};
function columnSpec(h) {
  const m = h.match(/^(.*?)(?::(ID|START_ID|END_ID|LABEL|TYPE|IGNORE)(?:\((.*)\))?)?$/);
  if (m && m[2]) return { role: m[2], name: m[1], space: m[3] || null };
  const t = h.match(/^(.*):([A-Za-z]+)(\[\])?$/);
  if (t && KUZU_TYPE[t[2].toLowerCase()] !== undefined)
    return { role: '', name: t[1], type: t[2].toLowerCase(), array: !!t[3] };
  return { role: '', name: h, type: 'string', array: false };
}

function readFile(file) {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  const cols = rows.shift().map(f => columnSpec(f.text));
  return { file, cols, rows };
}

// A field as a value for a Kuzu parameter, or undefined (no property).
function fieldValue(col, f) {
  if (f.text === '' && !f.quoted) return undefined;
  const one = s => {
    switch (col.type) {
      case 'int': case 'long': case 'short': case 'byte': return Number(s);
      case 'float': case 'double': return Number(s);
      case 'boolean': return s.toLowerCase() === 'true';
      default: return s;     // strings; temporals are cast in the statement
    }
  };
  if (col.array) return f.text === '' ? [] : f.text.split(';').map(one);
  return one(f.text);
}

// The expression that turns parameter $p into the column's Kuzu type.
function castParam(col, p) {
  const t = KUZU_TYPE[col.type];
  if (col.type === 'date' || col.type === 'localdatetime' || col.type === 'datetime' || col.type === 'duration' ||
      col.type === 'int' || col.type === 'long' || col.type === 'short' || col.type === 'byte')
    return `CAST($${p} AS ${t}${col.array ? '[]' : ''})`;
  return `$${p}`;
}

const q = name => '`' + name.replace(/`/g, '``') + '`';

function main() {
  fs.rmSync(kuzuDb, { recursive: true, force: true });
  const db = new kuzu.Database(kuzuDb), conn = new kuzu.Connection(db);
  const run = (text, params) => {
    let r;
    if (params) {
      const ps = conn.prepareSync(text);
      if (!ps.isSuccess()) throw new Error(`${ps.getErrorMessage()}\n  in: ${text}`);
      r = conn.executeSync(ps, params);
    } else {
      r = conn.querySync(text);
    }
    const rows = r.getAllSync(), names = r.getColumnNamesSync();
    r.close();
    return { rows, names };
  };
  const files = fs.readdirSync(csvDir).filter(f => f.endsWith('.csv')).sort().map(f => readFile(path.join(csvDir, f)));
  const nodeFiles = files.filter(f => f.cols.some(c => c.role === 'ID'));
  const relFiles = files.filter(f => f.cols.some(c => c.role === 'START_ID'));
  const props = cols => cols.filter(c => c.role === '');
  const typeOf = c => KUZU_TYPE[c.type] + (c.array ? '[]' : '');

  // schema: node tables per ID space, rel tables per type
  for (const f of nodeFiles) {
    const id = f.cols.find(c => c.role === 'ID');
    f.space = id.space || path.basename(f.file, '.csv');
    run(`CREATE NODE TABLE ${q(f.space)}(${q(id.name || 'id')} STRING, ` +
      props(f.cols).map(c => `${q(c.name)} ${typeOf(c)}`).concat([`PRIMARY KEY(${q(id.name || 'id')})`]).join(', ') + ')');
  }
  const types = {};
  for (const f of relFiles) {
    const typeCol = f.cols.findIndex(c => c.role === 'TYPE');
    const type = f.rows.length ? f.rows[0][typeCol].text : null;
    if (!type) continue;
    f.type = type;
    f.from = f.cols.find(c => c.role === 'START_ID').space;
    f.to = f.cols.find(c => c.role === 'END_ID').space;
    const t = (types[type] ||= { pairs: new Set(), props: new Map() });
    t.pairs.add(`FROM ${q(f.from)} TO ${q(f.to)}`);
    for (const c of props(f.cols)) {
      const prev = t.props.get(c.name);
      if (prev && typeOf(prev) !== typeOf(c)) throw new Error(`${type}.${c.name}: ${typeOf(prev)} and ${typeOf(c)} in two files`);
      t.props.set(c.name, c);
    }
  }
  for (const [type, t] of Object.entries(types))
    run(`CREATE REL TABLE ${q(type)}(${[...t.pairs, ...[...t.props.values()].map(c => `${q(c.name)} ${typeOf(c)}`)].join(', ')})`);

  // data: one parameterised CREATE per row
  let nodes = 0, rels = 0;
  for (const f of nodeFiles)
    for (const row of f.rows) {
      const params = {}, sets = [];
      f.cols.forEach((c, i) => {
        if (c.role === 'ID') { params.id = row[i].text; sets.push(`${q(c.name || 'id')}: $id`); return; }
        if (c.role !== '') return;
        const v = fieldValue(c, row[i]);
        if (v === undefined) return;
        params[`p${i}`] = v;
        sets.push(`${q(c.name)}: ${castParam(c, `p${i}`)}`);
      });
      run(`CREATE (:${q(f.space)} {${sets.join(', ')}})`, params);
      nodes++;
    }
  for (const f of relFiles) {
    if (!f.type) continue;
    const fromTable = nodeFiles.find(n => n.space === f.from), toTable = nodeFiles.find(n => n.space === f.to);
    const fromKey = fromTable.cols.find(c => c.role === 'ID').name || 'id';
    const toKey = toTable.cols.find(c => c.role === 'ID').name || 'id';
    for (const row of f.rows) {
      const params = {}, sets = [];
      f.cols.forEach((c, i) => {
        if (c.role === 'START_ID') params.s = row[i].text;
        else if (c.role === 'END_ID') params.d = row[i].text;
        else if (c.role === '') {
          const v = fieldValue(c, row[i]);
          if (v === undefined) return;
          params[`p${i}`] = v;
          sets.push(`${q(c.name)}: ${castParam(c, `p${i}`)}`);
        }
      });
      run(`MATCH (a:${q(f.from)} {${q(fromKey)}: $s}), (b:${q(f.to)} {${q(toKey)}: $d}) ` +
        `CREATE (a)-[:${q(f.type)} {${sets.join(', ')}}]->(b)`, params);
      rels++;
    }
  }
  console.log(`kuzu: loaded ${nodes} nodes and ${rels} relationships from ${files.length} files`);

  // the same Cypher in both engines
  const canon = v => {
    if (v === null || v === undefined) return null;
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) return v.map(canon);
    return v;
  };
  const sgCanon = v => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v)) return v.map(sgCanon);
    return v;
  };
  let failed = 0, n = 0;
  const queries = fs.readFileSync(queriesFile, 'utf8').split('\n').map(s => s.trim()).filter(s => s && !s.startsWith('//'));
  for (const text of queries) {
    n++;
    let kz, sg;
    try {
      const r = run(text);
      kz = r.rows.map(row => r.names.map(c => canon(row[c])));
    } catch (e) {
      console.log(`FAIL ${text}\n  kuzu: ${String(e.message).split('\n')[0]}`);
      failed++;
      continue;
    }
    try {
      const out = execFileSync(sgBin, ['--db', sgDb, 'query', '--format', 'json', text], { stdio: ['ignore', 'pipe', 'pipe'] });
      sg = JSON.parse(out.toString()).rows.map(row => row.map(sgCanon));
    } catch (e) {
      console.log(`FAIL ${text}\n  sanctgraph: ${String(e.stderr || e.message).split('\n')[0]}`);
      failed++;
      continue;
    }
    const a = JSON.stringify(kz), b = JSON.stringify(sg);
    if (a === b && kz.length > 0) {
      console.log(`ok   ${kz.length} row(s): ${text}`);
    } else {
      failed++;
      console.log(`FAIL ${text}\n  kuzu:       ${a.slice(0, 400)}\n  sanctgraph: ${b.slice(0, 400)}` +
        (kz.length ? '' : '\n  (no rows: a query must return rows to prove anything)'));
    }
  }
  conn.closeSync();
  db.closeSync();
  console.log(`handoff: ${n - failed} of ${n} queries give the same rows in Kuzu and sanctgraph`);
  process.exit(failed ? 1 : 0);
}

main();
