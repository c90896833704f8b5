#!/usr/bin/env node
// bench.mjs - mailc2 against DuckDB: the same file, the same hunt, one run.
//
// Usage: node bench/bench.mjs [--bin PATH] [--runs N] [--out PREFIX] [--no-duckdb-1-thread]
//                             [--variant ARGS]... [--no-variants] [--rev LABEL] [--oracle DIR]
//                             PLAIN.ndjson [GZIP.ndjson.gz]
//
//   --oracle DIR: where hunt.sql and hunt_oracle.mjs are (default tests/oracle
//   of this checkout; run.sh passes the exported revision's with MAILC2_REV).
//
//   --rev LABEL names the mailc2 revision under test (default: this checkout's
//   HEAD, "+dirty" when src/, include/ or CMakeLists.txt have local changes).
//
//   mailc2:  `mailc2 hunt --now latest --sort count --columns (the oracle's) --format csv --quiet FILE`, wall time
//            measured around spawnSync with process.hrtime (process start and
//            exit included). mailc2 uses its default, one thread per CPU.
//   DuckDB:  tests/oracle/hunt.sql (unchanged) over a view `falcon` =
//            read_json(FILE, format = 'newline_delimited', columns = {...}, every
//            column VARCHAR): the columns tests/oracle/hunt_oracle.mjs declares
//            (read from it), the ones the rule reads. The benchmark data has
//            no malformed lines, so DuckDB reads the file itself (the oracle's
//            JSON.parse pre-filter is not needed, and ignore_errors is off: a
//            bad line would fail the run).
//            Timed: creating the view and running the whole query, read included,
//            plus turning the rows into CSV. A fresh in-memory database per run,
//            DuckDB's default thread count; and, unless --no-duckdb-1-thread,
//            again with threads=1 for a per-core comparison.
//   Variants (informational, not in the ratio): mailc2 `hunt ARGS --format csv
//   --quiet FILE` for each --variant ARGS (split on blanks; {now} = the newest
//   event's time, as mailc2's summary reports it for --now latest, so the
//   window is the same). Default: one variant, `--now {now}`: the same hunt
//   without the search for the newest event (--now latest makes an extra pass
//   over the input for it). --no-variants: none. A variant's CSV must be the
//   same as everyone else's, like any output.
//   Each engine runs N times per file (default 3), interleaved (mailc2, its
//   variants, DuckDB, DuckDB 1 thread, mailc2, ...); the median is reported.
//   Every output must be byte-identical CSV (mailc2's, and DuckDB's written as
//   the oracle writes it), or the benchmark fails.
//   Peak RSS of mailc2: one extra untimed run per file under /usr/bin/time
//   (else a python3 getrusage(RUSAGE_CHILDREN) wrapper).
//
// The page cache is warmed (each file read once) before timing, so the figures
// are for hot-cache runs; events are counted from the plain file's lines.
// Exit status: 0 ok, 1 outputs differ or an engine failed, 2 usage.

import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync,
  writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

