/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * locktrace report: recordings (JSON Lines from locktrace record or -o)
 * in, one report out. The command (cli.c) reads its files into the model
 * (model.h: ingest.c, group.c, table.c; lines parsed by parse.cc), which
 * treats them as untrusted, then writes it in one format (render.h:
 * text.c, json.c, html.c with timeline.c, over fmt.c).
 */
#ifndef LOCKTRACE_REPORT_H
#define LOCKTRACE_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "model.h"

/* The command: locktrace report [OPTIONS] FILE... Returns an exit code. */
int lt_report_main(int argc, char **argv);

/* Parse report options (argv[0] is "report"); err gets one line. Returns
 * LT_PARSE_OK, LT_PARSE_EXIT (--help printed to out) or LT_PARSE_ERROR. */
int lt_rep_parse_opts(int argc, char **argv, struct lt_rep_opts *o, char *err, size_t errlen,
		      FILE *out);

#endif /* LOCKTRACE_REPORT_H */
