// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * locktrace: who was refused access to a lock file, and why. The
 * subcommands (common/opts.h LT_COMMANDS) through one table; without one,
 * it traces. Exit codes: LT_EXIT_* (common/util.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/opts.h"
#include "common/util.h"
#include "report/report.h"
#include "trace/loader.h"
#include "trace/plan.h"
#include "trace/probe.h"
#include "trace/trace.h"

struct cmd {
	const char *name;
	int (*func)(int argc, char **argv); /* argv[0] is the command's name */
};

/* Trace (or record, with nothing on stdout) with the options of argv. */
static int trace(int argc, char **argv, bool record)
{
	struct lt_opts *opts = calloc(1, sizeof(*opts));
	char err[256];
	int rc;

	if (!opts) {
		p_err("out of memory");
		return LT_EXIT_RUNTIME;
	}
	rc = lt_parse_opts(argc, argv, record, opts, err, sizeof(err), stdout);
	if (rc == LT_PARSE_OK) {
		rc = lt_trace_run(opts);
	} else if (rc == LT_PARSE_EXIT) {
		rc = LT_EXIT_OK;
	} else {
		p_err("%s", err);
		rc = LT_EXIT_USAGE;
	}
	free(opts);
	return rc;
}

static int do_trace(int argc, char **argv)
{
	return trace(argc, argv, false);
}

static int do_record(int argc, char **argv)
{
	return trace(argc, argv, true);
}

static int do_report(int argc, char **argv)
{
	return lt_report_main(argc, argv);
}

static int do_probe(int argc, char **argv __attribute__((unused)))
{
	struct lt_probe p;
	int err;

	if (argc > 1) {
		p_err("probe takes no arguments (see --help)");
		return LT_EXIT_USAGE;
	}
	err = lt_loader_check();
	if (err)
		return LT_EXIT_RUNTIME;
	lt_probe_run(&p);
	lt_probe_print(&p, stdout);
	lt_plan_print(&p, stdout);
	return LT_EXIT_OK;
}

#define LT_CMD(name, usage) { #name, do_##name },
static const struct cmd cmds[] = { LT_COMMANDS(LT_CMD) };
#undef LT_CMD

/* The command argv[1] names gets argv from its name on; any other word
 * (an option, a file) is the tracer's to take or refuse. */
static int cmd_select(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].func(argc - 1, argv + 1);
	return do_trace(argc, argv);
}

int main(int argc, char **argv)
{
	return cmd_select(argc, argv);
}
