// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The cause as JSON: the "cause" object of an event line, with the facts
 * it was decided on (the object, the filesystem, the holders, the kernel's
 * record, a network share's answer, what could not be looked up) and the
 * fix (explain.c).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "common/decode.h"
#include "common/text.h"
#include "explain.h"
#include "owner.h"
#include "ntstatus.h"

static void json_obj(struct lt_buf *b, const char *key, const struct lt_obj *o, bool *first)
{
	lt_json_key(b, key, first);
	lt_buf_puts(b, "{\"path\":");
	lt_json_str(b, o->path, strlen(o->path));
	if (o->exists) {
		lt_buf_printf(b, ",\"mode\":\"%04o\",\"uid\":%u,\"gid\":%u,\"ino\":%llu",
			      o->mode & 07777, o->uid, o->gid, (unsigned long long)o->ino);
		lt_buf_printf(b, ",\"type\":\"%s\"", lt_file_type_name(o->mode));
		if (S_ISCHR(o->mode) || S_ISBLK(o->mode))
			lt_buf_printf(b, ",\"rdev\":\"%u:%u\"", major(o->rdev), minor(o->rdev));
	}
	if (o->is_link) {
		lt_buf_puts(b, ",\"symlink\":{\"target\":");
		lt_json_str(b, o->link.target, strlen(o->link.target));
		lt_buf_printf(b, ",\"uid\":%u,\"gid\":%u}", o->link.uid, o->link.gid);
	}
	if (o->via_link && o->real[0] && strcmp(o->real, o->path)) {
		lt_buf_puts(b, ",\"real_path\":");
		lt_json_str(b, o->real, strlen(o->real));
	}
	if (o->immutable)
		lt_buf_puts(b, ",\"immutable\":true");
	if (o->append_only)
		lt_buf_puts(b, ",\"append_only\":true");
	lt_buf_puts(b, "}");
}

static void json_fs(struct lt_buf *b, const struct lt_fs *fs, bool *first)
{
	bool f = true;

	lt_json_key(b, "fs", first);
	lt_buf_puts(b, "{");
	lt_json_key(b, "type", &f);
	lt_json_str(b, fs->type, strlen(fs->type));
	lt_json_key(b, "mountpoint", &f);
	lt_json_str(b, fs->mountpoint, strlen(fs->mountpoint));
	lt_json_key(b, "source", &f);
	lt_json_str(b, fs->source, strlen(fs->source));
	lt_json_key(b, "options", &f);
	lt_json_str(b, fs->options, strlen(fs->options));
	lt_buf_printf(b,
		      ",\"readonly\":%s,\"blocks_free\":%llu,\"blocks_total\":%llu,"
		      "\"inodes_free\":%llu,\"inodes_total\":%llu}",
		      fs->readonly ? "true" : "false", (unsigned long long)fs->blocks_free,
		      (unsigned long long)fs->blocks_total, (unsigned long long)fs->inodes_free,
		      (unsigned long long)fs->inodes_total);
}

/* LSM tier: the check the kernel recorded, and its object as it was. */
static void json_kernel(struct lt_buf *b, const struct lt_deny *d, bool *first)
{
	char buf[160];
	const char *name;

	lt_json_key(b, "kernel", first);
	lt_buf_printf(b, "{\"check\":\"%s\"", lt_hook_name(d->hook) ?: "?");
	if (lt_lsm_function(d->lsm, d->hook, buf, sizeof(buf)))
		lt_buf_printf(b, ",\"function\":\"%s\"", buf);
	name = lt_errno_name(-d->ret);
	lt_buf_printf(b, ",\"ret\":%d,\"error\":\"%s\"", d->ret, name ?: "?");
	if (d->hook == LT_HOOK_INODE_PERMISSION || d->hook == LT_HOOK_SEC_INODE_PERMISSION) {
		lt_may_mask_str(d->mask, buf, sizeof(buf));
		lt_buf_printf(b, ",\"mask\":\"%s\"", buf);
	}
	lt_buf_puts(b, ",\"object\":{\"path\":");
	if (d->flags & LT_DENY_HAS_NAME) {
		size_t n = d->name_off ? d->name_off - 1 : 0;

		lt_json_str(b, n ? d->path : "/", n ? n : 1);
		lt_buf_puts(b, ",\"name\":");
		lt_json_str(b, d->path + d->name_off, d->path_len - d->name_off);
	} else {
		lt_json_str(b, d->path, d->path_len);
	}
	lt_buf_printf(b,
		      ",\"ino\":%llu,\"dev\":\"%u:%u\",\"type\":\"%s\",\"mode\":\"%04o\","
		      "\"uid\":%u,\"gid\":%u",
		      (unsigned long long)d->ino, d->dev >> 20, d->dev & 0xfffff,
		      S_ISDIR(d->i_mode) ? "dir" :
		      S_ISREG(d->i_mode) ? "file" :
					   "other",
		      d->i_mode & 07777, d->i_uid, d->i_gid);
	if (d->i_flags & LT_S_IMMUTABLE)
		lt_buf_puts(b, ",\"immutable\":true");
	if (d->i_flags & LT_S_APPEND)
		lt_buf_puts(b, ",\"append_only\":true");
	if (d->flags & LT_DENY_PATH_IN_FS)
		lt_buf_puts(b, ",\"path_in_fs\":true");
	if (d->flags & LT_DENY_PATH_TRUNCATED)
		lt_buf_puts(b, ",\"path_truncated\":true");
	lt_buf_puts(b, "}}");
}

/* A network share's mount, and what its server (or client) answered:
 * "remote":{"share","mountpoint","status","status_hex","command",...}. */
static void json_remote(struct lt_buf *b, const struct lt_cause_input *in, bool *first)
{
	static const char *const ops[] = { [LT_ROP_OPEN] = "open",
					   [LT_ROP_LOCK] = "lock",
					   [LT_ROP_READ] = "read",
					   [LT_ROP_WRITE] = "write",
					   [LT_ROP_SET_EOF] = "set_eof" };
	const struct lt_remote *r = in->remote;
	bool f = true;

	lt_json_key(b, "remote", first);
	lt_buf_puts(b, "{");
	if (r && r->fs == LT_NETFS_CIFS) {
		lt_json_key(b, "fs", &f);
		lt_buf_puts(b, "\"cifs\"");
	}
	if (in->fs.known) {
		lt_json_key(b, "share", &f);
		lt_json_str(b, in->fs.source, strnlen(in->fs.source, sizeof(in->fs.source)));
		lt_json_key(b, "mountpoint", &f);
		lt_json_str(b, in->fs.mountpoint,
			    strnlen(in->fs.mountpoint, sizeof(in->fs.mountpoint)));
	}
	if (!r) {
		lt_buf_puts(b, "}");
		return;
	}
	if (r->flags & LT_REMOTE_STATUS) {
		const char *name = lt_nt_status_name(r->status), *cmd = lt_smb2_cmd_name(r->cmd);

		lt_json_key(b, "status", &f);
		if (name)
			lt_buf_printf(b, "\"%s\"", name);
		else
			lt_buf_puts(b, "null");
		lt_json_key(b, "status_hex", &f);
		lt_buf_printf(b, "\"0x%08x\"", r->status);
		lt_json_key(b, "command", &f);
		if (cmd)
			lt_buf_printf(b, "\"%s\"", cmd);
		else
			lt_buf_printf(b, "%u", r->cmd);
		lt_json_key(b, "status_errno", &f);
		lt_buf_printf(b, "\"%s\"", lt_errno_name(-r->status_rc) ?: "?");
	}
	/* A request was sent: its session and tree. */
	if ((r->flags & LT_REMOTE_STATUS) || r->op) {
		lt_json_key(b, "session_id", &f);
		lt_buf_printf(b, "\"0x%llx\"", (unsigned long long)r->sesid);
		lt_json_key(b, "tree_id", &f);
		lt_buf_printf(b, "\"0x%x\"", r->tid);
	}
	if (r->op && r->op < sizeof(ops) / sizeof(ops[0]) && ops[r->op]) {
		lt_json_key(b, "operation", &f);
		lt_buf_printf(b, "\"%s\"", ops[r->op]);
	}
	if (r->flags & LT_REMOTE_CLIENT) {
		lt_json_key(b, "function", &f);
		lt_json_str(b, r->func, strnlen(r->func, sizeof(r->func)));
	}
	if (r->op || (r->flags & LT_REMOTE_CLIENT)) {
		lt_json_key(b, "errno", &f);
		lt_buf_printf(b, "\"%s\"", lt_errno_name(-r->rc) ?: "?");
	}
	if (r->flags & LT_REMOTE_FID) {
		lt_json_key(b, "fid", &f);
		lt_buf_printf(b, "\"0x%llx\"", (unsigned long long)r->fid);
	}
	if (r->flags & LT_REMOTE_RANGE) {
		lt_json_key(b, "offset", &f);
		lt_buf_printf(b, "%llu", (unsigned long long)r->offset);
		lt_json_key(b, "length", &f);
		lt_buf_printf(b, "%u", r->len);
	}
	if (r->flags & LT_REMOTE_BY_FID) {
		lt_json_key(b, "seen_in", &f);
		lt_buf_puts(b, "\"cifsd\"");
	}
	lt_buf_puts(b, "}");
}

static void json_holders(struct lt_buf *b, const struct lt_cause_input *in, bool *first)
{
	lt_json_key(b, "holders", first);
	lt_buf_puts(b, "[");
	for (int i = 0; i < in->nholders; i++) {
		const struct lt_holder *h = &in->holders[i];

		lt_buf_printf(b, "%s{\"pid\":%u,\"uid\":%u,\"comm\":", i ? "," : "", h->pid,
			      h->uid);
		lt_json_str(b, h->comm, strnlen(h->comm, LT_COMM_LEN));
		lt_buf_printf(b, ",\"type\":\"%s\",\"lock\":\"%s\"",
			      lt_lock_type_name(h->type) ?: "?",
			      h->ofd   ? "ofd" :
			      h->posix ? "posix" :
					 "flock");
		if (h->posix)
			lt_buf_printf(b, ",\"start\":%lld,\"end\":%lld", (long long)h->start,
				      (long long)h->end);
		if (h->kernel)
			lt_buf_puts(b, ",\"seen_by_kernel\":true");
		if (h->via_peer && h->peer < in->npeers && h->peer < LT_MAX_PEERS) {
			lt_buf_puts(b, ",\"through\":");
			lt_json_str(b, in->peers[h->peer].mountpoint,
				    strlen(in->peers[h->peer].mountpoint));
		}
		lt_buf_puts(b, "}");
	}
	lt_buf_puts(b, "]");
}

/* "facts":{...}: what could not be looked up, and why. */
static void json_facts(struct lt_buf *b, const struct lt_facts_note *n, bool *first)
{
	lt_json_key(b, "facts", first);
	lt_buf_printf(b, "{\"state\":\"%s\"", lt_facts_state_name(n->state));
	if (n->state == LT_FACTS_TIMEOUT)
		lt_buf_printf(b, ",\"lookup\":\"%s\",\"after_ms\":%u", lt_lookup_name(n->lookup),
			      n->ms);
	else if (n->state == LT_FACTS_SLOW)
		lt_buf_printf(b, ",\"slow_ms\":%u", n->ms);
	if (n->path[0]) {
		lt_buf_puts(b, ",\"path\":");
		lt_json_str(b, n->path, strlen(n->path));
	}
	if (n->mount[0]) {
		lt_buf_puts(b, ",\"mount\":");
		lt_json_str(b, n->mount, strlen(n->mount));
	}
	if (n->fstype[0]) {
		lt_buf_puts(b, ",\"fstype\":");
		lt_json_str(b, n->fstype, strlen(n->fstype));
	}
	lt_buf_puts(b, "}");
}

/* "owner_hint":{...}: what the lock file says of its owner. */
static void json_owner(struct lt_buf *b, const struct lt_owner_hint *h, bool *first)
{
	bool f = true;

	lt_json_key(b, "owner_hint", first);
	lt_buf_puts(b, "{");
	lt_json_key(b, "evidence", &f);
	lt_buf_printf(b, "\"%s\"", lt_evidence_name(LT_EV_LOCK_FILE));
	if (h->read_err) {
		const char *name = lt_errno_name(h->read_err);

		lt_json_key(b, "error", &f);
		if (name)
			lt_buf_printf(b, "\"%s\"", name);
		else
			lt_buf_printf(b, "\"errno %d\"", h->read_err);
	}
	if (h->form != LT_OWNER_NONE) {
		lt_json_key(b, "format", &f);
		lt_buf_printf(b, "\"%s\"", lt_owner_form_name(h->form));
	}
	if (h->pid) {
		lt_json_key(b, "pid", &f);
		lt_buf_printf(b, "%u", h->pid);
	}
	if (h->alive_known) {
		lt_json_key(b, "alive", &f);
		lt_buf_puts(b, h->alive ? "true" : "false");
	}
	if (h->alive_known && h->comm[0]) {
		lt_json_key(b, "comm", &f);
		lt_json_str(b, h->comm, strnlen(h->comm, sizeof(h->comm)));
	}
	if (h->host[0]) {
		lt_json_key(b, "host", &f);
		lt_json_str(b, h->host, strlen(h->host));
		lt_json_key(b, "this_host", &f);
		lt_buf_puts(b, h->this_host ? "true" : "false");
	}
	if (h->instance_id[0]) {
		lt_json_key(b, "instance_id", &f);
		lt_json_str(b, h->instance_id, strlen(h->instance_id));
	}
	if (h->operation[0]) {
		lt_json_key(b, "operation", &f);
		lt_json_str(b, h->operation, strlen(h->operation));
	}
	if (h->acquired[0]) {
		lt_json_key(b, "acquired", &f);
		lt_json_str(b, h->acquired, strlen(h->acquired));
	}
	if (h->cut)
		lt_buf_puts(b, ",\"cut\":true");
	lt_buf_puts(b, "}");
}

void lt_cause_json(struct lt_buf *b, const struct lt_verdict *v)
{
	const struct lt_cause *c = &v->cause;
	const struct lt_cause_input *in = v->in;
	const struct lt_obj *o = lt_cause_obj(v);
	bool first = true;
	char tmp[64];

	lt_buf_puts(b, ",\"cause\":{");
	lt_json_key(b, "kind", &first);
	lt_buf_printf(b, "\"%s\"", lt_cause_kind_name(c->kind));
	lt_json_key(b, "detail", &first);
	lt_json_str(b, c->detail, strlen(c->detail));
	lt_json_key(b, "evidence", &first);
	lt_buf_printf(b, "\"%s\"", lt_evidence_name(c->evidence));
	if (o)
		json_obj(b, c->kind == LT_CAUSE_NOT_FOUND ? "missing" : "object", o, &first);
	if (c->want) {
		lt_may_str(c->want, tmp);
		lt_json_key(b, "want", &first);
		lt_buf_printf(b, "\"%s\"", tmp);
	}
	if (c->class) {
		lt_json_key(b, "class", &first);
		lt_buf_printf(b, "\"%s\"", c->class);
	}
	if (o && c->acl_entry >= 0 && c->acl_entry < o->nacl) {
		lt_acl_entry_str(&o->acl[c->acl_entry], tmp, sizeof(tmp));
		lt_json_key(b, "acl_entry", &first);
		lt_buf_printf(b, "\"%s\"", tmp);
	}
	if (c->capability >= 0) {
		lt_json_key(b, "capability", &first);
		lt_buf_printf(b, "\"%s\"", lt_cap_name(c->capability));
	}
	if (c->kind == LT_CAUSE_LSM) {
		bool f = true;

		lt_json_key(b, "lsm", &first);
		lt_buf_puts(b, "{");
		lt_json_key(b, "name", &f);
		if (lt_lsm_id_name(c->lsm))
			lt_buf_printf(b, "\"%s\"", lt_lsm_id_name(c->lsm));
		else
			lt_buf_puts(b, "null");
		lt_json_key(b, "active", &f);
		lt_json_str(b, in->lsm_list, strlen(in->lsm_list));
		if (in->avc) {
			const struct lt_avc *a = in->avc;

			lt_json_key(b, "scontext", &f);
			lt_json_str(b, a->scontext, strnlen(a->scontext, sizeof(a->scontext)));
			lt_json_key(b, "tcontext", &f);
			lt_json_str(b, a->tcontext, strnlen(a->tcontext, sizeof(a->tcontext)));
			lt_json_key(b, "tclass", &f);
			lt_json_str(b, a->tclass, strnlen(a->tclass, sizeof(a->tclass)));
			lt_json_key(b, "permission", &f);
			lt_json_str(b, in->avc_denied, strlen(in->avc_denied));
		}
		lt_buf_puts(b, "}");
	}
	if (c->kernel_check && in->deny)
		json_kernel(b, in->deny, &first);
	if (in->fs.known && (c->kind == LT_CAUSE_READONLY_FS || c->kind == LT_CAUSE_NO_SPACE ||
			     c->kind == LT_CAUSE_QUOTA || c->kind == LT_CAUSE_REMOTE_FS))
		json_fs(b, &in->fs, &first);
	if ((c->kind == LT_CAUSE_LOCK_HELD || c->kind == LT_CAUSE_REMOTE_LOCK_CONFLICT) &&
	    in->nholders)
		json_holders(b, in, &first);
	if (in->remote || lt_cause_kind_is_remote(c->kind))
		json_remote(b, in, &first);
	if (in->pidfile_pid && (c->kind == LT_CAUSE_STALE_LOCK || c->kind == LT_CAUSE_LOCK_HELD)) {
		lt_json_key(b, "owner_pid", &first);
		lt_buf_printf(b, "%u,\"owner_alive\":%s", in->pidfile_pid,
			      in->pidfile_pid_alive ? "true" : "false");
	}
	if (in->have_creator &&
	    (c->kind == LT_CAUSE_DAC || c->kind == LT_CAUSE_ACL || c->kind == LT_CAUSE_CAPABILITY ||
	     c->kind == LT_CAUSE_STALE_LOCK)) {
		lt_json_key(b, "creator", &first);
		lt_buf_printf(b,
			      "{\"pid\":%u,\"uid\":%u,\"mode\":\"%04o\",\"comm\":", in->creator.pid,
			      in->creator.uid, in->creator.mode & 07777);
		lt_json_str(b, in->creator.comm, strnlen(in->creator.comm, LT_COMM_LEN));
		lt_buf_printf(b, ",\"since_boot_ns\":%llu}",
			      (unsigned long long)in->creator.since_ns);
	}
	if (c->kind == LT_CAUSE_BAD_FD_MODE && in->fd_accmode >= 0) {
		lt_json_key(b, "fd_mode", &first);
		lt_buf_printf(b, "\"%s\"",
			      in->fd_accmode == LT_O_RDONLY ? "O_RDONLY" :
			      in->fd_accmode == LT_O_WRONLY ? "O_WRONLY" :
							      "O_RDWR");
	}
	if (in->note.state != LT_FACTS_COMPLETE)
		json_facts(b, &in->note, &first);
	if (in->owner.form != LT_OWNER_NONE || in->owner.read_err)
		json_owner(b, &in->owner, &first);
	if (c->kind != LT_CAUSE_NONE) {
		/* What --explain says to do, for reports made from recordings. */
		struct lt_buf fix = {};

		lt_cause_fix(&fix, v);
		lt_json_key(b, "fix", &first);
		lt_json_str(b, fix.data ? fix.data : "", fix.len);
		lt_buf_free(&fix);
	}
	lt_buf_puts(b, "}");
}
