#!/usr/bin/env node
// aql_oracle.mjs - an independent oracle for
//   mailc2 run --now latest --format csv ../shared/seeds/t1071_003.aql PATH...
//
// Usage: node tests/oracle/aql_oracle.mjs FILE_OR_DIR...
//
// Loads the events of every file (directories are walked recursively, names
// in byte order, names starting with '.' skipped) into DuckDB and runs
// aql_seed.sql, the AQL seed written by hand as SQL from ../shared/docs/aql.md
// and fields.md. Prints the CSV mailc2 prints:
//   sourceip,destinationip,destinationport,username,Process Name,
//   ConnectionCount,TotalBytesSent,FirstSeen,LastSeen,MailProtocol
// (one header line), RFC 4180 quoting only when a field holds a comma, a
// quote, CR or LF; NULL is an empty field; every line ends in '\n'. A summary
// line goes to stderr:
//   oracle: F file(s), E events read, B malformed line(s) skipped,
//   now=ISO, L loopback connection(s) removed by the direction filter, R row(s)
// It shares no code with mailc2.
// Exit status: 0 when it ran (rows or not), 2 usage, 3 error.
//
// Input formats, chosen per file from its content:
// - Falcon JSON lines (the default). Each line is split off at '\n'; a line of
//   only whitespace is not a record; any other line must be valid UTF-8 and
//   parse (JSON.parse) as a JSON object, else it is malformed: counted,
//   reported, skipped. DuckDB never sees raw lines: its read_json(ignore_errors)
//   turns a bad line into an all-NULL row, and it rewrites number text
//   (1795392005.000 -> 1795392005.0). So the members are taken here:
//   a string value is decoded, a number / true / false keeps its exact JSON
//   text, null counts as absent, an object or array is kept as its JSON text;
//   a repeated key: the last one wins (as JSON.parse).
// - QRadar exports (aql.md §5, fields.md §2 "QRadar export"): AQL columns are
//   native. A JSON document whose top level is an object with an "events"
//   array (the Ariel search-results shape) or an array of objects; a CSV whose
//   header names AQL columns or their display names; LEEF lines
//   ("LEEF:1.0|..." / "LEEF:2.0|..."). See the QRADAR section below for the
//   names each column is read from.
//
// Every value reaches DuckDB as VARCHAR through the appender.

import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { csvField, jsonMembers, listFiles, splitLines } from './common.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const HEADER = 'sourceip,destinationip,destinationport,username,Process Name,' +
  'ConnectionCount,TotalBytesSent,FirstSeen,LastSeen,MailProtocol';

// The Falcon fields the AQL view reads (fields.md §3, the brief).
const FALCON_FIELDS = ['event_simpleName', 'ConnectionDirection', 'ContextTimeStamp', 'timestamp',
  'LocalAddressIP4', 'LocalAddressIP6', 'LocalPort', 'RemoteAddressIP4', 'RemoteAddressIP6',
  'RemotePort', 'UserName', 'ImageFileName', 'ContextBaseFileName'];

// The QRadar columns the seed reads, each with the names an export may give
// it (matched case-insensitively, aql.md §1 "Matching of names is
// case-insensitive"): the AQL name and the Log Activity display name.
// `has_direction` is no export column: the oracle sets it to '1' when the
// record carries an event direction column (even an empty one), so the SQL
// takes the direction as exported; LEEF has none, and then it is computed
// from the addresses (aql.md §5).
const QRADAR_COLUMNS = {
  starttime: ['starttime', 'Start Time'],
  sourceip: ['sourceip', 'Source IP'],
  destinationip: ['destinationip', 'Destination IP'],
  sourceport: ['sourceport', 'Source Port'],
  destinationport: ['destinationport', 'Destination Port'],
  username: ['username', 'Username'],
  process_name: ['Process Name'],
  bytes_sent: ['Bytes Sent'],
  eventdirection: ['eventdirection', 'Event Direction'],
  has_direction: [],
};
// LEEF attribute keys for the same columns: the LEEF 1.0/2.0 predefined keys
// (src, dst, srcPort, dstPort, usrName, srcBytes, devTime) and the
// processName attribute that a "Process Name" custom property reads.
const LEEF_KEYS = {
  sourceip: ['src'], destinationip: ['dst'], sourceport: ['srcPort'],
  destinationport: ['dstPort'], username: ['usrName'], bytes_sent: ['srcBytes'],
  process_name: ['processName'], eventdirection: ['eventDirection'],
};

