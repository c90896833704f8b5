#!/usr/bin/env node
// hunt_oracle.mjs - an independent oracle for `mailc2 hunt --now latest --format csv`.
//
// Usage: node tests/oracle/hunt_oracle.mjs FILE_OR_DIR...
//
// Reads Falcon NDJSON (files, or directories walked recursively), runs the
// hand-written DuckDB query in hunt.sql, and prints the CSV mailc2 prints:
// header `host,process,user,dst_ip,dst_port,protocol,count,first_seen,last_seen,bytes_out`,
// RFC 4180 quoting only where a field needs it, NULL as an empty field, '\n'
// line ends. Statistics go to stderr. It shares no code with mailc2.
// Exit status: 0 when it ran (rows or not), 2 usage, 3 error.
//
// Malformed lines: DuckDB's read_json(..., ignore_errors=true) does NOT drop
// a bad line: it returns it as a row whose every column is NULL (checked on
// DuckDB 1.5 with a truncated object, an invalid escape and a non-JSON line).
// Such rows would inflate the event count and cannot be told apart from a
// valid `{}`. So each non-blank line is first checked with JSON.parse here,
// only lines that hold a JSON object are passed on (through a temporary
// file), and DuckDB reads that file with read_json as usual. Blank lines are
// not records and are not counted as bad.

import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { csvField, listFiles } from './common.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const HEADER = 'host,src_ip,process,user,dst_ip,dst_port,protocol,count,first_seen,last_seen,' +
  'bytes_out,command_line,lacks,bytes_in,not_mail,duration_ms';
const COLUMNS = ['event_simpleName', 'ConnectionDirection', 'ContextTimeStamp', 'timestamp',
  'RemotePort', 'ImageFileName', 'ContextBaseFileName', 'ComputerName', 'UserName',
  'RemoteAddressIP4', 'RemoteAddressIP6', 'LocalAddressIP4', 'LocalAddressIP6', 'CommandLine',
  'aid', 'ContextProcessId', 'TargetProcessId'];
const MAIL_PORTS = new Set([25, 465, 587, 110, 995, 143, 993]);

function sqlString(s) {
  return "'" + s.replace(/'/g, "''") + "'";
}

async function main(args) {
  if (args.length === 0) {
    process.stderr.write('usage: node hunt_oracle.mjs FILE_OR_DIR...\n');
    return 2;
  }
  const files = args.flatMap(listFiles);
  const stats = { files: files.length, events: 0, malformed: 0, connections: 0,
    mailPortConnections: 0 };
  const good = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;                 // blank: not a record
      let v;
      try { v = JSON.parse(line); } catch { v = undefined; }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        stats.malformed++;
        process.stderr.write(`oracle: skipped malformed line ${file}:${i + 1}\n`);
        return;
      }
      stats.events++;
      if (v.event_simpleName === 'NetworkConnectIP4' || v.event_simpleName === 'NetworkConnectIP6') {
        stats.connections++;
        if (/^[0-9]+$/.test(String(v.RemotePort ?? '')) && MAIL_PORTS.has(Number(v.RemotePort))) {
          stats.mailPortConnections++;
        }
      }
      good.push(line);
    });
  }

  const scratch = mkdtempSync(join(tmpdir(), 'mailc2-oracle-'));
  try {
    const input = join(scratch, 'events.ndjson');
    writeFileSync(input, good.length ? good.join('\n') + '\n' : '');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const cols = COLUMNS.map((c) => `"${c}": 'VARCHAR'`).join(', ');
    // An empty file gives read_json nothing to read: give it one empty object.
    if (good.length === 0) writeFileSync(input, '{}\n');
    await con.run(`CREATE TEMP VIEW falcon AS
      SELECT * FROM read_json(${sqlString(input)}, format = 'newline_delimited',
                              columns = {${cols}}, ignore_errors = true)`);
    const n = (await con.runAndReadAll('SELECT count(*) FROM falcon')).getRows()[0][0];
    if (Number(n) !== Math.max(good.length, 1)) {
      throw new Error(`DuckDB read ${n} rows from ${good.length} valid lines`);
    }
    // Byte order check: 'B' (0x42) sorts before 'a' (0x61) under COLLATE "binary".
    const order = (await con.runAndReadAll(
      `SELECT 'B' COLLATE "binary" < 'a' COLLATE "binary"`)).getRows()[0][0];
    if (order !== true) throw new Error('DuckDB does not compare strings in byte order');

    const sql = readFileSync(join(HERE, 'hunt.sql'), 'utf8');
    const result = await con.runAndReadAll(sql);
    const names = result.columnNames();
    const expectNames = HEADER.split(',');
    if (names.join(',') !== HEADER) {
      throw new Error(`hunt.sql returned columns ${names.join(',')}, want ${expectNames.join(',')}`);
    }
    const rows = result.getRows();
    let out = HEADER + '\n';
    for (const row of rows) {
      out += row.map(csvField).join(',') + '\n';
    }
    process.stdout.write(out);

    const now = (await con.runAndReadAll(
      "SELECT strftime(epoch_ms(now_ms), '%Y-%m-%dT%H:%M:%S.%gZ') FROM anchor")).getRows()[0][0];
    process.stderr.write(
      `oracle: ${stats.files} file(s), ${stats.events} events read, ${stats.malformed} malformed ` +
      `line(s) skipped, ${stats.connections} connection events, ` +
      `${stats.mailPortConnections} connections to mail ports, now=${now ?? 'none'}, ` +
      `${rows.length} row(s)\n`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`oracle: ${err.stack || err}\n`); process.exitCode = 3; },
);
