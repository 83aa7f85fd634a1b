/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fexit plan's programs (bpf/fexit.def): which of them this kernel
 * loads, each on a traced call's entry function, and how each reaches the
 * slow path (a tail call, or a call where the kernel refuses the tail call).
 */
#ifndef LOCKTRACE_FEXITPLAN_H
#define LOCKTRACE_FEXITPLAN_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_object;
struct bpf_program;
struct btf;

/* Is @prog one of the fexit plan's (lt_fxc_*, lt_fxd_*)? */
bool lt_fexit_is_plan_prog(const struct bpf_program *prog);

/*
 * Set the autoload of the fexit plan's programs in @obj: @on, those this
 * kernel (@btf) has; else all off. @nloaded gets the functions attached to.
 * 0, or -ENOENT with @why when a native call's function is missing.
 */
int lt_fexit_select(struct bpf_object *obj, const struct btf *btf, bool on, int *nloaded, char *why,
		    size_t len);

#endif /* LOCKTRACE_FEXITPLAN_H */
