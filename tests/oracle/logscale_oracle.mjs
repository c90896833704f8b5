#!/usr/bin/env node
// logscale_oracle.mjs - an independent oracle for
//   mailc2 run --format csv ../shared/seeds/t1071_003.logscale PATH...
//
// Usage: node tests/oracle/logscale_oracle.mjs FILE_OR_DIR...
//
// Reads Falcon JSON lines (files, or directories walked recursively in byte
// order of names; `*.gz` files are gunzipped), loads every valid event into
// DuckDB and runs logscale_seed.sql, the seed written by hand as SQL from
// ../shared/docs/logscale.md. Prints the CSV mailc2 prints:
//   ComputerName,ImageFileName,RemoteAddressIP4,RemotePort,Protocol,UserName,ConnectionCount,FirstSeen,LastSeen
// RFC 4180 quoting only when a field holds a comma, a quote, CR or LF; an
// absent value is an empty field; every line ends in '\n'. A one-line summary
// goes to stderr. It shares no code with mailc2.
// Exit status: 0 when it ran (rows or not), 2 usage, 3 error.
//
// Decoding (logscale.md §2: "every key becomes a field with its string value
// (numbers keep their JSON text)"):
// - A line is split off at '\n'. Blank lines (only whitespace) are not
//   records. Any other line must be valid UTF-8 and parse with JSON.parse as
//   a JSON object, else it is a malformed line: counted, reported on stderr,
//   skipped. (DuckDB's own read_json(ignore_errors) would turn a bad line into
//   an all-NULL row instead of dropping it, so DuckDB never sees raw lines.)
//   A UTF-8 byte order mark is not stripped (JSON.parse then rejects the
//   line), and a line with invalid UTF-8 is malformed; logscale.md decides
//   neither. A '\r' before the '\n' is JSON whitespace and is accepted.
// - JSON.parse turns numbers into doubles and loses their text (25.0 -> 25,
//   1795392005.000 -> 1795392005), and Node 20 has no reviver source access.
//   So after JSON.parse has accepted the line, topLevelFields() below scans
//   the (now known valid) line once more and takes each top-level member's
//   value text itself: a string is decoded (by JSON.parse of just that string
//   token), a number, true or false is kept as its exact JSON text (`25`,
//   `25.0`, `1795392005.000`, `1e3`, `true`). A JSON null is not a string
//   value, so the field is treated as absent; a nested object or array is kept
//   as its JSON text. logscale.md does not decide null/object/array; the
//   seed's fields are strings in Falcon data, and the e2e fixture avoids them.
// - A key repeated in one object: the last occurrence wins, as in JSON.parse
//   (logscale.md does not say).
// Every value reaches DuckDB as VARCHAR through the appender, so DuckDB never
// casts or reformats a number.

import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const HEADER = 'ComputerName,ImageFileName,RemoteAddressIP4,RemotePort,Protocol,UserName,' +
  'ConnectionCount,FirstSeen,LastSeen';
// The fields the seed reads (Falcon's own Protocol is overwritten, so unused).
const FIELDS = ['event_simpleName', 'RemotePort', 'ImageFileName', 'ComputerName',
  'RemoteAddressIP4', 'UserName', 'ContextTimeStamp'];

function listFiles(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path).sort()           // JS sort of strings: UTF-16 order
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => listFiles(join(path, name)));
}

function readBytes(file) {
  const raw = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(raw) : raw;
}

