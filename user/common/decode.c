// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Numbers to names: system calls, open flags, lock operations, errnos, and
 * the LSM tier's checks and modules (from bpf/lsm.def).
 *
 * The values are the kernel's own, written out here rather than taken from
 * libc: some are kernel-internal and libc does not expose them, and the
 * events carry what the kernel saw, not what this libc would call it.
 * Open flags are x86_64's (arm64 moves four of them, see below); the
 * others are the same on both.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "decode.h"
#include "util.h"
#include "locktrace.h"

/* Writes into buf[0..len) that never overflow and always leave a NUL. */
struct out {
	char *buf;
	size_t len;
	size_t pos; /* bytes written, the NUL not counted */
};

static void out_init(struct out *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = len;
	o->pos = 0;
	if (len)
		buf[0] = '\0';
}

static void out_puts(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (!o->len || o->pos + 1 >= o->len)
		return;
	if (n > o->len - 1 - o->pos)
		n = o->len - 1 - o->pos;
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

/* name, preceded by '|' unless it is the first one. */
static void out_flag(struct out *o, bool *first, const char *name)
{
	if (!*first)
		out_puts(o, "|");
	out_puts(o, name);
	*first = false;
}

/* Bits no table named, as one trailing "0x..." item. */
static void out_rest(struct out *o, bool *first, __u32 rest)
{
	char hex[16];

	snprintf(hex, sizeof(hex), "0x%x", rest);
	out_flag(o, first, hex);
}

struct flag_name {
	__u32 mask; /* all of these bits set ... */
	__u32 unless; /* ... and not all of these (0: no condition) */
	const char *name;
};

/* Names every entry of tab whose bits are all set; returns the bits named. */
static __u32 out_flags(struct out *o, bool *first, const struct flag_name *tab, size_t n,
		       __u32 flags)
{
	__u32 done = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((flags & tab[i].mask) != tab[i].mask)
			continue;
		if (tab[i].unless && (flags & tab[i].unless) == tab[i].unless)
			continue;
		out_flag(o, first, tab[i].name);
		done |= tab[i].mask;
	}
	return done;
}

/* The named flags, then the rest in hex; "0" when nothing is set. */
static size_t flags_str(const struct flag_name *tab, size_t n, __u32 flags, char *buf, size_t len)
{
	struct out o;
	bool first = true;
	__u32 done;

	out_init(&o, buf, len);
	done = out_flags(&o, &first, tab, n, flags);
	if (flags & ~done)
		out_rest(&o, &first, flags & ~done);
	else if (first)
		out_puts(&o, "0");
	return o.pos;
}

/* The traced calls' names, by enum lt_syscall. */
static const char *const syscall_names[] = {
	[LT_SYS_OPEN] = "open",
	[LT_SYS_OPENAT] = "openat",
	[LT_SYS_OPENAT2] = "openat2",
	[LT_SYS_CREAT] = "creat",
	[LT_SYS_FLOCK] = "flock",
	[LT_SYS_FCNTL] = "fcntl",
	[LT_SYS_FCNTL64] = "fcntl64",
	[LT_SYS_TRUNCATE] = "truncate",
	[LT_SYS_FTRUNCATE] = "ftruncate",
	[LT_SYS_TRUNCATE64] = "truncate64",
	[LT_SYS_FTRUNCATE64] = "ftruncate64",
	[LT_SYS_WRITE] = "write",
	[LT_SYS_PWRITE64] = "pwrite64",
	[LT_SYS_WRITEV] = "writev",
	[LT_SYS_PWRITEV] = "pwritev",
	[LT_SYS_PWRITEV2] = "pwritev2",
	[LT_SYS_READ] = "read",
	[LT_SYS_PREAD64] = "pread64",
	[LT_SYS_READV] = "readv",
	[LT_SYS_PREADV] = "preadv",
	[LT_SYS_PREADV2] = "preadv2",
	[LT_SYS_FALLOCATE] = "fallocate",
};

const char *lt_syscall_name(__u32 sys)
{
	return sys < ARRAY_SIZE(syscall_names) && syscall_names[sys] ? syscall_names[sys] : "?";
}

const char *lt_event_kind(__u32 sys)
{
	if (lt_sys_is_open(sys))
		return "open";
	if (sys == LT_SYS_FLOCK)
		return "flock";
	if (lt_sys_fcntl(sys))
		return "fcntl_lock";
	if (lt_sys_is_truncate(sys))
		return "truncate";
	if (lt_sys_is_write(sys))
		return "write";
	if (lt_sys_is_read(sys))
		return "read";
	return sys == LT_SYS_FALLOCATE ? "fallocate" : "?";
}

