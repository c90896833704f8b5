#!/usr/bin/env node
// duckdb_run.mjs - loads one table into an in-memory DuckDB and runs a query.
//
//   node duckdb_run.mjs TABLE SCHEMA_JSON ROWS.jsonl QUERY.sql
//
// SCHEMA_JSON is [[column, "text"|"int"], ...] (events.py schema); ROWS.jsonl
// holds one JSON object per row (events.py table). Prints each result row as
// a JSON array on its own line, values as DuckDB returns them (big integers
// as decimal text).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [table, schemaText, rowsPath, queryPath] = process.argv.slice(2);
const schema = JSON.parse(schemaText);
const q = (name) => '"' + name.replaceAll('"', '""') + '"';
const lit = (s) => "'" + s.replaceAll("'", "''") + "'";

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const cols = schema.map(([n, t]) => `${q(n)} ${t === 'int' ? 'BIGINT' : 'VARCHAR'}`);
await con.run(`CREATE TABLE ${q(table)} (${cols.join(', ')})`);
// read_json with the columns named: no type guessing, a missing key is NULL.
const spec = schema.map(([n, t]) => `${lit(n)}: '${t === 'int' ? 'BIGINT' : 'VARCHAR'}'`);
await con.run(`INSERT INTO ${q(table)} SELECT ${schema.map(([n]) => q(n)).join(', ')} FROM ` +
  `read_json(${lit(rowsPath)}, format='newline_delimited', columns={${spec.join(', ')}})`);
const reader = await con.runAndReadAll(readFileSync(queryPath, 'utf8'));
for (const r of reader.getRows())
  console.log(JSON.stringify(r.map((v) => (typeof v === 'bigint' ? v.toString() :
    v === null || typeof v !== 'object' ? v : String(v)))));
