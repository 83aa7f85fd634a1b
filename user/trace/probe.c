// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What this kernel lets locktrace do, found by trying: see probe.h. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "locktrace.h"
#include "probe.h"
#include "common/lsm_list.h"
#include "common/util.h"

static const char *const names[LT_FEAT_COUNT] = {
	[LT_FEAT_BTF] = "kernel BTF",
	[LT_FEAT_RINGBUF] = "BPF ring buffer",
	[LT_FEAT_TP_BTF] = "BTF raw tracepoints (tp_btf/)",
	[LT_FEAT_BPF_LOOP] = "bpf_loop() helper",
	[LT_FEAT_FEXIT] = "fentry/fexit (BPF trampolines)",
	[LT_FEAT_BPF_LSM] = "BPF LSM programs",
	[LT_FEAT_NETFS] = "network filesystem evidence",
};

/* How to get a missing feature. */
static const char *const hints[LT_FEAT_COUNT] = {
	[LT_FEAT_BTF] = "a kernel built with CONFIG_DEBUG_INFO_BTF=y",
	[LT_FEAT_RINGBUF] = "Linux 5.8 or newer",
	[LT_FEAT_TP_BTF] = "Linux 5.5 or newer with BTF",
	[LT_FEAT_BPF_LOOP] = "Linux 5.17 or newer (older kernels get the bounded-loop matcher)",
	[LT_FEAT_FEXIT] = "a kernel with BPF trampolines (CONFIG_BPF_JIT, x86_64/arm64) that "
			  "allows them: EPERM here means a policy (lockdown, a hypervisor or "
			  "the distribution) refuses them",
	[LT_FEAT_BPF_LSM] = "CONFIG_BPF_LSM=y and bpf in the active list: add it to the lsm= "
			    "boot parameter (e.g. lsm=lockdown,capability,landlock,apparmor,bpf) "
			    "and reboot",
	[LT_FEAT_NETFS] =
		"the cifs module loaded (mounting a share loads it) in a kernel built with "
		"CONFIG_DEBUG_INFO_BTF_MODULES=y; the tracer attaches to it when it "
		"appears",
};

/* The security modules the LSM tier can name (bpf/lsm.def), in its order. */
static const struct {
	const char *name;
	enum lt_lsm_id id;
} modules[] = {
#define LT_LSM_MODULE(ID, value, name, title, fn_prefix, mac) { name, LT_LSM_##ID },
#include "lsm.def"
};

/* The modules' own hook functions the LSM tier watches (bpf/lsm.def). */
static const struct {
	const char *func;
	enum lt_lsm_id id;
} module_hooks[] = {
#define LT_LSM_MODULE_HOOK(ID, func) { #func, LT_LSM_##ID },
#include "lsm.def"
};

const char *lt_lsm_hook_module(const char *func)
{
	for (size_t i = 0; i < ARRAY_SIZE(module_hooks); i++) {
		if (strcmp(module_hooks[i].func, func))
			continue;
		for (size_t m = 0; m < ARRAY_SIZE(modules); m++)
			if (modules[m].id == module_hooks[i].id)
				return modules[m].name;
	}
	return NULL;
}

/* "selinux (4), apparmor (3)": active modules with hook functions in BTF. */
static void find_attributable(struct lt_probe *p, const struct btf *btf)
{
	size_t off = 0;

	for (size_t m = 0; m < ARRAY_SIZE(modules) && btf; m++) {
		int n = 0;

		if (!lt_list_has(p->lsm_list, modules[m].name))
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(module_hooks); i++)
			if (module_hooks[i].id == modules[m].id &&
			    btf__find_by_name_kind(btf, module_hooks[i].func, BTF_KIND_FUNC) >= 0)
				n++;
		if (n && off < sizeof(p->attributable))
			off += snprintf(p->attributable + off, sizeof(p->attributable) - off,
					"%s%s (%d)", off ? ", " : "", modules[m].name, n);
	}
}