/* fallocate(2) modes (include/uapi/linux/falloc.h). */
static const struct flag_name falloc_modes[] = {
	{ 0x01, 0, "FALLOC_FL_KEEP_SIZE" },	{ 0x02, 0, "FALLOC_FL_PUNCH_HOLE" },
	{ 0x04, 0, "FALLOC_FL_NO_HIDE_STALE" }, { 0x08, 0, "FALLOC_FL_COLLAPSE_RANGE" },
	{ 0x10, 0, "FALLOC_FL_ZERO_RANGE" },	{ 0x20, 0, "FALLOC_FL_INSERT_RANGE" },
	{ 0x40, 0, "FALLOC_FL_UNSHARE_RANGE" },
};

size_t lt_falloc_mode_str(__u32 mode, char *buf, size_t len)
{
	return flags_str(falloc_modes, ARRAY_SIZE(falloc_modes), mode, buf, len);
}

/* preadv2(2), pwritev2(2) flags (include/uapi/linux/fs.h). */
static const struct flag_name rwf_flags[] = {
	{ 0x01, 0, "RWF_HIPRI" },  { 0x02, 0, "RWF_DSYNC" },	 { 0x04, 0, "RWF_SYNC" },
	{ 0x08, 0, "RWF_NOWAIT" }, { 0x10, 0, "RWF_APPEND" },	 { 0x20, 0, "RWF_NOAPPEND" },
	{ 0x40, 0, "RWF_ATOMIC" }, { 0x80, 0, "RWF_DONTCACHE" },
};

size_t lt_rwf_str(__u32 flags, char *buf, size_t len)
{
	return flags_str(rwf_flags, ARRAY_SIZE(rwf_flags), flags, buf, len);
}

static const struct flag_name open_flags[] = {
	{ LT_O_CREAT, 0, "O_CREAT" },
	{ LT_O_EXCL, 0, "O_EXCL" },
	{ LT_O_NOCTTY, 0, "O_NOCTTY" },
	{ LT_O_TRUNC, 0, "O_TRUNC" },
	{ LT_O_APPEND, 0, "O_APPEND" },
	{ LT_O_NONBLOCK, 0, "O_NONBLOCK" },
	/* O_SYNC contains O_DSYNC: name only the larger one. */
	{ LT_O_DSYNC, LT_O_SYNC, "O_DSYNC" },
	{ LT_O_SYNC, 0, "O_SYNC" },
	{ LT_O_DIRECT, 0, "O_DIRECT" },
	{ LT_O_LARGEFILE, 0, "O_LARGEFILE" },
	/* Likewise O_TMPFILE contains O_DIRECTORY. */
	{ LT_O_DIRECTORY, LT_O_TMPFILE, "O_DIRECTORY" },
	{ LT_O_NOFOLLOW, 0, "O_NOFOLLOW" },
	{ LT_O_NOATIME, 0, "O_NOATIME" },
	{ LT_O_CLOEXEC, 0, "O_CLOEXEC" },
	{ LT_O_PATH, 0, "O_PATH" },
	{ LT_O_TMPFILE, 0, "O_TMPFILE" },
};

size_t lt_open_flags_str(__u32 flags, char *buf, size_t len)
{
	struct out o;
	bool first = true;
	__u32 rest = flags & ~(__u32)LT_O_ACCMODE;

	out_init(&o, buf, len);
	switch (flags & LT_O_ACCMODE) {
	case LT_O_RDONLY:
		out_flag(&o, &first, "O_RDONLY");
		break;
	case LT_O_WRONLY:
		out_flag(&o, &first, "O_WRONLY");
		break;
	case LT_O_RDWR:
		out_flag(&o, &first, "O_RDWR");
		break;
	default:
		/* 3: neither read nor write, ioctls only (see open(2)). */
		out_flag(&o, &first, "O_ACCMODE");
		break;
	}
	rest &= ~out_flags(&o, &first, open_flags, ARRAY_SIZE(open_flags), rest);
	if (rest)
		out_rest(&o, &first, rest);
	return o.pos;
}

size_t lt_open_access_short(__u32 flags, char *buf, size_t len)
{
	struct out o;

	out_init(&o, buf, len);
	switch (flags & LT_O_ACCMODE) {
	case LT_O_RDONLY:
		out_puts(&o, "r");
		break;
	case LT_O_WRONLY:
		out_puts(&o, "w");
		break;
	case LT_O_RDWR:
		out_puts(&o, "rw");
		break;
	default:
		out_puts(&o, "?");
		break;
	}
	if (flags & LT_O_CREAT)
		out_puts(&o, "+c");
	if (flags & LT_O_EXCL)
		out_puts(&o, "+x");
	if (flags & LT_O_TRUNC)
		out_puts(&o, "+t");
	return o.pos;
}

