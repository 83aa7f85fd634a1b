/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A tracing session: load, attach, stream events, stop, summarise. */
#ifndef LOCKTRACE_TRACE_H
#define LOCKTRACE_TRACE_H

#include "common/opts.h"

/* Runs until a signal, --duration or a closed stdout; returns the exit
 * code (LT_EXIT_*), every failure said on stderr. */
int lt_trace_run(const struct lt_opts *opts);

#endif /* LOCKTRACE_TRACE_H */