static void set(struct lt_probe *p, enum lt_feature f, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set(struct lt_probe *p, enum lt_feature f, bool ok, const char *fmt, ...)
{
	va_list ap;

	p->ok[f] = ok;
	va_start(ap, fmt);
	vsnprintf(p->detail[f], sizeof(p->detail[f]), fmt, ap);
	va_end(ap);
}

/* Load "r0 = 0; exit" as a program of this type hooked to a kernel BTF
 * type, and attach it; the fd of the link is closed at once. */
static int try_prog(enum bpf_prog_type type, enum bpf_attach_type attach, const struct btf *btf,
		    const char *btf_name, int kind, const char **step)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach);
	int id, prog, link, err;

	*step = "find";
	id = btf ? btf__find_by_name_kind(btf, btf_name, kind) : -ENOENT;
	if (id < 0)
		return -ENOENT;
	opts.attach_btf_id = id;
	*step = "load";
	prog = bpf_prog_load(type, "lt_probe", "GPL", insns, 2, &opts);
	if (prog < 0)
		return -errno;
	*step = "attach";
	link = bpf_link_create(prog, 0, attach, NULL);
	err = link < 0 ? -errno : 0;
	if (link >= 0)
		close(link);
	close(prog);
	return err;
}

int lt_cifs_available(char *why, size_t len)
{
	why[0] = '\0';
	if (access(LT_CIFS_MODULE_PATH, F_OK)) {
		snprintf(why, len, "the cifs module is not loaded (no %s)", LT_CIFS_MODULE_PATH);
		return -ENOENT;
	}
	if (access(LT_CIFS_BTF_PATH, R_OK)) {
		snprintf(why, len,
			 "the cifs module has no BTF (no %s: a kernel built without "
			 "CONFIG_DEBUG_INFO_BTF_MODULES)",
			 LT_CIFS_BTF_PATH);
		return -ENOENT;
	}
	return 0;
}

int lt_module_btf_fd(const char *name)
{
	__u32 id = 0;

	while (!bpf_btf_get_next_id(id, &id)) {
		struct bpf_btf_info info;
		char nm[64] = "";
		__u32 len = sizeof(info);
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = (__u64)(unsigned long)nm;
		info.name_len = sizeof(nm);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.kernel_btf &&
		    !strcmp(nm, name))
			return fd;
		close(fd);
	}
	return -ENOENT;
}

/*
 * The cifs client's tracepoints: its module loaded with BTF, and a BTF raw
 * tracepoint on smb3_cmd_err (the server's NT status) that loads and
 * attaches against the module's BTF.
 */
static void probe_netfs(struct lt_probe *p, const struct btf *vmlinux)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	struct btf *cifs;
	const char *step = "find";
	int id = -ENOENT, fd = -1, prog = -1, link, err;

	if (lt_cifs_available(p->detail[LT_FEAT_NETFS], sizeof(p->detail[LT_FEAT_NETFS])))
		return;
	cifs = vmlinux ? btf__load_module_btf("cifs", (struct btf *)vmlinux) : NULL;
	if (cifs)
		id = btf__find_by_name_kind(cifs, "btf_trace_smb3_cmd_err", BTF_KIND_TYPEDEF);
	btf__free(cifs);
	err = id < 0 ? -ENOENT : 0;
	if (!err) {
		step = "load";
		fd = lt_module_btf_fd("cifs");
		opts.attach_btf_obj_fd = fd < 0 ? 0 : fd;
		opts.attach_btf_id = id;
		prog = fd < 0 ? fd :
				bpf_prog_load(BPF_PROG_TYPE_TRACING, "lt_probe", "GPL", insns, 2,
					      &opts);
		err = prog < 0 ? (fd < 0 ? fd : -errno) : 0;
	}
	if (!err) {
		step = "attach";
		link = bpf_link_create(prog, 0, BPF_TRACE_RAW_TP, NULL);
		err = link < 0 ? -errno : 0;
		if (link >= 0)
			close(link);
	}
	if (prog >= 0)
		close(prog);
	if (fd >= 0)
		close(fd);
	if (!err)
		set(p, LT_FEAT_NETFS, true,
		    "cifs: loaded and attached on cifs:smb3_cmd_err (the module's BTF)");
	else if (!strcmp(step, "find"))
		set(p, LT_FEAT_NETFS, false,
		    "cifs: no smb3_cmd_err tracepoint in the module's BTF");
	else
		set(p, LT_FEAT_NETFS, false, "cifs: %s on cifs:smb3_cmd_err: %s", step,
		    strerror(-err));
}

static void probe_prog(struct lt_probe *p, enum lt_feature f, enum bpf_prog_type type,
		       enum bpf_attach_type attach, const struct btf *btf, const char *btf_name,
		       int kind, const char *what)
{
	const char *step;
	int err = try_prog(type, attach, btf, btf_name, kind, &step);

	if (!err)
		set(p, f, true, "loaded and attached on %s", what);
	else if (err == -ENOENT && !strcmp(step, "find"))
		set(p, f, false, "no %s in the kernel's BTF", what);
	else
		set(p, f, false, "%s on %s: %s (%s)", step, what, strerror(-err),
		    err == -EPERM  ? "EPERM" :
		    err == -EINVAL ? "EINVAL" :
				     "error");
}