// The oracle of the mailc2 under test: its hunt.sql, verbatim, and the input
// columns its hunt_oracle.mjs declares (the `const COLUMNS = [...]` literal;
// every one is read as VARCHAR, as the oracle does).
function loadOracle(dir) {
  const sql = readFileSync(join(dir, 'hunt.sql'), 'utf8');
  const js = readFileSync(join(dir, 'hunt_oracle.mjs'), 'utf8');
  const m = /const COLUMNS = (\[[^\]]*\]);/.exec(js);
  if (!m) die(`no "const COLUMNS = [...]" in ${join(dir, 'hunt_oracle.mjs')}`);
  const columns = JSON.parse(m[1].replace(/'/g, '"').replace(/,\s*\]$/, ']'));
  if (!Array.isArray(columns) || !columns.length || !columns.every((c) => typeof c === 'string')) {
    die(`cannot read COLUMNS in ${join(dir, 'hunt_oracle.mjs')}`);
  }
  return { sql, columns, dir };
}
let ORACLE = null;

function die(msg, code = 1) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const o = { bin: join(ROOT, 'build-bench/mailc2'), runs: 3, out: null, files: [],
    oracle: join(ROOT, 'tests/oracle'),
    duckdbOneThread: true, variants: null, rev: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--bin') o.bin = argv[++i];
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--no-duckdb-1-thread') o.duckdbOneThread = false;
    else if (a === '--variant') (o.variants ??= []).push(argv[++i]);
    else if (a === '--no-variants') o.variants = [];
    else if (a === '--rev') o.rev = argv[++i];
    else if (a === '--oracle') o.oracle = argv[++i];
    else if (a.startsWith('--')) die(`unknown option ${a}`, 2);
    else o.files.push(a);
  }
  o.variants ??= ['--now {now}'];
  if (o.files.length < 1 || o.files.length > 2 || !(o.runs >= 1) || !o.bin) {
    die('usage: node bench/bench.mjs [--bin PATH] [--runs N] [--out PREFIX] ' +
      '[--no-duckdb-1-thread] [--variant ARGS]... [--no-variants] [--rev LABEL] [--oracle DIR] ' +
      'PLAIN [GZIP]', 2);
  }
  return o;
}

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function sqlString(s) {
  return "'" + s.replace(/'/g, "''") + "'";
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// Reads the whole file once (warms the page cache) and counts its lines.
function readAndCountLines(path) {
  return new Promise((res, rej) => {
    let lines = 0;
    let last = 0x0a;
    const st = createReadStream(path, { highWaterMark: 1 << 20 });
    st.on('data', (buf) => {
      let i = -1;
      while ((i = buf.indexOf(0x0a, i + 1)) !== -1) lines++;
      if (buf.length) last = buf[buf.length - 1];
    });
    st.on('end', () => res(lines + (last === 0x0a ? 0 : 1)));
    st.on('error', rej);
  });
}

// CPU used by other processes on the machine (background load), in seconds:
// all busy CPU time from /proc/stat minus this process's and its waited-for
// children's (/proc/self/stat utime, stime, cutime, cstime). null off Linux.
const CLK_TCK = Number(sh('getconf', ['CLK_TCK'])) || 100;
function cpuSnapshot() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest is inside user)
    const busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + (cpu[7] || 0);
    const self = readFileSync('/proc/self/stat', 'utf8');
    const f = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    // fields after the command: state=0 ... utime=11 stime=12 cutime=13 cstime=14
    const own = f[11] + f[12] + f[13] + f[14];
    return { busy, own, t: process.hrtime.bigint() };
  } catch {
    return null;
  }
}
function foreignCpu(a, b) {
  if (!a || !b) return null;
  const seconds = Number(b.t - a.t) / 1e9;
  const other = ((b.busy - a.busy) - (b.own - a.own)) / CLK_TCK;
  return { cpuSeconds: Math.max(0, other), wallSeconds: seconds };
}

const HUNT = ['--now', 'latest'];

// The oracle's columns in the seeds' order (busiest first): the hunt's
// triage columns and score order are not part of the comparison.
const ORACLE_COLUMNS = 'host,src_ip,process,user,dst_ip,dst_port,protocol,count,first_seen,' +
  'last_seen,bytes_out,command_line,lacks,bytes_in,not_mail,duration_ms';

function mailc2Args(file, hunt = HUNT) {
  return ['hunt', ...hunt, '--sort', 'count', '--columns', ORACLE_COLUMNS, '--format', 'csv',
    '--quiet', file];
}

function runMailc2(bin, file, hunt = HUNT) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, mailc2Args(file, hunt), {
    stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30, encoding: 'utf8' });
  const t1 = process.hrtime.bigint();
  if (r.error) die(`mailc2: ${r.error.message}`);
  // 0 = ran, found nothing; 1 = ran, found something (like grep).
  if (r.status !== 0 && r.status !== 1) {
    die(`mailc2 exited with ${r.status ?? r.signal} on ${file}\n${r.stderr}`);
  }
  if (r.stderr) process.stderr.write(`bench: mailc2 stderr on ${file}:\n${r.stderr}`);
  return { seconds: Number(t1 - t0) / 1e9, csv: r.stdout };
}

