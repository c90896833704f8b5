/* seed_memory: embedding the mailc2 library. Reads a rule and an events
 * file into memory, compiles the rule, runs it over the bytes in memory and
 * prints the rows as JSON lines on stdout — what `mailc2 run RULE EVENTS
 * --format jsonl` prints, without the command.
 *
 *   cc seed_memory.c $(pkg-config --cflags --libs mailc2) -o seed_memory
 *   ./seed_memory t1071_003.logscale events.ndjson [NOW|latest]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mailc2.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    *len = n;
    return buf;
}

static void log_line(void *ud, int kind, const char *msg)
{
    (void)ud;
    if (kind != MC_LOG_WARN)
        fprintf(stderr, "%s\n", msg);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s RULE EVENTS [NOW|latest]\n", argv[0]);
        return 2;
    }
    size_t rule_len, events_len;
    char *rule = slurp(argv[1], &rule_len), *events = slurp(argv[2], &events_len);
    if (!rule || !events) {
        fprintf(stderr, "%s: cannot read the rule or the events\n", argv[0]);
        return 2;
    }
    mc_options o;
    mc_options_init(&o);
    o.log = log_line;
    o.now_latest = argc > 3 && strcmp(argv[3], "latest") == 0;
    if (argc > 3 && !o.now_latest && mc_time_parse(argv[3], &o.now_ms))
        return 2;
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    mc_query *q = e ? mc_compile(e, NULL, argv[1], rule, rule_len, &err) : NULL;
    mc_sink *out = q ? mc_sink_open("jsonl", stdout, "<stdout>", &err) : NULL;
    int rc = 2;
    if (out) {
        mc_input in = mc_input_memory(argv[2], events, events_len);
        mc_report *r;
        rc = mc_run(e, q, &in, 1, out, &r, &err) == MC_OK ? 0 : 3;
        if (r)
            fprintf(stderr, "%s\n", mc_report_note(r, 0));
        mc_report_free(r);
    }
    if (rc)
        fprintf(stderr, "%s: %s\n", argv[0], err.message);
    mc_sink_free(out);
    mc_query_free(q);
    mc_engine_close(e);
    free(rule);
    free(events);
    return rc;
}
