/* hunt: `mailc2 hunt` — the built-in detection with its tuning flags. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"

enum { OPT_PORTS = OPT_COMMAND_FIRST, OPT_ALLOW, OPT_THRESHOLD, OPT_WINDOW, OPT_MIN_SCORE,
       OPT_SORT };

static const struct option hunt_options[] = {
    {"ports", required_argument, NULL, OPT_PORTS},
    {"allow", required_argument, NULL, OPT_ALLOW},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"min-score", required_argument, NULL, OPT_MIN_SCORE},
    {"sort", required_argument, NULL, OPT_SORT},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* The library checks the values when the query is made. */
static int hunt_option(mc_hunt_options *h, int opt, const char *arg)
{
    switch (opt) {
    case OPT_PORTS: h->ports = arg; return 0;
    case OPT_ALLOW: h->allow = arg; return 0;
    case OPT_THRESHOLD: h->threshold = arg; return 0;
    case OPT_WINDOW: h->window = arg; return 0;
    case OPT_MIN_SCORE: h->min_score = arg; return 0;
    case OPT_SORT: h->sort = arg; return 0;
    default: return cli_usage_error("%s", "unrecognised option (see above)");
    }
}

int cmd_hunt(int argc, char **argv)
{
    cli_common c;
    mc_hunt_options h = {0};
    cli_common_init(&c);
    int opt;
    while ((opt = getopt_long(argc, argv, "h", hunt_options, NULL)) != -1) {
        int rc = cli_common_option(&c, opt == 'h' ? OPT_HELP : opt, optarg);
        if (rc == 1)
            rc = hunt_option(&h, opt, optarg);
        if (rc)
            return rc < 0 ? EXIT_NOTHING : rc;
    }
    mc_engine *e = cli_engine(&c);
    if (!e)
        return EXIT_USAGE;
    mc_error err;
    mc_query *q = mc_hunt(e, &h, &err);
    int rc = q ? cli_execute(&c, e, q, argv + optind, argc - optind)
               : cli_usage_error("%s", err.message);
    mc_query_free(q);
    mc_engine_close(e);
    return rc;
}