// Times (aql.md §2: starttime is ms since the epoch, UTC; a file has no
// receive time, so it is the record's own time). Accepted: epoch ms digits;
// a Java date pattern (LEEF devTimeFormat) made of the letters below; the
// Log Activity UI form "Nov 23, 2026, 8:05:12 AM". No zone in the text: UTC.
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
function timeByPattern(text, pattern) {
  const tokens = pattern.match(/(MMM|MM|M|dd|d|yyyy|HH|H|hh|h|mm|ss|SSS|a|'[^']*'|[^A-Za-z']+|[A-Za-z])/g) || [];
  const parts = {};
  let re = '';
  const groups = [];
  for (const t of tokens) {
    const g = {
      MMM: '([A-Za-z]{3})', MM: '([0-9]{2})', M: '([0-9]{1,2})', dd: '([0-9]{2})', d: '([0-9]{1,2})',
      yyyy: '([0-9]{4})', HH: '([0-9]{2})', H: '([0-9]{1,2})', hh: '([0-9]{2})', h: '([0-9]{1,2})',
      mm: '([0-9]{2})', ss: '([0-9]{2})', SSS: '([0-9]{3})', a: '(AM|PM|am|pm)',
    }[t];
    if (g) { re += g; groups.push(t); continue; }
    if (/^[A-Za-z]$/.test(t)) return null;                 // a letter we do not know
    const lit = t.startsWith("'") ? t.slice(1, -1) : t;
    re += lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp('^' + re + '$').exec(text);
  if (!m) return null;
  groups.forEach((t, k) => { parts[t] = m[k + 1]; });
  const month = parts.MMM !== undefined ? MONTHS.indexOf(parts.MMM.toLowerCase())
    : Number(parts.MM ?? parts.M) - 1;
  let hour = Number(parts.HH ?? parts.H ?? parts.hh ?? parts.h ?? 0);
  if (parts.a !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (parts.a.toLowerCase() === 'pm' ? 12 : 0);
  }
  const day = Number(parts.dd ?? parts.d);
  const min = Number(parts.mm ?? 0);
  const sec = Number(parts.ss ?? 0);
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) return null;
  const ms = Date.UTC(Number(parts.yyyy), month, day, hour, min, sec, Number(parts.SSS ?? 0));
  if (new Date(ms).getUTCDate() !== day) return null;       // Feb 30 and the like
  return String(ms);
}
function qradarTime(text, pattern) {
  if (text === null || text === undefined) return null;
  if (/^[0-9]+$/.test(text)) return text;
  if (pattern) return timeByPattern(text, pattern);
  return timeByPattern(text, 'MMM d, yyyy, h:mm:ss a');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function utf8(bytes) {
  try { return UTF8.decode(bytes); } catch { return null; }
}

// ---- Falcon ---------------------------------------------------------------
function readFalcon(file, buf, sink, stats) {
  splitLines(buf).forEach((bytes, n) => {
    const text = utf8(bytes);
    if (text !== null && text.trim() === '') return;      // blank: not a record
    let v;
    try { v = text === null ? undefined : JSON.parse(text); } catch { v = undefined; }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      stats.malformed++;
      process.stderr.write(`oracle: ${file}:${n + 1}: malformed line skipped\n`);
      return;
    }
    stats.events++;
    const m = jsonMembers(text);
    for (const [k, v] of m) if (v === null) m.delete(k); // null: absent
    sink.falcon.push(FALCON_FIELDS.map((f) => (m.has(f) ? m.get(f) : null)));
  });
}

