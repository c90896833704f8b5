-- aql_seed.sql - the QRadar AQL seed (../shared/seeds/t1071_003.aql) written
-- once more, by hand, as DuckDB SQL. It is the test oracle for
--   mailc2 run --now latest --format csv t1071_003.aql PATH...
-- and shares no code with mailc2: aql_oracle.mjs loads the events into DuckDB
-- and runs this file; tests/e2e/test_aql_oracle.sh diffs the two answers.
--
-- Sources of every rule: ../shared/docs/aql.md (§2 data model and time, §3
-- evaluation, §5 columns, §6 the seed's edge cases) and ../shared/docs/fields.md
-- (§2 Falcon, §3 the AQL view, §5 edge cases). Each rule below is marked
-- "rule:" with where it comes from.
--
-- Input (created and filled by aql_oracle.mjs, every column VARCHAR, NULL =
-- the key or column was absent):
--   falcon(event_simpleName, ConnectionDirection, ContextTimeStamp, "timestamp",
--          LocalAddressIP4, LocalAddressIP6, LocalPort, RemoteAddressIP4,
--          RemoteAddressIP6, RemotePort, UserName, ImageFileName,
--          ContextBaseFileName)                 -- one row per Falcon event
--   qradar(starttime, sourceip, destinationip, sourceport, destinationport,
--          username, process_name, bytes_sent, eventdirection, has_direction)
--                                               -- one row per QRadar record,
--                                               -- columns as exported, but
--                                               -- starttime already in epoch
--                                               -- ms; has_direction = '1' when
--                                               -- the record has an event
--                                               -- direction column
-- Output: the table aql_addrs (every address text, parsed), the views
-- aql_events (the AQL `events` table), aql_now (NOW()), aql_loopback (the
-- loopback count) and, as the last statement, the seed's rows in output
-- order, every column as text (aql_oracle.mjs adds the CSV quoting).

---------------------------------------------------------------------------
-- Scalar helpers
---------------------------------------------------------------------------

-- rule (aql.md §2, §6 #3; fields.md §2 time): a Falcon ContextTimeStamp is
-- decimal seconds; starttime = seconds x 1000 truncated to whole ms. Done on
-- the text (integer part x 1000 + the first three decimals, zero-padded), so
-- no floating point is involved. Text that is not an unsigned decimal number
-- gives NULL (then `timestamp` is used, below).
CREATE OR REPLACE TEMP MACRO aql_ms_from_seconds(s) AS
  CASE WHEN regexp_full_match(s, '[0-9]{1,15}(\.[0-9]*)?') THEN
    CAST(split_part(s, '.', 1) AS BIGINT) * 1000
    + CAST(rpad(left(split_part(s, '.', 2), 3), 3, '0') AS BIGINT)
  END;

-- rule (aql.md §2): times are integer ms since the epoch.
CREATE OR REPLACE TEMP MACRO aql_ms(s) AS
  CASE WHEN regexp_full_match(s, '[0-9]{1,18}') THEN CAST(s AS BIGINT) END;

-- rule (brief; aql.md §5 "destinationport (0-65535)", fields.md §5 #8 "0025"
-- -> 25): a port is an integer when its text is all digits, else NULL.
-- (A value too large to be a port can never be one of the mail ports; it is
-- kept as a number, or NULL past 38 digits, and is filtered out either way.)
CREATE OR REPLACE TEMP MACRO aql_port(s) AS
  CASE WHEN regexp_full_match(s, '[0-9]+') THEN TRY_CAST(s AS HUGEINT) END;

-- rule (aql.md §4 LONG): a string of an integer -> its value; a decimal
-- string -> truncated toward 0; anything else (incl. '') -> NULL.
CREATE OR REPLACE TEMP MACRO aql_long(s) AS
  CASE
    WHEN regexp_full_match(s, '[+-]?[0-9]{1,18}') THEN CAST(s AS BIGINT)
    WHEN regexp_full_match(s, '[+-]?([0-9]{1,18}\.[0-9]*|\.[0-9]+)') THEN
      CAST(CASE WHEN starts_with(s, '-') THEN -1 ELSE 1 END
           * coalesce(TRY_CAST(NULLIF(ltrim(split_part(s, '.', 1), '+-'), '') AS BIGINT), 0)
           AS BIGINT)
  END;

-- IP addresses. aql.md §3: "IP columns compare as addresses", so grouping and
-- ordering use the address, not its spelling; fields.md §5 #7: an
-- IPv4-mapped IPv6 address (::ffff:a.b.c.d) is normalised to IPv4.
-- An address is kept as (v4 = 32-bit value) or (v6 = its 8 groups).

-- Dotted-quad IPv4 -> 32-bit value; NULL when the text is not one (octets
-- 0-255, decimal, no leading zeros, as inet_pton).
CREATE OR REPLACE TEMP MACRO aql_ip4_value(s) AS
  CASE WHEN regexp_full_match(s,
      '((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])')
  THEN CAST(split_part(s, '.', 1) AS BIGINT) * 16777216
     + CAST(split_part(s, '.', 2) AS BIGINT) * 65536
     + CAST(split_part(s, '.', 3) AS BIGINT) * 256
     + CAST(split_part(s, '.', 4) AS BIGINT)
  END;

-- IPv6 text with a dotted-quad tail (::ffff:1.2.3.4) -> the same text with
-- the tail written as two hex groups; other text unchanged.
CREATE OR REPLACE TEMP MACRO aql_ip6_untail(s) AS
  CASE WHEN contains(s, ':') AND contains(regexp_extract(s, '[^:]*$'), '.') THEN
    CASE WHEN aql_ip4_value(regexp_extract(s, '[^:]*$')) IS NOT NULL THEN
      regexp_replace(s, '[^:]*$', '')
      || printf('%x:%x', aql_ip4_value(regexp_extract(s, '[^:]*$')) // 65536,
                         aql_ip4_value(regexp_extract(s, '[^:]*$')) % 65536)
    END
  ELSE s END;

-- hex groups (text) of a lower-case, tail-free IPv6 text; NULL if invalid.
-- `::` stands for one or more zero groups and appears at most once.
CREATE OR REPLACE TEMP MACRO aql_ip6_fill(l, r) AS
  CASE WHEN regexp_full_match(l, '([0-9a-f]{1,4}(:[0-9a-f]{1,4})*)?')
        AND regexp_full_match(r, '([0-9a-f]{1,4}(:[0-9a-f]{1,4})*)?')
        AND (CASE WHEN l = '' THEN 0 ELSE len(string_split(l, ':')) END)
          + (CASE WHEN r = '' THEN 0 ELSE len(string_split(r, ':')) END) <= 7
  THEN (CASE WHEN l = '' THEN []::VARCHAR[] ELSE string_split(l, ':') END)
       || list_transform(range(8 - (CASE WHEN l = '' THEN 0 ELSE len(string_split(l, ':')) END)
                                  - (CASE WHEN r = '' THEN 0 ELSE len(string_split(r, ':')) END)),
                         lambda i: '0')
       || (CASE WHEN r = '' THEN []::VARCHAR[] ELSE string_split(r, ':') END)
  END;

CREATE OR REPLACE TEMP MACRO aql_ip6_groups_text(t) AS
  CASE
    WHEN t IS NULL THEN NULL
    WHEN len(string_split(t, '::')) = 2 THEN
      aql_ip6_fill(string_split(t, '::')[1], string_split(t, '::')[2])
    WHEN NOT contains(t, '::') AND regexp_full_match(t, '([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}') THEN
      string_split(t, ':')
  END;

-- IPv6 text -> its 8 groups as integers; NULL when the text is not IPv6.
CREATE OR REPLACE TEMP MACRO aql_ip6_groups(s) AS
  list_transform(aql_ip6_groups_text(aql_ip6_untail(lower(s))),
                 lambda g: CAST('0x' || g AS INTEGER));

-- IPv6 groups of an IPv4-mapped address (::ffff:0:0/96) -> the 32-bit IPv4
-- value; NULL for any other address.
CREATE OR REPLACE TEMP MACRO aql_v4_of_groups(g) AS
  CASE WHEN g[1] = 0 AND g[2] = 0 AND g[3] = 0 AND g[4] = 0 AND g[5] = 0 AND g[6] = 65535
       THEN CAST(g[7] AS BIGINT) * 65536 + g[8] END;

-- '1' for each zero group, '0' for the others: '10011000'.
CREATE OR REPLACE TEMP MACRO aql_zero_flags(g) AS
  array_to_string(list_transform(g, lambda x: CASE WHEN x = 0 THEN '1' ELSE '0' END), '');

-- Local networks and loopback of a parsed address (v4 = 32-bit value, or
-- v6 = its 8 groups).
-- rule (brief; aql.md §5 "Event direction"; mailc2's default --local-nets):
-- local = 10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16,
-- ::1/128, fe80::/10, fc00::/7; everything else is remote.
CREATE OR REPLACE TEMP MACRO aql_is_local(v4, v6) AS
  CASE
    WHEN v4 IS NOT NULL THEN
         v4 // 16777216 = 10          -- 10.0.0.0/8
      OR v4 // 1048576 = 2753         -- 172.16.0.0/12 (0xAC1)
      OR v4 // 65536 = 49320          -- 192.168.0.0/16 (0xC0A8)
      OR v4 // 4194304 = 401          -- 100.64.0.0/10 (0x191)
      OR v4 // 16777216 = 127         -- 127.0.0.0/8
      OR v4 // 65536 = 43518          -- 169.254.0.0/16 (0xA9FE)
    WHEN v6 IS NOT NULL THEN
         v6 = [0, 0, 0, 0, 0, 0, 0, 1]   -- ::1/128
      OR (v6[1] & 65472) = 65152          -- fe80::/10 (0xffc0 mask, 0xfe80)
      OR (v6[1] & 65024) = 64512          -- fc00::/7  (0xfe00 mask, 0xfc00)
  END;

-- rule (brief): loopback = 127.0.0.0/8 or ::1.
CREATE OR REPLACE TEMP MACRO aql_is_loopback(v4, v6) AS
  CASE
    WHEN v4 IS NOT NULL THEN v4 // 16777216 = 127
    WHEN v6 IS NOT NULL THEN v6 = [0, 0, 0, 0, 0, 0, 0, 1]
  END;

-- Every distinct address text of the input, parsed once (DuckDB inlines
-- macros, so parsing per event would be slow): raw -> the address as v4 or
-- v6 (exactly one set; both NULL = not an address: an IP column cannot hold
-- anything else, so the column is NULL, aql.md §3, §5), its sort key, its
-- printed text, and whether it is local / loopback.
CREATE OR REPLACE TEMP TABLE aql_addrs AS
WITH raw AS (
  SELECT DISTINCT a AS raw FROM (
    SELECT coalesce(LocalAddressIP4, LocalAddressIP6) AS a FROM falcon
    UNION ALL SELECT coalesce(RemoteAddressIP4, RemoteAddressIP6) FROM falcon
    UNION ALL SELECT sourceip FROM qradar
    UNION ALL SELECT destinationip FROM qradar)
  WHERE a IS NOT NULL
),
parsed AS (
  SELECT raw, aql_ip4_value(raw) AS v4_text,
         CASE WHEN aql_ip4_value(raw) IS NULL THEN aql_ip6_groups(raw) END AS g
  FROM raw
),
addr AS (
  SELECT
    raw,
    -- rule (fields.md §5 #7): ::ffff:a.b.c.d is the IPv4 address a.b.c.d.
    coalesce(v4_text, aql_v4_of_groups(g)) AS v4,
    CASE WHEN aql_v4_of_groups(g) IS NULL THEN g END AS v6
  FROM parsed
),
zeros AS (
  SELECT *, aql_zero_flags(v6) AS zf FROM addr
),
runs AS (
  SELECT *,
    -- the longest run of zero groups (2 or more), first on a tie (RFC 5952)
    list_filter([8, 7, 6, 5, 4, 3, 2], lambda n: instr(zf, repeat('1', n)) > 0)[1] AS zrun
  FROM zeros
)
SELECT
  raw, v4, v6,
  -- Sort key: IPv4 before IPv6 (aql.md leaves mixed families unspecified;
  -- this is the usual address order, e.g. PostgreSQL inet), each then by its
  -- address bytes; fixed-width hex, so byte order of the key = address order.
  CASE
    WHEN v4 IS NOT NULL THEN '4' || printf('%08x', v4)
    WHEN v6 IS NOT NULL THEN '6' || array_to_string(list_transform(v6, lambda x: printf('%04x', x)), '')
  END AS key,
  -- Printed form: IPv4 dotted decimal; IPv6 as RFC 5952 text (lower-case
  -- hex, no leading zeros, the longest run of 2+ zero groups as `::`).
  CASE
    WHEN v4 IS NOT NULL THEN
      printf('%d.%d.%d.%d', v4 // 16777216, (v4 // 65536) % 256, (v4 // 256) % 256, v4 % 256)
    WHEN v6 IS NOT NULL AND zrun IS NULL THEN
      array_to_string(list_transform(v6, lambda x: printf('%x', x)), ':')
    WHEN v6 IS NOT NULL THEN
      array_to_string(list_transform(v6[1 : instr(zf, repeat('1', zrun)) - 1],
                                     lambda x: printf('%x', x)), ':')
      || '::'
      || array_to_string(list_transform(v6[instr(zf, repeat('1', zrun)) + zrun :],
                                        lambda x: printf('%x', x)), ':')
  END AS text,
  aql_is_local(v4, v6)    AS is_local,
  aql_is_loopback(v4, v6) AS is_loopback
FROM runs
WHERE v4 IS NOT NULL OR v6 IS NOT NULL;

-- rule (aql.md §5): L2L / L2R / R2L / R2R from local-ness of source and
-- destination; NULL when either address is missing.
CREATE OR REPLACE TEMP MACRO aql_direction(src_local, dst_local) AS
  CASE
    WHEN src_local IS NULL OR dst_local IS NULL THEN NULL
    WHEN src_local AND dst_local THEN 'L2L'
    WHEN src_local THEN 'L2R'
    WHEN dst_local THEN 'R2L'
    ELSE 'R2R'
  END;

---------------------------------------------------------------------------
-- The AQL `events` table over the input
---------------------------------------------------------------------------

-- Falcon events (fields.md §2, §3; the brief's mapping).
CREATE OR REPLACE TEMP VIEW aql_falcon AS
WITH oriented AS (
  SELECT
    -- rule (fields.md §1, §2, §5 #1-2): src is the initiator. Falcon logs
    -- local/remote; ConnectionDirection "1" (inbound) -> src := remote,
    -- dst := local (addresses and ports); "0" (outbound), "2", "3"
    -- (neither / both) -> as logged, src := local. Without a
    -- ConnectionDirection the event name decides: NetworkReceiveAccept* is
    -- inbound, anything else (NetworkConnect* ...) as logged.
    CASE
      WHEN ConnectionDirection = '1' THEN true
      WHEN ConnectionDirection IN ('0', '2', '3') THEN false
      ELSE coalesce(starts_with(event_simpleName, 'NetworkReceiveAccept'), false)
    END AS inbound,
    -- rule: an address is the IPv4 field, or the IPv6 one without it.
    coalesce(LocalAddressIP4, LocalAddressIP6)   AS local_raw,
    coalesce(RemoteAddressIP4, RemoteAddressIP6) AS remote_raw,
    aql_port(LocalPort)  AS local_port,
    aql_port(RemotePort) AS remote_port,
    -- rule (aql.md §2, §6 #3): starttime = ContextTimeStamp x 1000 truncated;
    -- without a (numeric) ContextTimeStamp, `timestamp` (already ms).
    coalesce(aql_ms_from_seconds(ContextTimeStamp), aql_ms("timestamp")) AS starttime,
    -- rule (fields.md §3): username = UserName, as written.
    UserName AS username,
    -- rule (aql.md §5; fields.md §1, §5 #6): "Process Name" = the text after
    -- the last '\' or '/' of ImageFileName, or of ContextBaseFileName when
    -- ImageFileName is absent.
    regexp_extract(coalesce(ImageFileName, ContextBaseFileName), '[^\\/]*$') AS process_name
  FROM falcon
)
SELECT
  CASE WHEN inbound THEN remote_raw  ELSE local_raw END   AS src_raw,
  CASE WHEN inbound THEN local_raw   ELSE remote_raw END  AS dst_raw,
  CASE WHEN inbound THEN remote_port ELSE local_port END  AS sourceport,
  CASE WHEN inbound THEN local_port  ELSE remote_port END AS destinationport,
  starttime,
  username,
  process_name,
  -- rule (fields.md §2 "bytes: none", §4): Falcon has no bytes.
  CAST(NULL AS VARCHAR) AS bytes_sent,
  -- rule (aql.md §5): Falcon has no eventdirection; computed below.
  CAST(NULL AS VARCHAR) AS exported_direction,
  true AS compute_direction
FROM oriented;

-- QRadar exports (fields.md §2 QRadar column; aql.md §5): AQL columns are
-- native. starttime = epoch ms; eventdirection, username, "Process Name" and
-- "Bytes Sent" as exported; addresses and ports typed as in Falcon.
CREATE OR REPLACE TEMP VIEW aql_qradar AS
SELECT
  sourceip      AS src_raw,
  destinationip AS dst_raw,
  aql_port(sourceport)      AS sourceport,
  aql_port(destinationport) AS destinationport,
  aql_ms(starttime) AS starttime,
  username,
  process_name,
  bytes_sent,
  eventdirection AS exported_direction,
  -- rule (aql.md §5; fields.md §2): eventdirection as exported when the
  -- record has that column (an empty cell is NULL); a record without one
  -- (LEEF) gets it computed from the addresses, like Falcon.
  has_direction IS NULL AS compute_direction
FROM qradar;

CREATE OR REPLACE TEMP VIEW aql_events AS
SELECT
  s.text AS sourceip,      s.key AS sourceip_key,
  d.text AS destinationip, d.key AS destinationip_key,
  e.sourceport, e.destinationport,
  e.username,
  e.process_name AS "Process Name",
  e.bytes_sent   AS "Bytes Sent",
  e.starttime,
  CASE WHEN e.compute_direction THEN aql_direction(s.is_local, d.is_local)
       ELSE e.exported_direction END AS "Event Direction",
  d.is_loopback AS dst_loopback
FROM (SELECT * FROM aql_falcon UNION ALL BY NAME SELECT * FROM aql_qradar) AS e
LEFT JOIN aql_addrs AS s ON s.raw = e.src_raw
LEFT JOIN aql_addrs AS d ON d.raw = e.dst_raw;

-- rule (aql.md §2, brief): NOW() with --now latest = the newest starttime of
-- ANY event in the input (every file, every event type).
CREATE OR REPLACE TEMP VIEW aql_now AS
SELECT max(starttime) AS now_ms FROM aql_events;

-- The loopback count mailc2 reports ("N loopback connections ... removed"):
-- rows inside the 24 h window and on a mail port whose destination is a
-- loopback address (127/8, ::1) and which the direction filter removes --
-- NOT ("Event Direction" = 'L2R') is TRUE, so a NULL direction does not count
-- (aql.md §3 three-valued logic) -- before the process-name filter.
CREATE OR REPLACE TEMP VIEW aql_loopback AS
SELECT count(*) AS n
FROM aql_events
WHERE starttime > (SELECT now_ms FROM aql_now) - 86400000
  AND destinationport IN (25, 465, 587, 110, 995, 143, 993)
  AND dst_loopback
  AND NOT ("Event Direction" = 'L2R');

---------------------------------------------------------------------------
-- The seed (../shared/seeds/t1071_003.aql), clause by clause
---------------------------------------------------------------------------
WITH seed AS (
  SELECT
    sourceip,
    destinationip,
    destinationport,
    username,
    "Process Name",
    COUNT(*) AS ConnectionCount,
    -- rule (aql.md §4 LONG, §6 #10): LONG() of '' / non-numbers is NULL; SUM
    -- ignores NULLs and is NULL when all are NULL.
    SUM(aql_long("Bytes Sent")) AS TotalBytesSent,
    MIN(starttime) AS FirstSeen,
    MAX(starttime) AS LastSeen,
    -- rule (aql.md §3 CASE, §6 #13): first TRUE branch.
    CASE
      WHEN destinationport IN (25, 465, 587) THEN 'SMTP'
      WHEN destinationport IN (110, 995) THEN 'POP3'
      WHEN destinationport IN (143, 993) THEN 'IMAP'
      ELSE 'Unknown'
    END AS MailProtocol,
    -- for ORDER BY: addresses order as addresses (aql.md §3)
    sourceip_key, destinationip_key
  FROM aql_events
  -- rule (aql.md §3): WHERE keeps only TRUE; a NULL on either side of a
  -- comparison / IN / NOT IN is UNKNOWN and drops the row (§6 #4, #7).
  WHERE
    -- rule (aql.md §2, §6 #1-2): the input is the window; NOW() per aql_now.
    starttime > (SELECT now_ms FROM aql_now) - 86400000
    AND destinationport IN (25, 465, 587, 110, 995, 143, 993)
    -- rule (aql.md §3, §5, §6 #5, #20): case-sensitive string equality.
    AND "Event Direction" = 'L2R'
    -- rule (aql.md §4 LOWER, §6 #7-9): Unicode lower-case, exact list match.
    AND LOWER("Process Name") NOT IN (
      'outlook.exe', 'thunderbird.exe', 'mailclient.exe',
      'em client.exe', 'msedge.exe', 'chrome.exe', 'firefox.exe'
    )
  -- rule (aql.md §3 GROUP BY, §6 #14, #18): group by values; NULL keys form
  -- their own group. An address's key and text determine each other.
  GROUP BY
    sourceip, sourceip_key, destinationip, destinationip_key, destinationport,
    username, "Process Name", MailProtocol
  -- rule (aql.md §6 #15): strictly greater.
  HAVING COUNT(*) > 2
)
SELECT
  sourceip,
  destinationip,
  CAST(destinationport AS VARCHAR) AS destinationport,
  username,
  "Process Name",
  CAST(ConnectionCount AS VARCHAR) AS ConnectionCount,
  CAST(TotalBytesSent AS VARCHAR)  AS TotalBytesSent,
  -- rule (aql.md §6 #12; brief): ISO 8601 UTC with milliseconds.
  strftime(epoch_ms(FirstSeen), '%Y-%m-%dT%H:%M:%S.%gZ') AS FirstSeen,
  strftime(epoch_ms(LastSeen),  '%Y-%m-%dT%H:%M:%S.%gZ') AS LastSeen,
  MailProtocol
FROM seed
-- rule (aql.md §3 ORDER BY, §6 #16): ConnectionCount DESC; ties by the group
-- keys in SELECT order ascending (addresses as addresses, the port
-- numerically, strings in byte order), NULL lowest = first in ASC.
ORDER BY
  seed.ConnectionCount DESC,
  sourceip_key                          ASC NULLS FIRST,
  destinationip_key                     ASC NULLS FIRST,
  seed.destinationport                  ASC NULLS FIRST,
  seed.username       COLLATE "binary"  ASC NULLS FIRST,
  seed."Process Name" COLLATE "binary"  ASC NULLS FIRST,
  seed.MailProtocol   COLLATE "binary"  ASC NULLS FIRST;