// Split a buffer into lines at '\n' (a trailing '\n' does not start a line).
function splitLines(buf) {
  const lines = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) {
      if (start < buf.length) lines.push(buf.subarray(start));
      return lines;
    }
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// topLevelFields(text): Map of key -> value text (null = absent) for a line
// that JSON.parse has already accepted as an object. Only scans; validity is
// JSON.parse's job.
function topLevelFields(text) {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  const stringEnd = (from) => {             // text[from] === '"'; index after closing quote
    let j = from + 1;
    while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  const valueEnd = (from) => {              // index just after the value starting at from
    const c = text[from];
    if (c === '"') return stringEnd(from);
    if (c === '{' || c === '[') {
      let depth = 0;
      let j = from;
      for (;;) {
        const d = text[j];
        if (d === '"') { j = stringEnd(j); continue; }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') { depth--; if (depth === 0) return j + 1; }
        j++;
      }
    }
    let j = from;                           // number, true, false, null
    while (j < text.length && !' \t\r\n,}]'.includes(text[j])) j++;
    return j;
  };
  const fields = new Map();
  ws();
  i++;                                      // '{'
  ws();
  if (text[i] === '}') return fields;
  for (;;) {
    ws();
    const kEnd = stringEnd(i);
    const key = JSON.parse(text.slice(i, kEnd));
    i = kEnd;
    ws();
    i++;                                    // ':'
    ws();
    const vEnd = valueEnd(i);
    const tok = text.slice(i, vEnd);
    let value;
    if (tok[0] === '"') value = JSON.parse(tok);        // decoded string
    else if (tok === 'null') value = null;              // absent
    else value = tok;                       // number/true/false/object/array: JSON text
    fields.set(key, value);                 // last duplicate wins, as JSON.parse
    i = vEnd;
    ws();
    if (text[i] === ',') { i++; continue; }
    return fields;                          // '}'
  }
}

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

async function main(args) {
  if (args.length === 0 || args.some((a) => a === '-h' || a === '--help')) {
    process.stderr.write('usage: node logscale_oracle.mjs FILE_OR_DIR...\n');
    return 2;
  }
  const files = args.flatMap(listFiles);
  const stats = { files: files.length, events: 0, malformed: 0, tagged: 0 };

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  // Byte order check: 'B' (0x42) < 'a' (0x61) and 'z' (0x7a) < 'é' (0xc3 0xa9).
  const order = (await con.runAndReadAll(
    `SELECT 'B' COLLATE "binary" < 'a' COLLATE "binary"
        AND 'z' COLLATE "binary" < 'é' COLLATE "binary"`)).getRows()[0][0];
  if (order !== true) throw new Error('DuckDB does not compare strings in byte order');

  await con.run(`CREATE TEMP TABLE ev (seq BIGINT, ${FIELDS.map((f) => `"${f}" VARCHAR`).join(', ')})`);
  const app = await con.createAppender('ev');
  let seq = 0n;
  for (const file of files) {
    splitLines(readBytes(file)).forEach((bytes, n) => {
      let line;
      try { line = utf8.decode(bytes); } catch { line = undefined; }
      if (line !== undefined && line.trim() === '') return;     // blank: not a record
      let v;
      if (line !== undefined) {
        try { v = JSON.parse(line); } catch { v = undefined; }
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        stats.malformed++;
        process.stderr.write(`oracle: skipped malformed line ${file}:${n + 1}\n`);
        return;
      }
      stats.events++;
      const f = topLevelFields(line);
      if (f.get('event_simpleName') === 'NetworkConnectIP4') stats.tagged++;
      app.appendBigInt(seq++);
      for (const name of FIELDS) {
        const x = f.get(name);
        if (x === null || x === undefined) app.appendNull();
        else app.appendVarchar(x);
      }
      app.endRow();
    });
  }
  app.closeSync();
  const n = (await con.runAndReadAll('SELECT count(*) FROM ev')).getRows()[0][0];
  if (BigInt(n) !== seq) throw new Error(`DuckDB holds ${n} events, ${seq} appended`);

  const sql = readFileSync(join(HERE, 'logscale_seed.sql'), 'utf8');
  const result = await con.runAndReadAll(sql);
  const names = result.columnNames().join(',');
  if (names !== HEADER) throw new Error(`logscale_seed.sql returned columns ${names}, want ${HEADER}`);
  const rows = result.getRows();
  let out = HEADER + '\n';
  for (const row of rows) out += row.map(csvField).join(',') + '\n';
  process.stdout.write(out);
  process.stderr.write(
    `oracle: ${stats.files} file(s), ${stats.events} events read, ${stats.malformed} malformed ` +
    `line(s) skipped, ${stats.tagged} NetworkConnectIP4, ${rows.length} row(s)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`oracle: ${err.stack || err}\n`); process.exitCode = 3; },
);
