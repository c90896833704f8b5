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
//   So after JSON.parse has accepted the line, jsonMembers() (common.mjs) scans
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
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { gunzipSync } from 'node:zlib';

import { csvField, jsonMembers, listFiles, splitLines } from './common.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const HEADER = 'ComputerName,ImageFileName,RemoteAddressIP4,RemotePort,Protocol,UserName,' +
  'ConnectionCount,FirstSeen,LastSeen';
// The fields the seed reads (Falcon's own Protocol is overwritten, so unused).
const FIELDS = ['event_simpleName', 'RemotePort', 'ImageFileName', 'ComputerName',
  'RemoteAddressIP4', 'UserName', 'ContextTimeStamp'];

function readBytes(file) {
  const raw = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(raw) : raw;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
      const f = jsonMembers(line);
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
