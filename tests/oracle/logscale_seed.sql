-- logscale_seed.sql - the LogScale seed ../shared/seeds/t1071_003.logscale,
-- translated by hand into DuckDB SQL from ../shared/docs/logscale.md.
--
-- This is a test oracle for
--   mailc2 run --format csv t1071_003.logscale PATH...
-- It shares no code with mailc2: logscale_oracle.mjs decodes the Falcon JSON
-- lines, loads them into the table `ev` below, runs this file and prints the
-- result as CSV; tests/e2e/test_logscale_oracle.sh diffs that with mailc2.
--
-- Input: the table `ev`, one row per valid JSON-object line, in input order:
--   seq BIGINT              position of the event in the input (0, 1, ...)
--   event_simpleName, RemotePort, ImageFileName, ComputerName,
--   RemoteAddressIP4, UserName, ContextTimeStamp   VARCHAR
-- Each VARCHAR column holds the field's text exactly (JSON strings decoded,
-- JSON numbers as written in the line, e.g. `25`, `25.0`,
-- `1795392005.000`); NULL means the event lacks the field (logscale.md §2:
-- "every key becomes a field with its string value (numbers keep their JSON
-- text)"). `#event_simpleName` is the `event_simpleName` field (§2).
-- Falcon's own `Protocol` is not loaded: the seed overwrites it (§6 #10).
--
-- The file is statements run in order; the last one's rows are the output.
-- Every clause names the logscale.md section it implements.

