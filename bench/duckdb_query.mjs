#!/usr/bin/env node
// duckdb_query.mjs - run one of the test oracles' SQL on DuckDB over a Falcon
// NDJSON file read by DuckDB itself (read_json), as a child process of
// bench/suite.mjs, so that its CPU time and peak RSS can be measured like any
// other engine's (/usr/bin/time around the process).
//
// Usage: node bench/duckdb_query.mjs [--threads N] [--oracle DIR] [--load view|table]
//                                    hunt|logscale|aql FILE
//
//   hunt      tests/oracle/hunt.sql         over view/table `falcon`
//   logscale  tests/oracle/logscale_seed.sql over `ev` (seq + 7 columns)
//   aql       tests/oracle/aql_seed.sql      over `falcon` (13 columns) and an
//                                            empty `qradar` table
//
// What differs from the oracles (tests/oracle/*_oracle.mjs), and why it does
// not change the rows on the benchmark data:
// - The oracles check each line with JSON.parse in node and load DuckDB through
//   the appender (or a filtered temporary file); here DuckDB reads the file
//   with read_json(format='newline_delimited', columns={... VARCHAR}), which is
//   what a DuckDB user would do. tools/gen_falcon.py --bench writes no
//   malformed lines and every value is a JSON string, so each VARCHAR column
//   holds the same text the oracles' decoding gives (a JSON number would be
//   re-printed by DuckDB; there are none).
// - logscale_seed.sql's `seq` (the input position) only breaks ties between
//   different texts of the same number in min/max(ContextTimeStamp); the
//   bench data writes every timestamp as "SECONDS.mmm", so equal numbers have
//   equal text and seq is 0 here (numbering the rows would cost a window
//   over the whole input that the query does not otherwise need).
// The rows are compared with mailc2's by bench/suite.mjs; a difference voids
// the run.
//
// --load view (default for hunt and logscale): the input is a view, so DuckDB
// reads the JSON once per reference in the query; --load table (default for
// aql, whose SQL reads `falcon` four times: the address table, NOW(), the
// loopback count and the seed) reads it once into a temporary table first.
// The time of that load is part of the timed section.
//
// Output: the CSV (header + rows, RFC 4180 quoting only where needed, as the
// oracles write it) on stdout; on stderr one line
//   duckdb: SECONDS ROWS
// the seconds from before the first statement to after the CSV is built
// (node's start-up and module load are outside it). Exit 0 ok, 1 error, 2 usage.

import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The input columns each oracle declares (every one VARCHAR).
const HUNT_COLUMNS = ['event_simpleName', 'ConnectionDirection', 'ContextTimeStamp', 'timestamp',
  'RemotePort', 'ImageFileName', 'ContextBaseFileName', 'ComputerName', 'UserName',
  'RemoteAddressIP4', 'RemoteAddressIP6', 'LocalAddressIP4', 'LocalAddressIP6', 'CommandLine',
  'aid', 'ContextProcessId', 'TargetProcessId'];
const LOGSCALE_COLUMNS = ['event_simpleName', 'RemotePort', 'ImageFileName', 'ComputerName',
  'RemoteAddressIP4', 'UserName', 'ContextTimeStamp'];
const AQL_COLUMNS = ['event_simpleName', 'ConnectionDirection', 'ContextTimeStamp', 'timestamp',
  'LocalAddressIP4', 'LocalAddressIP6', 'LocalPort', 'RemoteAddressIP4', 'RemoteAddressIP6',
  'RemotePort', 'UserName', 'ImageFileName', 'ContextBaseFileName'];
const AQL_QRADAR = ['starttime', 'sourceip', 'destinationip', 'sourceport', 'destinationport',
  'username', 'process_name', 'bytes_sent', 'eventdirection', 'has_direction'];

const QUERIES = {
  hunt: { sql: 'hunt.sql', table: 'falcon', columns: HUNT_COLUMNS, seq: false, load: 'view' },
  logscale: { sql: 'logscale_seed.sql', table: 'ev', columns: LOGSCALE_COLUMNS, seq: true, load: 'view' },
  aql: { sql: 'aql_seed.sql', table: 'falcon', columns: AQL_COLUMNS, seq: false, load: 'table',
    qradar: true },
};

function usage() {
  process.stderr.write('usage: node bench/duckdb_query.mjs [--threads N] [--oracle DIR] ' +
    '[--load view|table] hunt|logscale|aql FILE\n');
  process.exit(2);
}

function sqlString(s) {
  return "'" + s.replace(/'/g, "''") + "'";
}

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

async function main(argv) {
  let threads = null;
  let oracle = join(ROOT, 'tests/oracle');
  let load = null;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--threads') threads = argv[++i];
    else if (argv[i] === '--oracle') oracle = argv[++i];
    else if (argv[i] === '--load') load = argv[++i];
    else if (argv[i].startsWith('--')) usage();
    else rest.push(argv[i]);
  }
  const q = QUERIES[rest[0]];
  if (rest.length !== 2 || !q || (load && load !== 'view' && load !== 'table')) usage();
  const file = resolve(rest[1]);
  const sql = readFileSync(join(oracle, q.sql), 'utf8');

  const db = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : undefined);
  const con = await db.connect();
  const t0 = process.hrtime.bigint();
  // DuckDB picks the codec from the name (.gz, .zst) with compression 'auto'.
  const cols = q.columns.map((c) => `"${c}": 'VARCHAR'`).join(', ');
  const select = `SELECT ${q.seq ? '0::BIGINT AS seq, ' : ''}${q.columns.map((c) => `"${c}"`).join(', ')}
    FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${cols}})`;
  const kind = (load ?? q.load) === 'table' ? 'TABLE' : 'VIEW';
  await con.run(`CREATE OR REPLACE TEMP ${kind} ${q.table} AS ${select}`);
  if (q.qradar) {
    await con.run(`CREATE TEMP TABLE qradar (${AQL_QRADAR.map((c) => `"${c}" VARCHAR`).join(', ')})`);
  }
  const result = await con.runAndReadAll(sql);
  let csv = result.columnNames().join(',') + '\n';
  const rows = result.getRows();
  for (const row of rows) csv += row.map(csvField).join(',') + '\n';
  const t1 = process.hrtime.bigint();
  process.stdout.write(csv);
  process.stderr.write(`duckdb: ${(Number(t1 - t0) / 1e9).toFixed(4)} ${rows.length}\n`);
  con.closeSync();
  db.closeSync();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`duckdb: ${err.stack || err}\n`); process.exitCode = 1; },
);