// ---- QRadar ---------------------------------------------------------------
// get(name) -> the record's text for an exported name (case-insensitive), null
// for an empty / null value, undefined when the record has no such name.
function qradarRow(get, extraKeys = {}) {
  const row = {};
  for (const [col, names] of Object.entries(QRADAR_COLUMNS)) {
    row[col] = null;
    for (const n of [...names, ...(extraKeys[col] || [])]) {
      const v = get(n);
      if (v !== undefined) { row[col] = v; break; }
    }
  }
  const dir = [...QRADAR_COLUMNS.eventdirection, ...(extraKeys.eventdirection || [])]
    .some((n) => get(n) !== undefined);
  row.has_direction = dir ? '1' : null;
  return row;
}

function lowerKeyed(entries) {
  const m = new Map();
  for (const [k, v] of entries) m.set(k.toLowerCase(), v);
  return (name) => m.get(name.toLowerCase());
}

function jsonScalar(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function finish(row) {
  row.starttime = qradarTime(row.starttime);
  return Object.keys(QRADAR_COLUMNS).map((c) => row[c]);
}

// Ariel search results: {"events": [ {...}, ... ]} (or a bare array).
// JSON numbers come back from JSON.parse as numbers; the columns read here
// (ports, ms times) are integers well inside 2^53, so String() keeps them.
function readQradarJson(file, doc, sink, stats) {
  const records = Array.isArray(doc) ? doc : doc.events;
  for (const r of records) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      stats.malformed++;
      continue;
    }
    stats.events++;
    sink.qradar.push(finish(qradarRow(lowerKeyed(Object.entries(r).map(([k, v]) => [k, jsonScalar(v)])))));
  }
}

// RFC 4180 CSV -> array of records (arrays of field texts).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

// Log Activity CSV export: a header of display names (AQL names accepted),
// one record per line. An empty cell is an absent value (NULL): a CSV cannot
// tell '' from NULL, and QRadar exports a missing property as an empty cell.
function readQradarCsv(file, text, sink, stats) {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift() || [];
  for (const r of rows) {
    if (r.length === 1 && r[0].trim() === '') continue;  // blank line
    if (r.length !== header.length) {
      stats.malformed++;
      process.stderr.write(`oracle: ${file}: CSV record with ${r.length} fields, header has ${header.length}; skipped\n`);
      continue;
    }
    stats.events++;
    sink.qradar.push(finish(qradarRow(lowerKeyed(header.map((h, k) => [h.trim(), r[k] === '' ? null : r[k]])))));
  }
}

// LEEF: [syslog header] "LEEF:Version|Vendor|Product|Version|EventID|" then
// attributes key=value separated by a tab (1.0) or by the delimiter in a 6th
// header field (2.0: one character, or "xHH" / "0xHH" hex). devTime is epoch
// ms, or follows devTimeFormat (a Java date pattern).
function readLeef(file, buf, sink, stats) {
  splitLines(buf).forEach((bytes, n) => {
    const line = (utf8(bytes) ?? '').replace(/\r$/, '');
    if (line.trim() === '') return;
    const at = line.indexOf('LEEF:');
    const parts = at < 0 ? [] : line.slice(at).split('|');
    const v2 = parts[0] === 'LEEF:2.0';
    const nHeader = v2 ? 6 : 5;
    if (at < 0 || !/^LEEF:[12]\.0$/.test(parts[0]) || parts.length < nHeader + 1) {
      stats.malformed++;
      process.stderr.write(`oracle: ${file}:${n + 1}: not a LEEF line; skipped\n`);
      return;
    }
    let delim = '\t';
    if (v2 && parts[5] !== '') {
      const d = parts[5];
      delim = /^0?x[0-9a-fA-F]{2,4}$/.test(d) ? String.fromCharCode(parseInt(d.replace(/^0?x/, ''), 16)) : d;
    }
    const m = new Map();
    for (const kv of parts.slice(nHeader).join('|').split(delim)) {
      const eq = kv.indexOf('=');
      if (eq > 0) m.set(kv.slice(0, eq).toLowerCase(), kv.slice(eq + 1) === '' ? null : kv.slice(eq + 1));
    }
    stats.events++;
    const get = (name) => m.get(name.toLowerCase());
    const row = qradarRow(get, LEEF_KEYS);
    // starttime: the record's own time, devTime (aql.md §2 decision).
    row.starttime = row.starttime ?? null;
    if (row.starttime === null && get('devTime')) {
      row.starttime = qradarTime(get('devTime'), get('devTimeFormat'));
    } else {
      row.starttime = qradarTime(row.starttime);
    }
    sink.qradar.push(Object.keys(QRADAR_COLUMNS).map((c) => row[c]));
  });
}