/* flock(2) operations; the last three are historical (mandatory locks). */
static const struct flag_name flock_ops[] = {
	{ 1, 0, "LOCK_SH" },	  { 2, 0, "LOCK_EX" },	  { 4, 0, "LOCK_NB" },
	{ 8, 0, "LOCK_UN" },	  { 32, 0, "LOCK_MAND" }, { 64, 0, "LOCK_READ" },
	{ 128, 0, "LOCK_WRITE" },
};

size_t lt_flock_op_str(__u32 op, char *buf, size_t len)
{
	return flags_str(flock_ops, ARRAY_SIZE(flock_ops), op, buf, len);
}

const char *lt_fcntl_cmd_name(__u32 cmd)
{
	switch (cmd) {
	case 5:
		return "F_GETLK";
	case 6:
		return "F_SETLK";
	case 7:
		return "F_SETLKW";
	case LT_F_SETLK64: /* ia32 fcntl64 only */
		return "F_SETLK64";
	case LT_F_SETLKW64:
		return "F_SETLKW64";
	case 36:
		return "F_OFD_GETLK";
	case 37:
		return "F_OFD_SETLK";
	case 38:
		return "F_OFD_SETLKW";
	}
	return NULL;
}

const char *lt_lock_type_name(__u32 type)
{
	switch (type) {
	case 0:
		return "F_RDLCK";
	case 1:
		return "F_WRLCK";
	case 2:
		return "F_UNLCK";
	}
	return NULL;
}

const char *lt_whence_name(__s32 whence)
{
	switch (whence) {
	case 0:
		return "SEEK_SET";
	case 1:
		return "SEEK_CUR";
	case 2:
		return "SEEK_END";
	}
	return NULL;
}

/* The lock layer's fl_flags (include/linux/filelock.h). */
static const struct flag_name fl_flags[] = {
	{ 1, 0, "FL_POSIX" },
	{ 2, 0, "FL_FLOCK" },
	{ 4, 0, "FL_DELEG" },
	{ 8, 0, "FL_ACCESS" },
	{ 16, 0, "FL_EXISTS" },
	{ 32, 0, "FL_LEASE" },
	{ 64, 0, "FL_CLOSE" },
	{ 128, 0, "FL_SLEEP" },
	{ 256, 0, "FL_DOWNGRADE_PENDING" },
	{ 512, 0, "FL_UNLOCK_PENDING" },
	{ 1024, 0, "FL_OFDLCK" },
	{ 2048, 0, "FL_LAYOUT" },
	{ 4096, 0, "FL_RECLAIM" },
};

size_t lt_fl_flags_str(__u32 flags, char *buf, size_t len)
{
	return flags_str(fl_flags, ARRAY_SIZE(fl_flags), flags, buf, len);
}

/* openat2(2) struct open_how.resolve. */
static const struct flag_name resolve_flags[] = {
	{ 0x01, 0, "RESOLVE_NO_XDEV" },	    { 0x02, 0, "RESOLVE_NO_MAGICLINKS" },
	{ 0x04, 0, "RESOLVE_NO_SYMLINKS" }, { 0x08, 0, "RESOLVE_BENEATH" },
	{ 0x10, 0, "RESOLVE_IN_ROOT" },	    { 0x20, 0, "RESOLVE_CACHED" },
};

size_t lt_resolve_str(__u32 resolve, char *buf, size_t len)
{
	return flags_str(resolve_flags, ARRAY_SIZE(resolve_flags), resolve, buf, len);
}

/*
 * errno names by number. Aliases take the first name: EWOULDBLOCK is
 * EAGAIN (11), EDEADLOCK is EDEADLK (35), ENOTSUP is EOPNOTSUPP (95).
 * 41 and 58 are unused.
 */
