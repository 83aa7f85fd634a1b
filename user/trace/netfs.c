// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The network filesystem evidence's lifecycle (see netfs.h): whether the
 * cifs module and its BTF are there, which of the programs fit its
 * tracepoints (their argument counts, from its BTF), the offsets of an
 * open file's id (from its BTF too: the module may come after the
 * tracer's own object was loaded), load sharing the tracer's maps, attach.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "locktrace.h" /* before the skeleton: its sections hold our types */
#include "netfs.skel.h"
#include "netfs.h"
#include "probe.h"
#include "common/util.h"

/* The programs, the tracepoints they read and how many arguments. */
static const struct netfs_prog {
	const char *prog;
	const char *module;
	const char *tracepoint;
	int nargs;
} progs[] = {
#define LT_NETFS_PROG(prog, module, tracepoint, nargs) { #prog, #module, #tracepoint, nargs },
#include "netfs.def"
};

/* Arguments of tracepoint @tp in @btf (its btf_trace_<tp> typedef, less
 * the tracepoint's own data pointer); -1 if it is not there. */
static int tp_nargs(const struct btf *btf, const char *tp)
{
	const struct btf_type *t;
	char name[128];
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);
	return t && btf_is_func_proto(t) ? btf_vlen(t) - 1 : -1;
}

/* Byte offset of member @member of struct @st, and its type (resolved);
 * -1 if either is not there. */
static int member_off(const struct btf *btf, const char *st, const char *member, int *type)
{
	int id = btf__find_by_name_kind(btf, st, BTF_KIND_STRUCT);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t)
		return -1;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), member))
			continue;
		if (btf_member_bit_offset(t, i) % 8)
			return -1;
		*type = btf__resolve_type(btf, m->type);
		return btf_member_bit_offset(t, i) / 8;
	}
	return -1;
}

/*
 * Where an open cifs file's id on the server is, and its tree's: struct
 * cifsFileInfo (file->private_data) .fid.persistent_fid and .tlink,
 * struct tcon_link .tl_tcon, struct cifs_tcon .tid. valid 0 if the
 * module's structures are not what this reads.
 */
static void cifs_layout(const struct btf *btf, struct lt_cifs_layout *lo)
{
	int fid, pfid, tlink, tcon, tid, t1, t2, t3, t4, t5;

	memset(lo, 0, sizeof(*lo));
	fid = member_off(btf, "cifsFileInfo", "fid", &t1);
	pfid = member_off(btf, "cifs_fid", "persistent_fid", &t2);
	tlink = member_off(btf, "cifsFileInfo", "tlink", &t3);
	tcon = member_off(btf, "tcon_link", "tl_tcon", &t4);
	tid = member_off(btf, "cifs_tcon", "tid", &t5);
	if (fid < 0 || pfid < 0 || tlink < 0 || tcon < 0 || tid < 0 ||
	    btf__resolve_size(btf, t2) != 8 || btf__resolve_size(btf, t5) != 4 ||
	    !btf_is_ptr(btf__type_by_id(btf, t3)) || !btf_is_ptr(btf__type_by_id(btf, t4))) {
		p_debug("cifs: an open file's id not found in the module's BTF: reads and "
			"writes are not matched to their answers");
		return;
	}
	lo->fid_off = fid + pfid;
	lo->tlink_off = tlink;
	lo->tcon_off = tcon;
	lo->tid_off = tid;
	lo->valid = 1;
	p_debug("cifs: an open file's id at cifsFileInfo+%u, its tree's at tlink (+%u) "
		"tl_tcon (+%u) tid (+%u)",
		lo->fid_off, lo->tlink_off, lo->tcon_off, lo->tid_off);
}

static const struct netfs_prog *prog_row(const struct bpf_program *prog)
{
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++)
		if (!strcmp(progs[i].prog, bpf_program__name(prog)))
			return &progs[i];
	return NULL;
}

/* Keep the programs whose tracepoint has the arguments they read; how
 * many are kept. */
static int select_progs(struct netfs_bpf *skel, const struct btf *cifs)
{
	struct bpf_program *prog;
	int kept = 0;

	bpf_object__for_each_program(prog, skel->obj) {
		const struct netfs_prog *row = prog_row(prog);
		int n = row ? tp_nargs(cifs, row->tracepoint) : -1;
		bool on = row && n == row->nargs;

		if (!on)
			p_debug("cifs: %s skipped (%s:%s has %d arguments here)",
				bpf_program__name(prog), row ? row->module : "?",
				row ? row->tracepoint : "?", n);
		bpf_program__set_autoload(prog, on);
		kept += on;
	}
	return kept;
}

/* Every map the tracer's object has too (its filters, counters, ring
 * buffer, the answers' tables, the .data.remote section) is that one. */
