// common.mjs - what the three test oracles (hunt, LogScale seed, AQL seed)
// all need and none of them derives from mailc2: walking the input paths,
// splitting lines, reading a JSON object's top-level members with their
// value text as written, and writing CSV fields.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// A directory is every file below it, names in byte order, dot-files skipped.
export function listFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !name.startsWith('.'))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .flatMap((name) => listFiles(join(path, name)));
}

// Split a buffer at '\n' (a final '\n' does not start another line).
export function splitLines(buf) {
  const out = [];
  let at = 0;
  while (at < buf.length) {
    let nl = buf.indexOf(0x0a, at);
    if (nl < 0) nl = buf.length;
    out.push(buf.subarray(at, nl));
    at = nl + 1;
  }
  return out;
}

// Top-level members of an object text JSON.parse has already accepted: Map
// of key -> decoded string, or the JSON text of any other value (numbers keep
// their digits as written); JSON null gives null. The last duplicate wins,
// as in JSON.parse. Only scans: validity is JSON.parse's job.
export function jsonMembers(text) {
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
    if (tok[0] === '"') fields.set(key, JSON.parse(tok));
    else fields.set(key, tok === 'null' ? null : tok);
    i = vEnd;
    ws();
    if (text[i] === ',') { i++; continue; }
    return fields;                          // '}'
  }
}

// RFC 4180: quoted only when needed; null and undefined are empty.
export function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
