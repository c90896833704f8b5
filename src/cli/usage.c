/* usage: the --help text. Every user-facing flag is listed here, in the
 * README and in man/mailc2.1; keep the three in step. */
#include "cli/cli.h"

void usage(FILE *out)
{
    fputs(
"usage: mailc2 COMMAND [OPTIONS] [PATH...]\n"
"\n"
"Hunts command-and-control over mail protocols (MITRE ATT&CK T1071.003):\n"
"processes other than mail clients making repeated outbound connections to\n"
"SMTP/S, POP3/S and IMAP/S ports.\n"
"\n"
"Commands:\n"
"  hunt [PATH...]     run the built-in detection over files, directories or -\n"
"  explain [builtin]  print the plan the detection compiles to\n"
"  formats            list the input formats mailc2 detects\n"
"\n"
"Hunt options:\n"
"  --ports LIST       mail ports to watch (default 25,465,587,110,995,143,993)\n"
"  --allow LIST       more process names to exclude, comma-separated\n"
"                     (built in: outlook.exe thunderbird.exe mailclient.exe\n"
"                     \"em client.exe\" msedge.exe chrome.exe firefox.exe)\n"
"  --threshold N      report groups with more than N connections (default 2)\n"
"  --window DUR       look back DUR from now: 90m, 24h, 7d (default 24h)\n"
"  --now TIME         the window's end: ISO 8601 time, or 'latest' for the\n"
"                     newest event in the input (default: the wall clock)\n"
"  --format FMT       table, jsonl or csv (default: table on a terminal,\n"
"                     jsonl otherwise)\n"
"  --output FILE      write results to FILE instead of stdout\n"
"  --max-errors N     show the first N bad-record messages (default 10)\n"
"  --progress, --no-progress\n"
"                     progress bar on stderr (default: when stderr is a terminal)\n"
"  --quiet            no summary line, notes or progress on stderr (bad-record\n"
"                     messages stay; --max-errors 0 hides them too)\n"
"\n"
"Input: Falcon NetworkConnectIP4 and other events as JSON lines; gzip and\n"
"zstd are detected by content; a directory means every file below it.\n"
"\n"
"Exit status: 0 nothing found, 1 findings, 2 usage or rule error,\n"
"3 an input could not be read (the others were still processed).\n",
        out);
}
