-- hunt.sql - the T1071.003 hunt written once more, by hand, as DuckDB SQL.
--
-- This is the test oracle for `mailc2 hunt --now latest --format csv`. It shares
-- no code with mailc2: it runs in DuckDB over the same Falcon NDJSON files, and
-- the e2e tests diff its rows against mailc2's (tests/e2e/test_oracle_*.sh).
--
-- The file is three statements: the views `events` (every event with its
-- time `t`) and `anchor` (now), then the hunt itself, whose rows are the CSV.
--
-- Input: the view `falcon`, one row per valid JSON-object line of the input,
-- every column VARCHAR (hunt_oracle.mjs creates it with read_json; malformed
-- lines were dropped before DuckDB saw them, see there for why).
--
-- Each clause below names the rule it implements ("rule: ...").

CREATE OR REPLACE TEMP VIEW events AS
  SELECT
    *,
    -- rule: time (ms) = ContextTimeStamp (decimal seconds) x 1000, truncated to
    -- whole ms; if absent, `timestamp` (ms). Done on the text (whole seconds
    -- x 1000 + the first three decimals), so no floating point is involved.
    -- A ContextTimeStamp that is not a decimal number counts as absent.
    CASE
      WHEN regexp_full_match(ContextTimeStamp, '[0-9]+(\.[0-9]*)?') THEN
        CAST(split_part(ContextTimeStamp, '.', 1) AS BIGINT) * 1000
        + CAST(rpad(left(split_part(ContextTimeStamp, '.', 2), 3), 3, '0') AS BIGINT)
      WHEN regexp_full_match("timestamp", '[0-9]+') THEN CAST("timestamp" AS BIGINT)
    END AS t
  FROM falcon;

-- rule: now = newest time of ANY event in the whole input, all files and all
-- event types (`--now latest`).
CREATE OR REPLACE TEMP VIEW anchor AS
  SELECT max(t) AS now_ms FROM events;

WITH
-- rule: a network event without a CommandLine takes its process's, from the
-- ProcessRollup2 / SyntheticProcessRollup2 with the same aid and
-- TargetProcessId = the event's ContextProcessId (the Falcon context join).
-- Should two process events share a key, max() picks one; the samples have none.
procs AS (
  SELECT aid, TargetProcessId, max(CommandLine) AS cmd
  FROM events
  WHERE event_simpleName IN ('ProcessRollup2', 'SyntheticProcessRollup2')
  GROUP BY aid, TargetProcessId
),
conn AS (
  SELECT
    ComputerName  AS host,           -- rule: host = ComputerName
    ImageFileName AS process,        -- rule: process = ImageFileName, as written
    UserName      AS "user",         -- rule: user = UserName
    -- rule: dst_ip = RemoteAddressIP4, or RemoteAddressIP6 when there is no IPv4
    coalesce(RemoteAddressIP4, RemoteAddressIP6) AS dst_ip,
    -- rule: dst_port = RemotePort read as a decimal integer (digits only)
    CASE WHEN regexp_full_match(RemotePort, '[0-9]{1,9}')
         THEN CAST(RemotePort AS BIGINT) END AS dst_port,
    -- rule: proc_name = text after the last '\' or '/' of ImageFileName, or of
    -- ContextBaseFileName when ImageFileName is absent
    regexp_extract(coalesce(ImageFileName, ContextBaseFileName), '[^\\/]*$') AS proc_name,
    -- rule: the initiator's address (outbound events: the local one)
    coalesce(LocalAddressIP4, LocalAddressIP6) AS local_ip,
    coalesce(events.CommandLine, procs.cmd) AS cmd,
    t
  FROM events
  LEFT JOIN procs ON procs.aid = events.aid AND procs.TargetProcessId = events.ContextProcessId
  -- rule: connection events are NetworkConnectIP4 and NetworkConnectIP6 only
  WHERE event_simpleName IN ('NetworkConnectIP4', 'NetworkConnectIP6')
    -- rule: outbound iff ConnectionDirection is missing or "0"
    AND (ConnectionDirection IS NULL OR ConnectionDirection = '0')
),
hits AS (
  SELECT
    conn.*,
    -- rule: 25, 465, 587 -> SMTP; 110, 995 -> POP3; 143, 993 -> IMAP
    CASE
      WHEN dst_port IN (25, 465, 587) THEN 'SMTP'
      WHEN dst_port IN (110, 995)     THEN 'POP3'
      WHEN dst_port IN (143, 993)     THEN 'IMAP'
    END AS protocol
  FROM conn, anchor
  -- rule: keep now - 86400000 < time <= now
  WHERE conn.t > anchor.now_ms - 86400000
    AND conn.t <= anchor.now_ms
    -- rule: mail ports only
    AND dst_port IN (25, 465, 587, 110, 995, 143, 993)
    -- rule: drop the mail clients and browsers by lower(proc_name); a missing
    -- proc_name is not excluded (NULL NOT IN (...) would be unknown, hence IS NULL)
    AND (proc_name IS NULL
         OR lower(proc_name) NOT IN ('outlook.exe', 'thunderbird.exe', 'mailclient.exe',
                                     'em client.exe', 'msedge.exe', 'chrome.exe',
                                     'firefox.exe'))
)
SELECT
  host,
  -- rule: the source address is a key only where the source names neither
  -- host nor process (network sensors); elsewhere it is empty
  CASE WHEN host IS NULL AND process IS NULL THEN local_ip END AS src_ip,
  process, "user", dst_ip, dst_port, protocol,
  count(*) AS count,                                              -- rule: count
  strftime(epoch_ms(min(t)), '%Y-%m-%dT%H:%M:%S.%gZ') AS first_seen,  -- rule: min(time)
  strftime(epoch_ms(max(t)), '%Y-%m-%dT%H:%M:%S.%gZ') AS last_seen,   -- rule: max(time)
  CAST(NULL AS VARCHAR) AS bytes_out,                             -- rule: Falcon has no bytes
  min(cmd COLLATE "binary") AS command_line,                       -- rule: least command line
  -- rule: which of host, process, user the events lacked ("" -> NULL)
  nullif(concat_ws(' ', CASE WHEN host IS NULL THEN 'host' END,
                        CASE WHEN process IS NULL THEN 'process' END,
                        CASE WHEN "user" IS NULL THEN 'user' END), '') AS lacks,
  CAST(NULL AS VARCHAR) AS bytes_in,                              -- rule: Falcon has no bytes
  CAST(NULL AS VARCHAR) AS not_mail,                              -- rule: no packets, no conformance
  CAST(NULL AS VARCHAR) AS duration_ms                            -- rule: Falcon events are instants
FROM hits
-- rule: group by host, process, user, dst_ip, dst_port, protocol; SQL GROUP BY
-- puts NULL keys in one group of their own, as the rule asks
GROUP BY host, src_ip, process, "user", dst_ip, dst_port, protocol, lacks
-- rule: keep count > 2
HAVING count(*) > 2
-- rule: count DESC, then host, process, user, dst_ip ascending in byte order
-- with NULLs last, then dst_port ascending. COLLATE "binary" pins byte order
-- whatever the session's default collation is.
ORDER BY
  count DESC,
  host     COLLATE "binary" ASC NULLS LAST,
  src_ip   COLLATE "binary" ASC NULLS LAST,
  process  COLLATE "binary" ASC NULLS LAST,
  "user"   COLLATE "binary" ASC NULLS LAST,
  dst_ip   COLLATE "binary" ASC NULLS LAST,
  dst_port ASC NULLS LAST;
