/* hunt: `mailc2 hunt` — the built-in detection with its tuning flags. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"

enum { OPT_PORTS = OPT_COMMAND_FIRST, OPT_ALLOW, OPT_THRESHOLD, OPT_WINDOW };

static const struct option hunt_options[] = {
    {"ports", required_argument, NULL, OPT_PORTS},
    {"allow", required_argument, NULL, OPT_ALLOW},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"window", required_argument, NULL, OPT_WINDOW},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

static int hunt_option(hunt_params *h, int opt, char *arg)
{
    char err[200], *end;
    switch (opt) {
    case OPT_PORTS:
        return hunt_parse_ports(h, arg, err, sizeof err) ? cli_usage_error("%s", err) : 0;
    case OPT_ALLOW:
        return hunt_parse_allow(h, arg, err, sizeof err) ? cli_usage_error("%s", err) : 0;
    case OPT_THRESHOLD:
        h->threshold = strtoll(arg, &end, 10);
        if (end == arg || *end || h->threshold < 0)
            return cli_usage_error("--threshold: '%s' is not a whole number >= 0", arg);
        return 0;
    case OPT_WINDOW:
        if (time_parse_duration(arg, &h->window_ms) || h->window_ms <= 0)
            return cli_usage_error("--window: '%s' is not a duration like 90m, 24h or 7d", arg);
        return 0;
    default:
        return cli_usage_error("%s", "unrecognised option (see above)");
    }
}

int cmd_hunt(int argc, char **argv)
{
    cli_common c;
    hunt_params h;
    cli_common_init(&c);
    hunt_params_default(&h);
    int opt;
    while ((opt = getopt_long(argc, argv, "h", hunt_options, NULL)) != -1) {
        int rc = cli_common_option(&c, opt == 'h' ? OPT_HELP : opt, optarg);
        if (rc == 1)
            rc = hunt_option(&h, opt, optarg);
        if (rc)
            return rc < 0 ? EXIT_NOTHING : rc;
    }
    c.window_ms = h.window_ms;
    plan *p = builtin_plan(&h);
    int rc = cli_execute(&c, p, argv + optind, argc - optind);
    plan_free(p);
    return rc;
}
