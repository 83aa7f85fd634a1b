/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The network filesystem evidence: the programs on the cifs client's own
 * tracepoints (bpf/netfs.bpf.c), a BPF object of their own that shares
 * the tracer's maps. Loaded only where the module is loaded and its BTF
 * is there, at the start or when it appears later. The only file that
 * knows that object's skeleton. Functions return 0 or -errno.
 */
#ifndef LOCKTRACE_NETFS_H
#define LOCKTRACE_NETFS_H

#include <stdbool.h>
#include <stddef.h>
#include "loader.h"

struct netfs_bpf;

struct lt_netfs {
	struct netfs_bpf *skel; /* loaded and attached; NULL: not (yet) */
	bool failed; /* a start failed (said once); not tried again */
	int nattached;
	char attached[512]; /* "cifs:smb3_cmd_err, ..." */
	char why[192]; /* why not: the module, its BTF, or the failure */
};

/* Load and attach the cifs programs, sharing @l's maps; on failure n->why
 * says why (and nothing is left loaded). */
int lt_netfs_start(struct lt_netfs *n, struct lt_loader *l);
/* Called now and then while tracing (cheap): start when the module has
 * appeared since. 1 if it started now, 0 if nothing changed, -errno if
 * the start failed. */
int lt_netfs_poll(struct lt_netfs *n, struct lt_loader *l);
/* Detach: nothing is produced after this returns. */
void lt_netfs_detach(struct lt_netfs *n);
void lt_netfs_destroy(struct lt_netfs *n);
/* For the tracing line: "cifs: 7 programs attached: cifs:smb3_cmd_err,
 * ..." or "cifs: not attached (the cifs module is not loaded); attached
 * when it appears". */
void lt_netfs_describe(const struct lt_netfs *n, char *buf, size_t len);

#endif /* LOCKTRACE_NETFS_H */