static int share_maps(struct netfs_bpf *skel, struct lt_loader *l)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, skel->obj) {
		const char *name = map == skel->maps.data_remote ? ".data.remote" :
								   bpf_map__name(map);
		int fd, err;

		if (map != skel->maps.data_remote && bpf_map__is_internal(map))
			continue; /* its own settings (.rodata) and variables */
		fd = lt_loader_map_fd(l, name);
		if (fd < 0)
			return fd;
		err = bpf_map__reuse_fd(map, fd);
		if (err)
			return err;
	}
	return 0;
}

static void list_attached(struct lt_netfs *n)
{
	struct bpf_program *prog;
	size_t off = 0;

	n->nattached = 0;
	n->attached[0] = '\0';
	bpf_object__for_each_program(prog, n->skel->obj) {
		const struct netfs_prog *row = prog_row(prog);

		if (!bpf_program__autoload(prog) || !row)
			continue;
		off += snprintf(n->attached + off, sizeof(n->attached) - off, "%s%s:%s",
				n->nattached ? ", " : "", row->module, row->tracepoint);
		if (off >= sizeof(n->attached))
			off = sizeof(n->attached) - 1;
		n->nattached++;
	}
}

int lt_netfs_start(struct lt_netfs *n, struct lt_loader *l)
{
	struct netfs_bpf *skel = NULL;
	struct btf *vmlinux = NULL, *cifs = NULL;
	struct lt_cifs_layout layout;
	int err;

	err = lt_cifs_available(n->why, sizeof(n->why));
	if (err)
		return err;
	vmlinux = btf__load_vmlinux_btf();
	cifs = vmlinux ? btf__load_module_btf("cifs", vmlinux) : NULL;
	if (!cifs) {
		err = errno ? -errno : -ENOENT;
		snprintf(n->why, sizeof(n->why), "cannot read the cifs module's BTF: %s",
			 strerror(-err));
		goto out;
	}
	skel = netfs_bpf__open();
	if (!skel) {
		err = errno ? -errno : -ENOMEM;
		snprintf(n->why, sizeof(n->why), "cannot open its BPF object: %s", strerror(-err));
		goto out;
	}
	skel->rodata->cfg_self_tgid = getpid();
	skel->rodata->cfg_npids = l->npids;
	skel->rodata->cfg_nuids = l->nuids;
	skel->rodata->cfg_ncomms = l->ncomms;
	if (!select_progs(skel, cifs)) {
		err = -ENOENT;
		snprintf(n->why, sizeof(n->why),
			 "none of the cifs tracepoints has the arguments its programs read");
		goto out;
	}
	err = share_maps(skel, l);
	if (err) {
		snprintf(n->why, sizeof(n->why), "cannot share the tracer's maps: %s",
			 strerror(-err));
		goto out;
	}
	err = netfs_bpf__load(skel);
	if (err) {
		snprintf(n->why, sizeof(n->why), "cannot load its programs: %s%s", strerror(-err),
			 lt_verbose ? "" : " (-v shows the verifier log)");
		goto out;
	}
	/* Before attaching: a read or write refused is matched by its file. */
	cifs_layout(cifs, &layout);
	lt_loader_set_cifs_layout(l, &layout);
	err = netfs_bpf__attach(skel);
	if (err) {
		snprintf(n->why, sizeof(n->why), "cannot attach its programs: %s", strerror(-err));
		goto out;
	}
	n->skel = skel;
	skel = NULL;
	n->why[0] = '\0';
	list_attached(n);
out:
	netfs_bpf__destroy(skel);
	btf__free(cifs);
	btf__free(vmlinux);
	if (err)
		n->failed = true;
	return err;
}

int lt_netfs_poll(struct lt_netfs *n, struct lt_loader *l)
{
	int err;

	if (n->skel || n->failed || access(LT_CIFS_BTF_PATH, R_OK))
		return 0;
	err = lt_netfs_start(n, l);
	return err ? err : 1;
}

void lt_netfs_detach(struct lt_netfs *n)
{
	if (n->skel)
		netfs_bpf__detach(n->skel);
}

void lt_netfs_destroy(struct lt_netfs *n)
{
	netfs_bpf__destroy(n->skel);
	n->skel = NULL;
}

void lt_netfs_describe(const struct lt_netfs *n, char *buf, size_t len)
{
	if (n->skel)
		snprintf(buf, len, "cifs: %d programs attached: %s", n->nattached, n->attached);
	else if (n->failed)
		snprintf(buf, len, "cifs: not attached (%s)", n->why);
	else
		snprintf(buf, len, "cifs: not attached (%s); attached when it appears",
			 n->why[0] ? n->why : "not tried");
}