// Peak resident set of one mailc2 run, in KiB.
function peakRssMailc2(bin, file) {
  const args = mailc2Args(file);
  if (existsSync('/usr/bin/time')) {
    const scratch = mkdtempSync(join(tmpdir(), 'mailc2-bench-'));
    try {
      const out = join(scratch, 'time.txt');
      const r = spawnSync('/usr/bin/time', ['-v', '-o', out, bin, ...args],
        { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      if (r.status !== 0 && r.status !== 1) die(`/usr/bin/time mailc2 failed: ${r.stderr}`);
      const text = readFileSync(out, 'utf8');
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
      const u = /User time \(seconds\): ([\d.]+)/.exec(text);
      const k = /System time \(seconds\): ([\d.]+)/.exec(text);
      if (m) {
        return { kib: Number(m[1]), how: '/usr/bin/time -v',
          cpu: u && k ? { user: Number(u[1]), sys: Number(k[1]) } : null };
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const py = 'import resource, subprocess, sys\n' +
    'subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n' +
    'r = resource.getrusage(resource.RUSAGE_CHILDREN)\n' +
    'print(r.ru_maxrss, r.ru_utime, r.ru_stime)\n';
  const r = spawnSync('python3', ['-c', py, bin, ...args], { encoding: 'utf8' });
  if (r.status === 0) {
    const [kib, user, sys] = r.stdout.trim().split(/\s+/).map(Number);
    return { kib, how: 'getrusage(RUSAGE_CHILDREN)', cpu: { user, sys } };
  }
  return { kib: null, how: 'unavailable', cpu: null };
}

// threads: null = DuckDB's default. CPU time is the whole node process's
// (user + system, every DuckDB thread) over the timed section.
async function runDuckDB(file, threads) {
  const db = await DuckDBInstance.create(':memory:',
    threads ? { threads: String(threads) } : undefined);
  const con = await db.connect();
  try {
    const cols = ORACLE.columns.map((c) => `"${c}": 'VARCHAR'`).join(', ');
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await con.run(`CREATE OR REPLACE TEMP VIEW falcon AS
      SELECT * FROM read_json(${sqlString(file)}, format = 'newline_delimited',
                              columns = {${cols}})`);
    const result = await con.runAndReadAll(ORACLE.sql);
    // The header is the query's column names, as the oracle checks them.
    let csv = result.columnNames().join(',') + '\n';
    for (const row of result.getRows()) csv += row.map(csvField).join(',') + '\n';
    const t1 = process.hrtime.bigint();
    const c = process.cpuUsage(c0);
    return { seconds: Number(t1 - t0) / 1e9, cpu: (c.user + c.system) / 1e6, csv };
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

async function duckInfo() {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const one = async (q) => (await con.runAndReadAll(q)).getRows()[0][0];
    return {
      version: String(await one('SELECT version()')),
      threads: Number(await one("SELECT current_setting('threads')")),
      memoryLimit: String(await one("SELECT current_setting('memory_limit')")),
    };
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  < ${la[i] ?? '(none)'}\n  > ${lb[i] ?? '(none)'}`;
  }
  return '(none)';
}

function machine() {
  let cpu = cpus()[0]?.model ?? '?';
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1];
  } catch { /* not Linux */ }
  return {
    nproc: Number(sh('nproc', [])) || cpus().length,
    cpu,
    ramGiB: +(totalmem() / 2 ** 30).toFixed(1),
    kernel: sh('uname', ['-sr']),
  };
}

function fmt(x, d = 2) {
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  ORACLE = loadOracle(resolve(o.oracle));
  const bin = resolve(o.bin);
  if (!existsSync(bin)) die(`no mailc2 binary at ${bin} (build it: sh bench/run.sh)`);
  const [plain, gz] = o.files.map((f) => resolve(f));

  const plainBytes = statSync(plain).size;
  process.stderr.write(`bench: warming the page cache and counting lines of ${plain}\n`);
  const events = await readAndCountLines(plain);
  if (gz) await readAndCountLines(gz);

  const info = {
    machine: machine(),
    node: process.version,
    duckdb: await duckInfo(),
    mailc2: {
      version: sh(bin, ['--version']),
      rev: o.rev ?? (sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']) +
        ((sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'include',
          'CMakeLists.txt']) ?? '') !== '' ? '+dirty (work tree)' : '')),
      threads: 1,
    },
    loadavgBefore: loadavg(),
    events,
    plainBytes,
    gzBytes: gz ? statSync(gz).size : null,
    runs: o.runs,
    oracle: { dir: ORACLE.dir, columns: ORACLE.columns },
  };
  const m = info.machine;
  process.stderr.write(
    `bench: ${m.nproc} CPU(s) ${m.cpu}, ${m.ramGiB} GiB RAM; node ${info.node}; ` +
    `DuckDB ${info.duckdb.version} (threads=${info.duckdb.threads}); ` +
    `mailc2 ${info.mailc2.version} @ ${info.mailc2.rev} ` +
    `(threads=${m.nproc}, one per CPU)\n` +
    `bench: ${events.toLocaleString('en-US')} events, ${fmt(plainBytes / 1e6, 1)} MB` +
    (gz ? `; gzip ${fmt(info.gzBytes / 1e6, 1)} MB` : '') + `; ${o.runs} run(s) each\n`);

  // Variants may use {now}: the newest event's time, from mailc2's own
  // summary line ("window 24h to TIME") of a --now latest run.
  let latest = null;
  if (o.variants.some((v) => v.includes('{now}'))) {
    const r = spawnSync(bin, ['hunt', '--now', 'latest', '--format', 'csv', plain],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const m = /window \S+ to (\d{4}-\d\d-\d\dT[0-9:.]+Z)/.exec(r.stderr ?? '');
    if (m) latest = m[1];
    else process.stderr.write('bench: could not read the latest time from mailc2\'s summary; ' +
      'skipping the variants that use {now}\n');
  }
  info.latest = latest;
  const variants = o.variants
    .filter((v) => latest !== null || !v.includes('{now}'))
    .map((v) => ({ label: v, args: v.replaceAll('{now}', latest ?? '').split(/\s+/).filter(Boolean) }));
  info.variants = variants.map((v) => v.label);

  const inputs = [{ label: 'ndjson', path: plain }];
  if (gz) inputs.push({ label: 'ndjson.gz', path: gz });

  let reference = null;
  const failures = [];
  const check = (what, csv) => {
    if (reference === null) { reference = { what, csv }; return; }
    if (csv !== reference.csv) {
      failures.push(`${what} differs from ${reference.what}: ${firstDifference(reference.csv, csv)}`);
      if (o.out) writeFileSync(`${o.out}.${what.replace(/[^A-Za-z0-9.]+/g, '_')}.csv`, csv);
    }
  };

  // DuckDB at its default thread count, and (when that is more than one) at
  // one thread too, for a per-core comparison with single-threaded mailc2.
  const duckConfigs = [{ threads: null, n: info.duckdb.threads }];
  if (o.duckdbOneThread && info.duckdb.threads > 1) duckConfigs.push({ threads: 1, n: 1 });

  // Runs are interleaved (mailc2, DuckDB, DuckDB 1 thread, mailc2, ...) so
  // that a drift in background load hits every engine alike.
  const rows = [];
  info.background = {};
  for (const inp of inputs) {
    const snap0 = cpuSnapshot();
    const mc = [];
    const mv = variants.map(() => []);
    const dk = duckConfigs.map(() => ({ wall: [], cpu: [] }));
    for (let i = 0; i < o.runs; i++) {
      const r = runMailc2(bin, inp.path);
      check(`mailc2 ${inp.label} run ${i + 1}`, r.csv);
      mc.push(r.seconds);
      process.stderr.write(`bench: mailc2 ${inp.label} run ${i + 1}: ${r.seconds.toFixed(3)} s\n`);
      for (const [j, v] of variants.entries()) {
        const f = runMailc2(bin, inp.path, v.args);
        check(`mailc2 ${v.label} ${inp.label} run ${i + 1}`, f.csv);
        mv[j].push(f.seconds);
        process.stderr.write(`bench: mailc2 ${v.label} ${inp.label} run ${i + 1}: ` +
          `${f.seconds.toFixed(3)} s\n`);
      }
      for (const [j, dc] of duckConfigs.entries()) {
        const name = dc.threads ? `DuckDB threads=${dc.threads}` : 'DuckDB';
        const d = await runDuckDB(inp.path, dc.threads);
        check(`${name} ${inp.label} run ${i + 1}`, d.csv);
        dk[j].wall.push(d.seconds);
        dk[j].cpu.push(d.cpu);
        process.stderr.write(`bench: ${name} ${inp.label} run ${i + 1}: ${d.seconds.toFixed(3)} s ` +
          `(CPU ${d.cpu.toFixed(3)} s)\n`);
      }
    }
    const bg = foreignCpu(snap0, cpuSnapshot());
    info.background[inp.label] = bg;
    if (bg) {
      process.stderr.write(`bench: other processes used ${bg.cpuSeconds.toFixed(1)} CPU s during the ` +
        `${bg.wallSeconds.toFixed(1)} s of ${inp.label} runs\n`);
    }
    const rss = peakRssMailc2(bin, inp.path);
    process.stderr.write(`bench: mailc2 ${inp.label} peak RSS ${rss.kib} KiB, CPU ` +
      `${rss.cpu ? `${rss.cpu.user} user + ${rss.cpu.sys} sys s` : '?'} (${rss.how}, untimed run)\n`);
    const mcMed = median(mc);
    rows.push({ engine: 'mailc2', input: inp.label, threads: info.machine.nproc, runs: mc,
      seconds: mcMed,
      cpuSeconds: rss.cpu ? rss.cpu.user + rss.cpu.sys : null, cpuNote: 'one extra run',
      peakRssKiB: rss.kib, rssMethod: rss.how });
    for (const [j, v] of variants.entries()) {
      const vt = /--threads (\d+)/.exec(v.label);
      rows.push({ engine: `mailc2 \`${v.label}\``, input: inp.label,
        threads: vt ? Number(vt[1]) : info.machine.nproc, runs: mv[j],
        seconds: median(mv[j]), cpuSeconds: null, informational: true });
    }
    for (const [j, dc] of duckConfigs.entries()) {
      const dkMed = median(dk[j].wall);
      rows.push({ engine: dc.threads ? 'DuckDB (1 thread)' : 'DuckDB', input: inp.label,
        threads: dc.n, runs: dk[j].wall, seconds: dkMed, cpuSeconds: median(dk[j].cpu),
        ratio: dkMed / mcMed });
    }
  }
  if (failures.length) {
    die(`OUTPUTS DIFFER - the benchmark is void:\n  ${failures.join('\n  ')}`);
  }
  const findings = reference.csv.split('\n').filter(Boolean).length - 1;
  info.findings = findings;
  info.nodeMaxRssKiB = process.resourceUsage().maxRSS;
  info.loadavgAfter = loadavg();

  const lines = [];
  lines.push('| engine | input | threads | median s | runs (s) | events/s | MB/s | CPU s | DuckDB / mailc2 | peak RSS |');
  lines.push('|---|---|---:|---:|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    lines.push(`| ${r.engine} | ${r.input} | ${r.threads} | ${r.seconds.toFixed(3)} | ` +
      `${r.runs.map((s) => s.toFixed(3)).join(', ')} | ` +
      `${Math.round(events / r.seconds).toLocaleString('en-US')} | ` +
      `${fmt(plainBytes / 1e6 / r.seconds, 1)} | ` +
      `${r.cpuSeconds === null ? '' : r.cpuSeconds.toFixed(2)} | ` +
      `${r.ratio === undefined ? '' : fmt(r.ratio, 2) + '×'} | ` +
      `${r.peakRssKiB ? fmt(r.peakRssKiB / 1024, 1) + ' MiB' : ''} |`);
  }
  const table = lines.join('\n');
  const notes =
    `MB/s = uncompressed NDJSON bytes (${fmt(plainBytes / 1e6, 1)} MB) / median seconds, ` +
    'for the .gz input too' +
    (gz ? ` (gzip file: ${fmt(info.gzBytes / 1e6, 1)} MB)` : '') + '. ' +
    `mailc2 used one thread per CPU unless a variant says --threads; DuckDB used its default ${info.duckdb.threads} thread(s). ` +
    'DuckDB / mailc2 = DuckDB median wall time / mailc2 (--now latest) median wall time on the ' +
    'same input (above 1: mailc2 is faster). ' +
    (variants.length ? 'Rows "mailc2 `ARGS`" run `mailc2 hunt ARGS --format csv --quiet FILE` ' +
      (latest ? `({now} = ${latest}, the newest event, so the same window) ` : '') +
      'instead of --now latest; informational, not in the ratio. ' : '') +
    'CPU s = user + system seconds: for mailc2 from the ' +
    'untimed peak-RSS run, for DuckDB the median over the timed runs of the node ' +
    'process\'s CPU time. ' +
    `Outputs: identical CSV, ${findings} finding row(s). ` +
    `Peak RSS of mailc2: ${rows.find((r) => r.engine === 'mailc2').rssMethod}. ` +
    `Bench process (node + DuckDB) peak RSS: ${fmt(info.nodeMaxRssKiB / 1024, 1)} MiB. ` +
    `mailc2 ${info.mailc2.rev}. Background: ` +
    inputs.map((inp) => {
      const bg = info.background[inp.label];
      return bg ? `other processes used ${bg.cpuSeconds.toFixed(1)} CPU s during the ` +
        `${bg.wallSeconds.toFixed(1)} s of ${inp.label} runs` : `${inp.label} unknown`;
    }).join(', ') + ` (on ${m.nproc} CPUs); load average (1 min) before ` +
    `${info.loadavgBefore[0].toFixed(2)}, after ${info.loadavgAfter[0].toFixed(2)}.`;
  process.stdout.write(`${table}\n\n${notes}\n`);
  if (o.out) {
    writeFileSync(`${o.out}.md`, `${table}\n\n${notes}\n`);
    writeFileSync(`${o.out}.json`, JSON.stringify({ ...info, rows }, null, 2) + '\n');
    writeFileSync(`${o.out}.csv`, reference.csv);
  }
  return 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`bench: ${err.stack || err}\n`); process.exitCode = 1; },
);