-- ---------------------------------------------------------------------------
-- Numbers (§3 "a value that is not a decimal number makes the comparison
-- false"; §5 min/max "numeric; values that are not numbers are ignored").
--
-- logscale.md says "decimal number" and does not spell the syntax out. This
-- oracle's reading: an optional sign, digits with an optional fraction
-- (`12`, `12.`, `12.50`, `.5`, `-3`, `+3`), nothing else: no spaces, no
-- exponent, no hex, no `inf`/`nan`.
--
-- min/max must compare numerically but output the winning TEXT unchanged
-- (§5 [decision], §6 #14). To compare exactly, with no float rounding at any
-- precision, each number gets an order key (a STRUCT, compared member by
-- member) built from its digits:
--   i = integer digits without leading zeros, f = fraction digits without
--   trailing zeros; a number is zero when both are empty (then the sign is
--   ignored: -0 = 0).
--   non-negative: (1,  length(i), i, f)
--   negative:     (0, -length(i), 9s-complement of i, 9s-complement of f || ':')
-- For non-negatives a longer integer part is larger; equal lengths compare
-- digit by digit; the fractions compare as strings because, with trailing
-- zeros gone, a proper prefix is the smaller number (0.5 < 0.51). For
-- negatives the digits are complemented to reverse the order and ':' (which
-- sorts after every digit) ends the fraction so that -3.5 < -3 and
-- -3.51 < -3.5.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE TEMP MACRO ls_is_number(x) AS
  regexp_full_match(x, '[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)');

CREATE OR REPLACE TEMP MACRO ls_int_digits(x) AS
  ltrim(regexp_extract(x, '^[+-]?([0-9]*)', 1), '0');

CREATE OR REPLACE TEMP MACRO ls_frac_digits(x) AS
  rtrim(regexp_extract(x, '\.([0-9]*)$', 1), '0');

CREATE OR REPLACE TEMP MACRO ls_negative(x) AS
  starts_with(x, '-') AND (ls_int_digits(x) <> '' OR ls_frac_digits(x) <> '');

CREATE OR REPLACE TEMP MACRO ls_num_key(x) AS
  CASE
    WHEN x IS NULL OR NOT ls_is_number(x) THEN NULL
    WHEN ls_negative(x) THEN
      {'s': 0, 'l': -length(ls_int_digits(x)),
       'i': translate(ls_int_digits(x), '0123456789', '9876543210'),
       'f': translate(ls_frac_digits(x), '0123456789', '9876543210') || ':'}
    ELSE
      {'s': 1, 'l': length(ls_int_digits(x)),
       'i': ls_int_digits(x),
       'f': ls_frac_digits(x)}
  END;

WITH
-- §3 tag filter, §6 #1: `#event_simpleName=NetworkConnectIP4` is an exact,
-- case-sensitive comparison of the whole value (no `*` in the pattern, so no
-- wildcard); a missing event_simpleName never equals (§3: every comparison
-- but != is false on a missing field - NULL = '...' is not TRUE in SQL).
step1_tag AS (
  SELECT * FROM ev
  WHERE event_simpleName = 'NetworkConnectIP4'
),
-- §3 in(), §6 #2-3: `values` is an array of strings, each compared with `=`
-- semantics (exact, case-sensitive, no wildcard here). Unquoted 25 is the
-- string "25": RemotePort must be exactly one of these seven texts, so
-- "025", "25.0", " 25" do not match. Missing RemotePort -> dropped.
step2_in AS (
  SELECT * FROM step1_tag
  WHERE RemotePort IN ('25', '465', '587', '110', '995', '143', '993')
),
-- §1 quoted strings + §6 #4: "...\\.exe$" has the escape `\\` -> `\`, so the
-- regex is (?i)(outlook|thunderbird|MailClient|eM.Client|msedge|chrome|firefox)\.exe$
-- §3 regex(), §6 #5-7: unanchored search (regexp_matches is a search, not a
-- full match: `evilchrome.exe`, `C:\tmp\outlook.exe` match); default flags
-- "m" -> `$` matches at the end of any line, given here as the inline (?m);
-- (?i) caseless; `.` in eM.Client matches any character but a newline
-- (DuckDB's RE2: `.` excludes \n by default, as PCRE2 without DOTALL).
-- §3 negated filter functions, §6 #8: `!regex` keeps exactly the events
-- regex() would drop: non-matching ones AND those lacking ImageFileName.
step3_not_regex AS (
  SELECT * FROM step2_in
  WHERE ImageFileName IS NULL
     OR NOT regexp_matches(
          ImageFileName,
          '(?m)' || '(?i)(outlook|thunderbird|MailClient|eM.Client|msedge|chrome|firefox)\.exe$')
),
-- §4 `X := case { filter => "lit"; ...; * => "lit" }` (mailc2 extension) =
-- case { filter | X := "lit"; ...; * | X := "lit" }: branches tried top to
-- bottom, first match wins; each branch's in() is §3 in() again (exact text).
-- The `*` branch makes the case total (nothing dropped, §6 #11); "Unknown"
-- cannot occur after step2. `:=` overwrites Falcon's Protocol (§4, §6 #10).
step4_protocol AS (
  SELECT
    *,
    CASE
      WHEN RemotePort IN ('25', '465', '587') THEN 'SMTP'
      WHEN RemotePort IN ('110', '995')       THEN 'POP3'
      WHEN RemotePort IN ('143', '993')       THEN 'IMAP'
      ELSE 'Unknown'
    END AS Protocol
  FROM step3_not_regex
),
-- §5 groupBy [decision], §6 #8-9: an event lacking ANY key field is not
-- grouped. (An empty string is a present field, §3 `f = ""`, and is grouped.)
step5_has_keys AS (
  SELECT * FROM step4_protocol
  WHERE ComputerName     IS NOT NULL
    AND ImageFileName    IS NOT NULL
    AND RemoteAddressIP4 IS NOT NULL
    AND RemotePort       IS NOT NULL
    AND Protocol         IS NOT NULL
    AND UserName         IS NOT NULL
),
-- §5 groupBy: one row per distinct key tuple, exact case-sensitive string
-- equality (§6 #19: `WS-1` <> `ws-1`; SQL GROUP BY on VARCHAR is exact).
-- §5 count(as=ConnectionCount): events in the group.
-- §5 min/max(ContextTimeStamp), §6 #14-15: numeric, non-numbers ignored
-- (ls_num_key is NULL for them and arg_min/arg_max skip NULL keys), the
-- output is the winning value's text unchanged; no numeric value in the group
-- -> the field is absent (NULL). Ties between different texts of the same
-- number (`5` vs `5.0`) are not decided by logscale.md; this oracle takes the
-- one earliest in the input (seq) for both FirstSeen and LastSeen.
step6_groups AS (
  SELECT
    ComputerName, ImageFileName, RemoteAddressIP4, RemotePort, Protocol, UserName,
    count(*) AS ConnectionCount,
    arg_min(ContextTimeStamp, {'k': ls_num_key(ContextTimeStamp), 'seq': seq})
      FILTER (WHERE ls_num_key(ContextTimeStamp) IS NOT NULL) AS FirstSeen,
    arg_max(ContextTimeStamp, {'k': ls_num_key(ContextTimeStamp), 'seq': -seq})
      FILTER (WHERE ls_num_key(ContextTimeStamp) IS NOT NULL) AS LastSeen
  FROM step5_has_keys
  GROUP BY ComputerName, ImageFileName, RemoteAddressIP4, RemotePort, Protocol, UserName
)
-- §6 #18: output fields = group keys in groupBy order, then the aggregates in
-- function order.
SELECT
  ComputerName, ImageFileName, RemoteAddressIP4, RemotePort, Protocol, UserName,
  ConnectionCount, FirstSeen, LastSeen
FROM step6_groups
-- §5 "filters after an aggregate apply to the result rows with §3
-- semantics", §6 #16: `ConnectionCount > 2`, numeric and strict (the count is
-- always a number).
WHERE ConnectionCount > 2
-- §5 sort(), §6 #17: sort(ConnectionCount, order=desc, limit=100), type=number
-- (the default): descending by count. Ties: §5 [decision] "ties keep the
-- incoming order, and mailc2 makes the incoming order deterministic (group
-- keys ascending)": every output column ascending in byte order (RemotePort
-- compared as text), NULLs last. COLLATE "binary" pins byte order whatever
-- the session default is. At most 100 rows.
-- §2/§6 #20: no time window - the input is the search range.
ORDER BY
  ConnectionCount DESC,
  ComputerName     COLLATE "binary" ASC NULLS LAST,
  ImageFileName    COLLATE "binary" ASC NULLS LAST,
  RemoteAddressIP4 COLLATE "binary" ASC NULLS LAST,
  RemotePort       COLLATE "binary" ASC NULLS LAST,
  Protocol         COLLATE "binary" ASC NULLS LAST,
  UserName         COLLATE "binary" ASC NULLS LAST,
  FirstSeen        COLLATE "binary" ASC NULLS LAST,
  LastSeen         COLLATE "binary" ASC NULLS LAST
LIMIT 100;
