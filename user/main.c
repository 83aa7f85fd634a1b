// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* locktrace: who was refused access to a lock file, and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace/loader.h"
#include "common/opts.h"
#include "trace/probe.h"
#include "report/report.h"
#include "trace/trace.h"
#include "common/util.h"

int main(int argc, char **argv)
{
	struct lt_opts *opts = calloc(1, sizeof(*opts));
	char err[256];
	int rc;

	if (!opts) {
		p_err("out of memory");
		return LT_EXIT_RUNTIME;
	}
	if (argc > 1 && !strcmp(argv[1], "report")) {
		free(opts);
		return lt_report_main(argc - 1, argv + 1);
	}
	if (argc > 1 && !strcmp(argv[1], "probe")) {
		struct lt_probe p;

		free(opts);
		if (argc > 2) {
			p_err("probe takes no arguments (see --help)");
			return LT_EXIT_USAGE;
		}
		rc = lt_loader_check();
		if (rc)
			return rc;
		lt_probe_run(&p);
		lt_probe_print(&p, stdout);
		return LT_EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "record")) {
		argc--;
		argv++;
	}
	rc = lt_parse_opts(argc, argv, opts, err, sizeof(err), stdout);
	if (rc == LT_PARSE_OK)
		rc = lt_trace_run(opts);
	else if (rc == LT_PARSE_EXIT)
		rc = LT_EXIT_OK;
	else {
		p_err("%s", err);
		rc = LT_EXIT_USAGE;
	}
	free(opts);
	return rc;
}