static const char *const errno_names[] = {
	[1] = "EPERM",
	[2] = "ENOENT",
	[3] = "ESRCH",
	[4] = "EINTR",
	[5] = "EIO",
	[6] = "ENXIO",
	[7] = "E2BIG",
	[8] = "ENOEXEC",
	[9] = "EBADF",
	[10] = "ECHILD",
	[11] = "EAGAIN",
	[12] = "ENOMEM",
	[13] = "EACCES",
	[14] = "EFAULT",
	[15] = "ENOTBLK",
	[16] = "EBUSY",
	[17] = "EEXIST",
	[18] = "EXDEV",
	[19] = "ENODEV",
	[20] = "ENOTDIR",
	[21] = "EISDIR",
	[22] = "EINVAL",
	[23] = "ENFILE",
	[24] = "EMFILE",
	[25] = "ENOTTY",
	[26] = "ETXTBSY",
	[27] = "EFBIG",
	[28] = "ENOSPC",
	[29] = "ESPIPE",
	[30] = "EROFS",
	[31] = "EMLINK",
	[32] = "EPIPE",
	[33] = "EDOM",
	[34] = "ERANGE",
	[35] = "EDEADLK",
	[36] = "ENAMETOOLONG",
	[37] = "ENOLCK",
	[38] = "ENOSYS",
	[39] = "ENOTEMPTY",
	[40] = "ELOOP",
	[42] = "ENOMSG",
	[43] = "EIDRM",
	[44] = "ECHRNG",
	[45] = "EL2NSYNC",
	[46] = "EL3HLT",
	[47] = "EL3RST",
	[48] = "ELNRNG",
	[49] = "EUNATCH",
	[50] = "ENOCSI",
	[51] = "EL2HLT",
	[52] = "EBADE",
	[53] = "EBADR",
	[54] = "EXFULL",
	[55] = "ENOANO",
	[56] = "EBADRQC",
	[57] = "EBADSLT",
	[59] = "EBFONT",
	[60] = "ENOSTR",
	[61] = "ENODATA",
	[62] = "ETIME",
	[63] = "ENOSR",
	[64] = "ENONET",
	[65] = "ENOPKG",
	[66] = "EREMOTE",
	[67] = "ENOLINK",
	[68] = "EADV",
	[69] = "ESRMNT",
	[70] = "ECOMM",
	[71] = "EPROTO",
	[72] = "EMULTIHOP",
	[73] = "EDOTDOT",
	[74] = "EBADMSG",
	[75] = "EOVERFLOW",
	[76] = "ENOTUNIQ",
	[77] = "EBADFD",
	[78] = "EREMCHG",
	[79] = "ELIBACC",
	[80] = "ELIBBAD",
	[81] = "ELIBSCN",
	[82] = "ELIBMAX",
	[83] = "ELIBEXEC",
	[84] = "EILSEQ",
	[85] = "ERESTART",
	[86] = "ESTRPIPE",
	[87] = "EUSERS",
	[88] = "ENOTSOCK",
	[89] = "EDESTADDRREQ",
	[90] = "EMSGSIZE",
	[91] = "EPROTOTYPE",
	[92] = "ENOPROTOOPT",
	[93] = "EPROTONOSUPPORT",
	[94] = "ESOCKTNOSUPPORT",
	[95] = "EOPNOTSUPP",
	[96] = "EPFNOSUPPORT",
	[97] = "EAFNOSUPPORT",
	[98] = "EADDRINUSE",
	[99] = "EADDRNOTAVAIL",
	[100] = "ENETDOWN",
	[101] = "ENETUNREACH",
	[102] = "ENETRESET",
	[103] = "ECONNABORTED",
	[104] = "ECONNRESET",
	[105] = "ENOBUFS",
	[106] = "EISCONN",
	[107] = "ENOTCONN",
	[108] = "ESHUTDOWN",
	[109] = "ETOOMANYREFS",
	[110] = "ETIMEDOUT",
	[111] = "ECONNREFUSED",
	[112] = "EHOSTDOWN",
	[113] = "EHOSTUNREACH",
	[114] = "EALREADY",
	[115] = "EINPROGRESS",
	[116] = "ESTALE",
	[117] = "EUCLEAN",
	[118] = "ENOTNAM",
	[119] = "ENAVAIL",
	[120] = "EISNAM",
	[121] = "EREMOTEIO",
	[122] = "EDQUOT",
	[123] = "ENOMEDIUM",
	[124] = "EMEDIUMTYPE",
	[125] = "ECANCELED",
	[126] = "ENOKEY",
	[127] = "EKEYEXPIRED",
	[128] = "EKEYREVOKED",
	[129] = "EKEYREJECTED",
	[130] = "EOWNERDEAD",
	[131] = "ENOTRECOVERABLE",
	[132] = "ERFKILL",
	[133] = "EHWPOISON",
};

/*
 * Kernel-internal codes (include/linux/errno.h), from 512. User space
 * should never see them, but a tracer at system-call exit or in the lock
 * layer can. 520 is unused.
 */