function readFile(file, sink, stats) {
  const buf = readFileSync(file);
  const head = buf.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^[^\n]*LEEF:[12]\.0\|/.test(head)) return readLeef(file, buf, sink, stats);
  if (head.startsWith('{') || head.startsWith('[')) {
    // A whole-file JSON document of QRadar records, else Falcon JSON lines.
    let doc;
    try { doc = JSON.parse(buf.toString('utf8')); } catch { doc = undefined; }
    if (doc !== undefined && (Array.isArray(doc) || (doc && Array.isArray(doc.events)))) {
      return readQradarJson(file, doc, sink, stats);
    }
    return readFalcon(file, buf, sink, stats);
  }
  const first = head.split('\n')[0].toLowerCase();
  if (/(^|,)"?(sourceip|source ip|starttime|start time)"?(,|$)/.test(first)) {
    return readQradarCsv(file, buf.toString('utf8'), sink, stats);
  }
  return readFalcon(file, buf, sink, stats);
}

async function load(con, table, columns, rows) {
  await con.run(`CREATE TABLE ${table} (${columns.map((c) => `"${c}" VARCHAR`).join(', ')})`);
  const app = await con.createAppender(table);
  for (const row of rows) {
    for (const v of row) {
      if (v === null) app.appendNull(); else app.appendVarchar(v);
    }
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
  const n = (await con.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0];
  if (Number(n) !== rows.length) throw new Error(`DuckDB holds ${n} ${table} rows, want ${rows.length}`);
}

async function main(args) {
  if (args.length === 0) {
    process.stderr.write('usage: node aql_oracle.mjs FILE_OR_DIR...\n');
    return 2;
  }
  const files = args.flatMap(listFiles);
  const stats = { events: 0, malformed: 0 };
  const sink = { falcon: [], qradar: [] };
  for (const f of files) readFile(f, sink, stats);

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await load(con, 'falcon', FALCON_FIELDS, sink.falcon);
  await load(con, 'qradar', Object.keys(QRADAR_COLUMNS), sink.qradar);
  // Byte order check for COLLATE "binary": 'B' (0x42) < 'a' (0x61) < 'é' (0xC3...).
  const ok = (await con.runAndReadAll(
    `SELECT 'B' COLLATE "binary" < 'a' COLLATE "binary" AND 'a' COLLATE "binary" < 'é' COLLATE "binary"`,
  )).getRows()[0][0];
  if (ok !== true) throw new Error('DuckDB does not compare strings in byte order');

  const result = await con.runAndReadAll(readFileSync(join(HERE, 'aql_seed.sql'), 'utf8'));
  if (result.columnNames().join(',') !== HEADER) {
    throw new Error(`aql_seed.sql returned ${result.columnNames().join(',')}, want ${HEADER}`);
  }
  const rows = result.getRows();
  let out = HEADER + '\n';
  for (const row of rows) out += row.map(csvField).join(',') + '\n';
  process.stdout.write(out);

  const now = (await con.runAndReadAll(
    "SELECT strftime(epoch_ms(now_ms), '%Y-%m-%dT%H:%M:%S.%gZ') FROM aql_now")).getRows()[0][0];
  const loop = (await con.runAndReadAll('SELECT n FROM aql_loopback')).getRows()[0][0];
  process.stderr.write(
    `oracle: ${files.length} file(s), ${stats.events} events read, ${stats.malformed} malformed ` +
    `line(s) skipped, now=${now ?? 'none'}, ${loop} loopback connection(s) removed by the ` +
    `direction filter, ${rows.length} row(s)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`oracle: ${err.stack || err}\n`); process.exitCode = 3; },
);
