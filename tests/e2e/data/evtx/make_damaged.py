#!/usr/bin/env python3
"""Damaged EVTX files for tests/e2e/test_evtx_damage.sh, made from real logs.

Usage: make_damaged.py SHARED_EVTX_DIR OUT_DIR > cases.tsv

Each case copies a sound sample from ../shared/data/evtx (see
../shared/data/PROVENANCE.md), damages it one way, and prints one line:
name, file, records mailc2 must read, exit status, and the message it must
print (with the byte offset, or the record number). The expected counts come from this script's
own reading of the sound file, never from mailc2: it walks each chunk's
records from offset 512 by their framing (magic 2a 2a 00 00, size at 4,
the size repeated in the last four bytes, record number at 8) up to the
chunk header's free-space offset, which is how the format lays them out;
its totals agree with libevtx's evtxexport (PROVENANCE.md: 565 and 358).
Damage that loses records must give exit status 3 (no findings in these
samples, so not 5); damage that loses nothing gives 0.
"""
import os
import struct
import sys
import zlib

HEAD, CHUNK = 4096, 65536


def chunks(data):
    """Per chunk: (offset, records as (offset in chunk, size, number))."""
    out = []
    for off in range(HEAD, len(data), CHUNK):
        c = data[off:off + CHUNK]
        if c[:8] != b"ElfChnk\0":
            continue
        free = struct.unpack_from("<I", c, 48)[0]
        recs, p = [], 512
        while p < free:
            assert c[p:p + 4] == b"**\0\0", "not a sound sample"
            size = struct.unpack_from("<I", c, p + 4)[0]
            recs.append((p, size, struct.unpack_from("<Q", c, p + 8)[0]))
            p += size
        out.append((off, recs))
    return out


def fix_file_crc(data):
    data[124:128] = struct.pack("<I", zlib.crc32(bytes(data[:120])))


