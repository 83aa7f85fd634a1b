// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The fexit plan's programs; see fexitplan.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "fexitplan.h"
#include "common/util.h"

bool lt_fexit_is_plan_prog(const struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);

	return !strncmp(name, "lt_fxc_", 7) || !strncmp(name, "lt_fxd_", 7);
}

/* The plan's programs: bpf/fexit.def, in the object. */
static const struct fexit_call {
	const char *tail; /* the program that tail-calls the slow path */
	const char *direct; /* the one that calls it */
	const char *func;
} fexit_calls[] = {
#define LT_FEXIT_CALL(ID, func, kind) { "lt_fxc_" #ID, "lt_fxd_" #ID, #func },
#include "fexit.def"
};

/* The type id of kernel function @name's prototype in @btf, and its
 * arguments in @nargs; -1 if it is not there. */
static int func_proto(const struct btf *btf, const char *name, int *nargs)
{
	int id = btf ? btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) : -1;
	const struct btf_type *t;

	*nargs = -1;
	if (id < 0)
		return -1;
	id = (int)btf__type_by_id(btf, id)->type;
	t = btf__type_by_id(btf, id);
	if (!t)
		return -1;
	*nargs = btf_vlen(t);
	return id;
}

/*
 * The slow path (lt_fxc_slow, loaded on __x64_sys_openat, never attached),
 * and of bpf/fexit.def those whose function the running kernel has, with
 * its one argument (the saved registers): each the program that tail-calls
 * the slow path where the function's prototype is the slow path's own in
 * the kernel's BTF (the kernel allows a tail call only then: since 6.11 it
 * compares them), else the one that calls it (verified with it). Each
 * function missing is left out, said with -v; every native call's is
 * needed; an ia32 call's is not (a kernel without ia32 emulation has none).
 */
int lt_fexit_select(struct bpf_object *obj, const struct btf *btf, bool on, int *nloaded, char *why,
		    size_t len)
{
	struct bpf_program *slow_prog = bpf_object__find_program_by_name(obj, "lt_fxc_slow");
	int n, slow = on ? func_proto(btf, "__x64_sys_openat", &n) : -1;
	int err = 0;

	*nloaded = 0;
	if (!slow_prog) {
		snprintf(why, len, "no slow-path program in the BPF object");
		return -ENOENT;
	}
	bpf_program__set_autoload(slow_prog, slow >= 0);
	bpf_program__set_autoattach(slow_prog, false);
	for (size_t i = 0; i < ARRAY_SIZE(fexit_calls); i++) {
		const struct fexit_call *c = &fexit_calls[i];
		struct bpf_program *tail = bpf_object__find_program_by_name(obj, c->tail);
		struct bpf_program *direct = bpf_object__find_program_by_name(obj, c->direct);
		int proto = on ? func_proto(btf, c->func, &n) : -1;
		bool have = proto >= 0 && n == 1;
		bool by_tail = have && proto == slow;

		if (!tail || !direct) {
			snprintf(why, len, "no program for %s in the BPF object", c->func);
			return -ENOENT;
		}
		bpf_program__set_autoload(tail, by_tail);
		bpf_program__set_autoload(direct, have && !by_tail);
		*nloaded += have;
		if (have && !by_tail)
			p_debug("fexit plan: %s has a prototype of its own in BTF: its program "
				"calls the slow path",
				c->func);
		if (!on || have)
			continue;
		/* An x86_64 call's (not __ia32_*). */
		if (strncmp(c->func, "__ia32_", 7) && !err) {
			snprintf(why, len, "%s %s", c->func,
				 btf ? "is not in the kernel's BTF with one argument" :
				       "cannot be looked up (no kernel BTF)");
			err = -ENOENT;
		}
		p_debug("fexit plan: %s not in this kernel, left out", c->func);
	}
	return err;
}