void lt_probe_run(struct lt_probe *p)
{
	struct btf *btf;
	int r;

	memset(p, 0, sizeof(*p));
	libbpf_set_print(NULL);
	lt_active_lsms(p->lsm_list, sizeof(p->lsm_list));
	btf = btf__load_vmlinux_btf();
	find_attributable(p, btf);
	set(p, LT_FEAT_BTF, btf != NULL, "%s", btf ? "/sys/kernel/btf/vmlinux" : "not found");
	r = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	set(p, LT_FEAT_RINGBUF, r == 1, "%s", r == 1 ? "map created" : "map type refused");
	probe_prog(p, LT_FEAT_TP_BTF, BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, btf,
		   "btf_trace_sys_exit", BTF_KIND_TYPEDEF, "raw_syscalls:sys_exit");
	r = libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, NULL);
	set(p, LT_FEAT_BPF_LOOP, r == 1, "%s", r == 1 ? "helper available" : "helper refused");
	probe_prog(p, LT_FEAT_FEXIT, BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, btf,
		   "security_file_open", BTF_KIND_FUNC, "security_file_open");
	if (p->lsm_list[0] && !strstr(p->lsm_list, "bpf"))
		set(p, LT_FEAT_BPF_LSM, false, "bpf not among the active modules (%s)",
		    p->lsm_list);
	else
		probe_prog(p, LT_FEAT_BPF_LSM, BPF_PROG_TYPE_LSM, BPF_LSM_MAC, btf,
			   "bpf_lsm_file_open", BTF_KIND_FUNC, "file_open");
	probe_netfs(p, btf);
	btf__free(btf);
}

/* Does this kernel allow the tracepoint tier? */
static bool tracepoint_tier(const struct lt_probe *p)
{
	return p->ok[LT_FEAT_BTF] && p->ok[LT_FEAT_RINGBUF] && p->ok[LT_FEAT_TP_BTF];
}

bool lt_probe_lsm_tier(const struct lt_probe *p)
{
	return tracepoint_tier(p) && p->ok[LT_FEAT_FEXIT] && p->ok[LT_FEAT_BPF_LSM];
}

void lt_probe_lsm_missing(const struct lt_probe *p, char *buf, size_t len)
{
	static const enum lt_feature need[] = { LT_FEAT_BTF, LT_FEAT_RINGBUF, LT_FEAT_TP_BTF,
						LT_FEAT_FEXIT, LT_FEAT_BPF_LSM };
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]) && off < len; i++) {
		if (p->ok[need[i]])
			continue;
		off += snprintf(buf + off, len - off, "%s%s: %s", off ? "; " : "", names[need[i]],
				p->detail[need[i]]);
	}
}

void lt_probe_print(const struct lt_probe *p, FILE *out)
{
	fprintf(out, "%-32s %-4s %s\n", "FEATURE", "OK", "DETAIL");
	for (int f = 0; f < LT_FEAT_COUNT; f++) {
		fprintf(out, "%-32s %-4s %s\n", names[f], p->ok[f] ? "yes" : "no", p->detail[f]);
		if (p->ok[f])
			continue;
		if (f == LT_FEAT_BPF_LSM && strstr(p->lsm_list, "bpf"))
			/* Active, yet refused: no boot parameter will help. */
			fprintf(out, "%-32s %-4s to get it: %s\n", "", "",
				"bpf is an active module, but the kernel refuses its programs "
				"here: a policy (lockdown, a hypervisor or the distribution) "
				"does");
		else
			fprintf(out, "%-32s %-4s to get it: %s\n", "", "", hints[f]);
	}
	fprintf(out, "%-32s %-4s %s\n", "active security modules", "",
		p->lsm_list[0] ? p->lsm_list : "unknown (securityfs not mounted)");
	fprintf(out, "%-32s %-4s %s\n", "modules the LSM tier can name", "",
		p->attributable[0] ? p->attributable : "none");
	fprintf(out, "\ntiers: tracepoint %s, lsm %s; --mode auto uses %s\n",
		tracepoint_tier(p) ? "available" : "unavailable",
		lt_probe_lsm_tier(p) ? "available" : "unavailable",
		lt_probe_lsm_tier(p) ? "lsm" :
		tracepoint_tier(p)   ? "tracepoint" :
				       "nothing (tracing is not possible here)");
}