def total(cs):
    return sum(len(r) for _, r in cs)


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cases = []

    def case(name, data, records, status, message):
        path = os.path.join(out, name + ".evtx")
        with open(path, "wb") as f:
            f.write(bytes(data))
        cases.append((name, path, records, status, message))

    panache = open(os.path.join(src, "eas_PanacheSysmon_vs_AtomicRedTeam01.evtx"), "rb").read()
    omer = open(os.path.join(src, "omer_sysmon.evtx"), "rb").read()
    pc, oc = chunks(panache), chunks(omer)
    n = total(pc)

    # 1. Cut in the middle of chunk 3: the records wholly before the cut are
    #    kept, the one the cut crosses and the rest of the chunk are lost
    #    (chunks 4-14, which the header counts, are said lost too).
    off3, recs3 = pc[3]
    cut = off3 + 30000
    kept = [r for r in recs3 if off3 + r[0] + r[1] <= cut]
    crossing = recs3[len(kept)]
    case("cut_chunk", panache[:cut], total(pc[:3]) + len(kept), 3,
         "offset %d: evtx: the file ends inside chunk 3, cutting the record here short: "
         "records %d-%d are lost" % (off3 + crossing[0], crossing[2], recs3[-1][2]))

    # 2. A stale chunk count: the header says 10 of the 15 chunks (its
    #    checksum made to match): every record is still read, and said.
    d = bytearray(panache)
    d[42:44] = struct.pack("<H", 10)
    fix_file_crc(d)
    case("stale_count", d, n, 0,
         "offset %d: evtx: the file header counts 10 chunks, but chunk 10 holds records: "
         "read all the same" % (HEAD + 10 * CHUNK))

    # 3. The same count change without the checksum: a damaged file header.
    d = bytearray(panache)
    d[42:44] = struct.pack("<H", 10)
    case("header_crc", d, n, 0,
         "offset 0: evtx: the file header has a checksum mismatch: its chunks are found by "
         "walking the file")

    # 4. A zeroed file header (omer's: 358 records in 9 chunks).
    d = bytearray(omer)
    d[:HEAD] = bytes(HEAD)
    case("zero_header", d, total(oc), 0,
         "offset 0: evtx: the file header has no ElfFile signature: its chunks are found by "
         "walking the file")

    # 5. Chunk 3's signature destroyed: its records are found all the same.
    d = bytearray(panache)
    d[off3:off3 + 8] = b"XXXXXXXX"
    case("chunk_signature", d, n, 0,
         "offset %d: evtx: chunk 3: no ElfChnk signature; the %d records found by their own "
         "framing are read" % (off3, len(recs3)))

    # 6. Chunk 5's header checksum broken (a byte of its string table).
    off5, recs5 = pc[5]
    d = bytearray(panache)
    d[off5 + 200] ^= 0xFF
    case("chunk_crc", d, n, 0,
         "offset %d: evtx: chunk 5: header checksum mismatch; the %d records found by their "
         "own framing are read" % (off5, len(recs5)))

    # 7. A record cut in the middle of chunk 4: the fifth record's size
    #    field damaged. Only that record is lost; the ones after it are read.
    off4, recs4 = pc[4]
    r = recs4[4]
    d = bytearray(panache)
    d[off4 + r[0] + 4:off4 + r[0] + 8] = struct.pack("<I", 0x00FFFFF0)
    case("cut_record", d, n - 1, 3,
         "offset %d: evtx: chunk 4: %d bytes here are not a record (a damaged or cut "
         "record): record %d is lost" % (off4 + r[0], r[1], r[2]))

    # 8. Chunk 6 overwritten with zeros (inside the header's count): its
    #    records are lost, the other chunks read.
    off6, recs6 = pc[6]
    d = bytearray(panache)
    d[off6:off6 + CHUNK] = bytes(CHUNK)
    case("zero_chunk", d, n - len(recs6), 3,
         "offset %d: evtx: chunk 6: no ElfChnk signature, and no record found: records %d-%d "
         "are lost" % (off6, recs6[0][2], recs6[-1][2]))

    # 9. Cut at a chunk boundary, after 5 of the 15 chunks the header counts:
    #    no chunk shows it, the header does.
    end = HEAD + 5 * CHUNK
    case("cut_at_chunk", panache[:end], total(pc[:5]), 3,
         "offset %d: evtx: the file ends before chunk 5, but its header counts 15 chunks: "
         "chunks 5-14 and their records are lost" % end)

    # 10. A hostile template value count in chunk 4's third record: 2^30 + 1,
    #     which libevtx 20181227 checks as (2^30 + 1) * 4 in 32 bits (4 bytes)
    #     and would then overrun. The record starts a fragment (0f 01 01 00)
    #     and a template instance (0c) whose definition lies in the first
    #     record, so its count follows the instance's 10 bytes. Both chunk
    #     checksums are made to match, as a crafted file's would. Only that
    #     record is lost, a bad record named by its number like any record
    #     libevtx cannot read (exit 0: the file's framing is sound).
    r = recs4[2]
    inst = r[0] + 24 + 4
    assert panache[off4 + inst - 4:off4 + inst + 1] == bytes.fromhex("0f0101000c")
    assert struct.unpack_from("<I", panache, off4 + inst + 6)[0] < inst + 10
    d = bytearray(panache)
    d[off4 + inst + 10:off4 + inst + 14] = struct.pack("<I", 0x40000001)
    free = struct.unpack_from("<I", d, off4 + 48)[0]
    d[off4 + 52:off4 + 56] = struct.pack("<I", zlib.crc32(bytes(d[off4 + 512:off4 + free])))
    hcrc = zlib.crc32(bytes(d[off4:off4 + 120]) + bytes(d[off4 + 128:off4 + 512]))
    d[off4 + 124:off4 + 128] = struct.pack("<I", hcrc)
    case("template_count", d, n - 1, 0,
         "%d: evtx: record at offset %d: libevtx cannot read it: libevtx failed on it in a "
         "child process (the chunk holds a template value count it would overrun)" %
         (r[2], off4 + r[0]))

    for c in cases:
        print("\t".join(str(x) for x in c))


if __name__ == "__main__":
    main()