#define LT_KERNEL_ERRNO_BASE 512
static const char *const kernel_errno_names[] = {
	[512 - LT_KERNEL_ERRNO_BASE] = "ERESTARTSYS",
	[513 - LT_KERNEL_ERRNO_BASE] = "ERESTARTNOINTR",
	[514 - LT_KERNEL_ERRNO_BASE] = "ERESTARTNOHAND",
	[515 - LT_KERNEL_ERRNO_BASE] = "ENOIOCTLCMD",
	[516 - LT_KERNEL_ERRNO_BASE] = "ERESTART_RESTARTBLOCK",
	[517 - LT_KERNEL_ERRNO_BASE] = "EPROBE_DEFER",
	[518 - LT_KERNEL_ERRNO_BASE] = "EOPENSTALE",
	[519 - LT_KERNEL_ERRNO_BASE] = "ENOPARAM",
	[521 - LT_KERNEL_ERRNO_BASE] = "EBADHANDLE",
	[522 - LT_KERNEL_ERRNO_BASE] = "ENOTSYNC",
	[523 - LT_KERNEL_ERRNO_BASE] = "EBADCOOKIE",
	[524 - LT_KERNEL_ERRNO_BASE] = "ENOTSUPP",
	[525 - LT_KERNEL_ERRNO_BASE] = "ETOOSMALL",
	[526 - LT_KERNEL_ERRNO_BASE] = "ESERVERFAULT",
	[527 - LT_KERNEL_ERRNO_BASE] = "EBADTYPE",
	[528 - LT_KERNEL_ERRNO_BASE] = "EJUKEBOX",
	[529 - LT_KERNEL_ERRNO_BASE] = "EIOCBQUEUED",
	[530 - LT_KERNEL_ERRNO_BASE] = "ERECALLCONFLICT",
	[531 - LT_KERNEL_ERRNO_BASE] = "ENOGRACE",
};

const char *lt_errno_name(int err)
{
	if (err > 0 && (size_t)err < ARRAY_SIZE(errno_names))
		return errno_names[err];
	if (err >= LT_KERNEL_ERRNO_BASE &&
	    (size_t)(err - LT_KERNEL_ERRNO_BASE) < ARRAY_SIZE(kernel_errno_names))
		return kernel_errno_names[err - LT_KERNEL_ERRNO_BASE];
	return NULL;
}

const char *lt_errno_name_for(int err, __u32 sys)
{
	/* flock(2) documents a held lock under LOCK_NB as EWOULDBLOCK. */
	if (err == 11 && sys == LT_SYS_FLOCK)
		return "EWOULDBLOCK";
	return lt_errno_name(err);
}

/* The LSM tier's hooks and modules by number, from bpf/lsm.def. */
static const char *const hook_names[LT_HOOK_COUNT] = {
#define LT_LSM_HOOK(ID, value, func, nargs, required) [LT_HOOK_##ID] = #func,
#include "lsm.def"
};

static const struct {
	const char *name;
	const char *title;
	const char *fn_prefix;
} lsm_modules[LT_LSM_COUNT] = {
#define LT_LSM_MODULE(ID, value, name, title, fn_prefix, mac) \
	[LT_LSM_##ID] = { name, title, fn_prefix },
#include "lsm.def"
};

const char *lt_hook_name(__u32 hook)
{
	return hook < LT_HOOK_COUNT ? hook_names[hook] : NULL;
}

const char *lt_lsm_id_name(__u32 lsm)
{
	return lsm < LT_LSM_COUNT ? lsm_modules[lsm].name : NULL;
}

const char *lt_lsm_title(__u32 lsm)
{
	return lsm < LT_LSM_COUNT ? lsm_modules[lsm].title : NULL;
}

const char *lt_lsm_function(__u32 lsm, __u32 hook, char *buf, size_t len)
{
	const char *h = lt_hook_name(hook);
	const char *prefix = lsm < LT_LSM_COUNT ? lsm_modules[lsm].fn_prefix : NULL;

	/* Only the security_<hook>() dispatchers call the modules' hooks. */
	if (!h || !prefix || strncmp(h, "security_", 9))
		return NULL;
	snprintf(buf, len, "%s%s", prefix, h + 9);
	return buf;
}

void lt_may_mask_str(__u32 mask, char *buf, size_t len)
{
	static const char *const bits[] = {
		"MAY_EXEC",   "MAY_WRITE", "MAY_READ",	"MAY_APPEND",
		"MAY_ACCESS", "MAY_OPEN",  "MAY_CHDIR", "MAY_NOT_BLOCK"
	};
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		if (!(mask & (1u << i)) || off >= len)
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? "|" : "", bits[i]);
	}
	mask &= ~0xffu;
	if (mask && off < len)
		off += snprintf(buf + off, len - off, "%s0x%x", off ? "|" : "", mask);
	if (!off)
		snprintf(buf, len, "0");
}
