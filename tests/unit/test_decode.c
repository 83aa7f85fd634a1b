// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/decode.c: numbers to names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <linux/types.h>
#include "locktrace.h"
#include "common/decode.h"
#include "common/event.h"
#include "trace/format.h"

/* The kernel's O_LARGEFILE, which libc defines as 0 on 64-bit. */
#if defined(__aarch64__)
#define K_O_LARGEFILE 0400000
#else
#define K_O_LARGEFILE 0100000
#endif

static const char *oflags(__u32 flags)
{
	static char buf[256];
	size_t n = lt_open_flags_str(flags, buf, sizeof(buf));

	assert_int_equal(n, strlen(buf));
	return buf;
}

static void test_open_flags(void **state)
{
	(void)state;
	assert_string_equal(oflags(O_RDONLY), "O_RDONLY");
	assert_string_equal(oflags(O_WRONLY), "O_WRONLY");
	assert_string_equal(oflags(O_RDWR | O_CREAT | O_EXCL), "O_RDWR|O_CREAT|O_EXCL");
	assert_string_equal(oflags(O_WRONLY | O_TRUNC | O_CREAT), "O_WRONLY|O_CREAT|O_TRUNC");
	assert_string_equal(oflags(O_RDONLY | O_CLOEXEC), "O_RDONLY|O_CLOEXEC");
	assert_string_equal(oflags(O_RDWR | O_CREAT | K_O_LARGEFILE | O_CLOEXEC),
			    "O_RDWR|O_CREAT|O_LARGEFILE|O_CLOEXEC");
	assert_string_equal(oflags(O_RDONLY | O_NONBLOCK | O_APPEND | O_NOCTTY),
			    "O_RDONLY|O_NOCTTY|O_APPEND|O_NONBLOCK");
	assert_string_equal(oflags(O_PATH | O_NOFOLLOW | O_DIRECTORY),
			    "O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_PATH");
	assert_string_equal(oflags(O_WRONLY | O_DIRECT | O_NOATIME), "O_WRONLY|O_DIRECT|O_NOATIME");
	/* O_TMPFILE and O_SYNC contain O_DIRECTORY and O_DSYNC. */
	assert_string_equal(oflags(O_TMPFILE | O_RDWR), "O_RDWR|O_TMPFILE");
	assert_string_equal(oflags(O_SYNC | O_WRONLY), "O_WRONLY|O_SYNC");
	assert_string_equal(oflags(O_DSYNC | O_WRONLY), "O_WRONLY|O_DSYNC");
	/* Bits without a name come last, in hex. */
	assert_string_equal(oflags(O_RDONLY | 0x80000000u), "O_RDONLY|0x80000000");
	assert_string_equal(oflags(O_RDWR | O_CREAT | 0x40000000u), "O_RDWR|O_CREAT|0x40000000");
	assert_string_equal(oflags(3), "O_ACCMODE");
}

static void test_open_access_short(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(lt_open_access_short(O_RDONLY, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "r");
	lt_open_access_short(O_WRONLY | O_CREAT | O_TRUNC, buf, sizeof(buf));
	assert_string_equal(buf, "w+c+t");
	lt_open_access_short(O_RDWR | O_CREAT | O_EXCL, buf, sizeof(buf));
	assert_string_equal(buf, "rw+c+x");
}

static void test_flock_ops(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(lt_flock_op_str(LOCK_EX | LOCK_NB, buf, sizeof(buf)),
			 strlen("LOCK_EX|LOCK_NB"));
	assert_string_equal(buf, "LOCK_EX|LOCK_NB");
	lt_flock_op_str(LOCK_UN, buf, sizeof(buf));
	assert_string_equal(buf, "LOCK_UN");
	lt_flock_op_str(LOCK_SH, buf, sizeof(buf));
	assert_string_equal(buf, "LOCK_SH");
	lt_flock_op_str(LOCK_SH | 0x100, buf, sizeof(buf));
	assert_string_equal(buf, "LOCK_SH|0x100");
	lt_flock_op_str(32 | 64, buf, sizeof(buf));
	assert_string_equal(buf, "LOCK_MAND|LOCK_READ");
	lt_flock_op_str(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
}

static void test_fl_flags_resolve(void **state)
{
	char buf[128];

	(void)state;
	lt_fl_flags_str(1 | 128, buf, sizeof(buf));
	assert_string_equal(buf, "FL_POSIX|FL_SLEEP");
	lt_fl_flags_str(2, buf, sizeof(buf));
	assert_string_equal(buf, "FL_FLOCK");
	lt_fl_flags_str(1024 | 128 | 0x10000, buf, sizeof(buf));
	assert_string_equal(buf, "FL_SLEEP|FL_OFDLCK|0x10000");
	lt_resolve_str(0x08 | 0x04, buf, sizeof(buf));
	assert_string_equal(buf, "RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH");
	lt_resolve_str(0x20 | 0x40, buf, sizeof(buf));
	assert_string_equal(buf, "RESOLVE_CACHED|0x40");
}

static void test_errno_names(void **state)
{
	(void)state;
	assert_string_equal(lt_errno_name(13), "EACCES");
	assert_string_equal(lt_errno_name(11), "EAGAIN");
	assert_string_equal(lt_errno_name(30), "EROFS");
	assert_string_equal(lt_errno_name(28), "ENOSPC");
	assert_string_equal(lt_errno_name(1), "EPERM");
	assert_string_equal(lt_errno_name(35), "EDEADLK");
	assert_string_equal(lt_errno_name(95), "EOPNOTSUPP");
	assert_string_equal(lt_errno_name(133), "EHWPOISON");
	assert_string_equal(lt_errno_name(512), "ERESTARTSYS");
	assert_string_equal(lt_errno_name(530), "ERECALLCONFLICT");
	assert_null(lt_errno_name(41));
	assert_null(lt_errno_name(134));
	assert_null(lt_errno_name(520));
	assert_null(lt_errno_name(9999));
	assert_null(lt_errno_name(0));
	assert_null(lt_errno_name(-1));
	assert_null(lt_errno_name(-13));

	assert_string_equal(lt_errno_name_for(11, LT_SYS_FLOCK), "EWOULDBLOCK");
	assert_string_equal(lt_errno_name_for(11, LT_SYS_FCNTL), "EAGAIN");
	assert_string_equal(lt_errno_name_for(11, LT_SYS_OPENAT), "EAGAIN");
	assert_string_equal(lt_errno_name_for(13, LT_SYS_FLOCK), "EACCES");
	assert_null(lt_errno_name_for(0, LT_SYS_FLOCK));
}

/* The table agrees with this libc's names for every number it has. */
static void test_errno_names_libc(void **state)
{
	int i;

	(void)state;
	for (i = 1; i <= 133; i++) {
		const char *ours = lt_errno_name(i), *libc = strerrorname_np(i);

		if (!libc) {
			assert_null(ours);
			continue;
		}
		assert_non_null(ours);
		assert_string_equal(ours, libc);
	}
}

static void test_fcntl_names(void **state)
{
	(void)state;
	assert_string_equal(lt_fcntl_cmd_name(F_SETLK), "F_SETLK");
	assert_string_equal(lt_fcntl_cmd_name(F_SETLKW), "F_SETLKW");
	assert_string_equal(lt_fcntl_cmd_name(F_GETLK), "F_GETLK");
	assert_string_equal(lt_fcntl_cmd_name(F_OFD_SETLK), "F_OFD_SETLK");
	assert_string_equal(lt_fcntl_cmd_name(F_OFD_SETLKW), "F_OFD_SETLKW");
	assert_string_equal(lt_fcntl_cmd_name(F_OFD_GETLK), "F_OFD_GETLK");
	assert_null(lt_fcntl_cmd_name(F_GETFD));
	assert_null(lt_fcntl_cmd_name(12345));

	assert_string_equal(lt_lock_type_name(F_RDLCK), "F_RDLCK");
	assert_string_equal(lt_lock_type_name(F_WRLCK), "F_WRLCK");
	assert_string_equal(lt_lock_type_name(F_UNLCK), "F_UNLCK");
	assert_null(lt_lock_type_name(3));
	assert_string_equal(lt_whence_name(SEEK_SET), "SEEK_SET");
	assert_string_equal(lt_whence_name(SEEK_END), "SEEK_END");
	assert_null(lt_whence_name(-1));
}

static void test_syscall_names(void **state)
{
	(void)state;
	assert_string_equal(lt_syscall_name(LT_SYS_OPEN), "open");
	assert_string_equal(lt_syscall_name(LT_SYS_OPENAT2), "openat2");
	assert_string_equal(lt_syscall_name(LT_SYS_CREAT), "creat");
	assert_string_equal(lt_syscall_name(LT_SYS_FCNTL), "fcntl");
	assert_string_equal(lt_syscall_name(0), "?");
	assert_string_equal(lt_event_kind(LT_SYS_OPENAT), "open");
	assert_string_equal(lt_event_kind(LT_SYS_CREAT), "open");
	assert_string_equal(lt_event_kind(LT_SYS_FLOCK), "flock");
	assert_string_equal(lt_event_kind(LT_SYS_FCNTL), "fcntl_lock");
	assert_string_equal(lt_syscall_name(LT_SYS_FTRUNCATE64), "ftruncate64");
	assert_string_equal(lt_syscall_name(LT_SYS_PWRITEV2), "pwritev2");
	assert_string_equal(lt_syscall_name(LT_SYS_FALLOCATE), "fallocate");
	assert_string_equal(lt_syscall_name(LT_SYS_FALLOCATE + 1), "?");
	assert_string_equal(lt_event_kind(LT_SYS_TRUNCATE), "truncate");
	assert_string_equal(lt_event_kind(LT_SYS_FTRUNCATE64), "truncate");
	assert_string_equal(lt_event_kind(LT_SYS_PWRITE64), "write");
	assert_string_equal(lt_event_kind(LT_SYS_PREADV2), "read");
	assert_string_equal(lt_event_kind(LT_SYS_FALLOCATE), "fallocate");
	assert_string_equal(lt_event_kind(LT_SYS_FALLOCATE + 1), "?");
}

/* Every call has a name and an event, and is of one family only. */
static void test_syscall_families(void **state)
{
	(void)state;
	for (__u32 sys = LT_SYS_OPEN; sys <= LT_SYS_FALLOCATE; sys++) {
		int n = lt_sys_is_open(sys) + lt_sys_is_lock(sys) + lt_sys_is_io(sys);
		int io = lt_sys_is_truncate(sys) + lt_sys_is_write(sys) + lt_sys_is_read(sys) +
			 (sys == LT_SYS_FALLOCATE);

		assert_int_equal(n, 1);
		assert_int_equal(io, lt_sys_is_io(sys));
		assert_string_not_equal(lt_syscall_name(sys), "?");
		assert_string_not_equal(lt_event_kind(sys), "?");
		assert_int_equal(lt_sys_by_name(sys),
				 sys == LT_SYS_TRUNCATE || sys == LT_SYS_TRUNCATE64);
	}
	assert_false(lt_sys_is_io(0));
	assert_false(lt_sys_is_open(0));
}

static void test_io_flags(void **state)
{
	char buf[128];

	(void)state;
	lt_falloc_mode_str(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	lt_falloc_mode_str(0x03, buf, sizeof(buf));
	assert_string_equal(buf, "FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE");
	lt_falloc_mode_str(0x110, buf, sizeof(buf));
	assert_string_equal(buf, "FALLOC_FL_ZERO_RANGE|0x100");
	lt_rwf_str(0x28, buf, sizeof(buf));
	assert_string_equal(buf, "RWF_NOWAIT|RWF_NOAPPEND");
}

/* One answer to "is this a lock call?", shared with the kernel side. */
static void test_syscall_kinds(void **state)
{
	(void)state;
	assert_false(lt_sys_is_lock(LT_SYS_OPEN));
	assert_false(lt_sys_is_lock(LT_SYS_OPENAT));
	assert_false(lt_sys_is_lock(LT_SYS_OPENAT2));
	assert_false(lt_sys_is_lock(LT_SYS_CREAT));
	assert_true(lt_sys_is_lock(LT_SYS_FLOCK));
	assert_true(lt_sys_is_lock(LT_SYS_FCNTL));
	assert_true(lt_sys_is_lock(LT_SYS_FCNTL64));
	assert_false(lt_sys_is_lock(0));
	assert_false(lt_sys_fcntl(LT_SYS_FLOCK));
	assert_true(lt_sys_fcntl(LT_SYS_FCNTL));
	assert_true(lt_sys_fcntl(LT_SYS_FCNTL64));
	assert_string_equal(lt_fcntl_cmd_name(LT_F_SETLK64), "F_SETLK64");
	assert_string_equal(lt_fcntl_cmd_name(LT_F_SETLKW64), "F_SETLKW64");
}

static void test_truncation(void **state)
{
	char buf[8];
	size_t n;

	(void)state;
	memset(buf, 'X', sizeof(buf));
	n = lt_open_flags_str(O_RDWR | O_CREAT | O_EXCL, buf, 5);
	assert_int_equal(n, 4);
	assert_string_equal(buf, "O_RD");
	assert_int_equal(buf[5], 'X');

	memset(buf, 'X', sizeof(buf));
	n = lt_open_flags_str(O_RDWR, buf, 1);
	assert_int_equal(n, 0);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');

	/* len 0 writes nothing at all. */
	memset(buf, 'X', sizeof(buf));
	n = lt_flock_op_str(LOCK_EX | LOCK_NB, buf, 0);
	assert_int_equal(n, 0);
	assert_int_equal(buf[0], 'X');
	n = lt_fl_flags_str(1, buf, 0);
	assert_int_equal(n, 0);
	n = lt_resolve_str(1, buf, 0);
	assert_int_equal(n, 0);
	n = lt_open_access_short(O_RDWR, buf, 0);
	assert_int_equal(n, 0);
	assert_int_equal(buf[0], 'X');

	/* Cut exactly at a separator, and in the hex tail. */
	n = lt_flock_op_str(LOCK_EX | LOCK_NB, buf, 8);
	assert_int_equal(n, 7);
	assert_string_equal(buf, "LOCK_EX");
	n = lt_open_flags_str(0x80000000u, buf, sizeof(buf));
	assert_int_equal(n, 7);
	assert_string_equal(buf, "O_RDONL");
}

/* LSM tier names. */
static void test_lsm_names(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(lt_hook_name(LT_HOOK_INODE_PERMISSION), "inode_permission");
	assert_string_equal(lt_hook_name(LT_HOOK_SEC_FILE_LOCK), "security_file_lock");
	assert_null(lt_hook_name(0));
	assert_null(lt_hook_name(LT_HOOK_COUNT));
	assert_string_equal(lt_lsm_id_name(LT_LSM_APPARMOR), "apparmor");
	assert_string_equal(lt_lsm_id_name(LT_LSM_BPF), "bpf");
	assert_null(lt_lsm_id_name(LT_LSM_NONE));
	assert_null(lt_lsm_id_name(LT_LSM_UNKNOWN));
	assert_null(lt_lsm_id_name(LT_LSM_COUNT));
	assert_string_equal(lt_lsm_function(LT_LSM_SELINUX, LT_HOOK_SEC_INODE_PERMISSION, buf,
					    sizeof(buf)),
			    "selinux_inode_permission");
	assert_string_equal(lt_lsm_function(LT_LSM_LANDLOCK, LT_HOOK_SEC_FILE_OPEN, buf,
					    sizeof(buf)),
			    "hook_file_open");
	assert_string_equal(lt_lsm_function(LT_LSM_BPF, LT_HOOK_SEC_FILE_LOCK, buf, sizeof(buf)),
			    "bpf_lsm_file_lock");
	/* Not a module hook, or no module known. */
	assert_null(lt_lsm_function(LT_LSM_NONE, LT_HOOK_INODE_PERMISSION, buf, sizeof(buf)));
	assert_null(lt_lsm_function(LT_LSM_UNKNOWN, LT_HOOK_SEC_FILE_OPEN, buf, sizeof(buf)));
	lt_may_mask_str(0x26, buf, sizeof(buf));
	assert_string_equal(buf, "MAY_WRITE|MAY_READ|MAY_OPEN");
	lt_may_mask_str(0x81, buf, sizeof(buf));
	assert_string_equal(buf, "MAY_EXEC|MAY_NOT_BLOCK");
	lt_may_mask_str(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	lt_may_mask_str(0x102, buf, sizeof(buf));
	assert_string_equal(buf, "MAY_WRITE|0x100");
}

/* Modules' names for people. */
static void test_lsm_titles(void **state)
{
	(void)state;
	assert_string_equal(lt_lsm_title(LT_LSM_SELINUX), "SELinux");
	assert_string_equal(lt_lsm_title(LT_LSM_APPARMOR), "AppArmor");
	assert_string_equal(lt_lsm_title(LT_LSM_LANDLOCK), "Landlock");
	assert_string_equal(lt_lsm_title(LT_LSM_SMACK), "Smack");
	assert_string_equal(lt_lsm_title(LT_LSM_TOMOYO), "TOMOYO");
	assert_string_equal(lt_lsm_title(LT_LSM_BPF), "a BPF LSM program");
	assert_null(lt_lsm_title(LT_LSM_NONE));
	assert_null(lt_lsm_title(LT_LSM_UNKNOWN));
	assert_null(lt_lsm_title(LT_LSM_COUNT));
}

/* Every module hook function the BPF side watches (a LT_LSM_MODULE_HOOK row
 * of bpf/lsm.def) is the function decoding names for its module and one of
 * the dispatchers: the refusal it reports is named by its own function. */
static void test_lsm_module_hooks(void **state)
{
	static const struct {
		__u32 lsm;
		const char *func;
	} rows[] = {
#define LT_LSM_MODULE_HOOK(ID, func) { LT_LSM_##ID, #func },
#include "lsm.def"
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool found = false;

		for (__u32 hook = 0; hook < LT_HOOK_COUNT && !found; hook++)
			found = lt_lsm_function(rows[i].lsm, hook, buf, sizeof(buf)) &&
				!strcmp(buf, rows[i].func);
		if (!found)
			fail_msg("%s: no dispatcher of module %s calls it", rows[i].func,
				 lt_lsm_id_name(rows[i].lsm));
	}
}

/* An access record with the LSM tier's refusal after its path. */
static union {
	struct lt_event ev;
	char raw[sizeof(struct lt_event) + 2 * LT_PATH_MAX + 64];
} rec;

static size_t make_rec(const char *path, const char *dpath)
{
	size_t n = strlen(path), off = LT_DENY_OFFSET(n), dn = strlen(dpath);
	struct lt_deny *d = (void *)(rec.raw + off);

	memset(&rec, 0, sizeof(rec));
	rec.ev.type = LT_REC_ACCESS;
	rec.ev.path_len = (__u16)n;
	rec.ev.arg_off = (__u16)n;
	memcpy(rec.ev.path, path, n + 1);
	rec.ev.ev_flags = LT_EVF_HAVE_DENY;
	d->hook = LT_HOOK_INODE_PERMISSION;
	d->path_len = (__u16)dn;
	memcpy(d->path, dpath, dn + 1);
	rec.ev.size = (__u32)(off + sizeof(*d) + dn + 1);
	return rec.ev.size;
}

static void test_event_check_deny(void **state)
{
	size_t size;
	const struct lt_deny *d;

	(void)state;
	for (size_t n = 1; n < 20; n++) { /* every padding */
		char path[32];

		memset(path, 'a', n);
		path[0] = '/';
		path[n] = '\0';
		size = make_rec(path, "/srv");
		assert_int_equal(lt_event_check(&rec, size), 0);
		d = lt_event_deny(&rec.ev);
		assert_non_null(d);
		assert_int_equal((uintptr_t)d % 8, 0);
		assert_string_equal(d->path, "/srv");
	}
	size = make_rec("/srv/locks/a.lock", "/srv/locks");
	assert_int_equal(lt_event_check(&rec, size - 1), -1); /* record cut */
	rec.ev.size = (__u32)size - 1;
	assert_int_equal(lt_event_check(&rec, size), -1); /* its path overruns it */
	size = make_rec("/srv/locks/a.lock", "/srv/locks");
	((struct lt_deny *)(rec.raw + LT_DENY_OFFSET(17)))->path[10] = 'x'; /* no NUL */
	assert_int_equal(lt_event_check(&rec, size), -1);
	size = make_rec("/srv/locks/a.lock", "/srv/locks");
	((struct lt_deny *)(rec.raw + LT_DENY_OFFSET(17)))->flags = LT_DENY_HAS_NAME;
	((struct lt_deny *)(rec.raw + LT_DENY_OFFSET(17)))->name_off = 11;
	assert_int_equal(lt_event_check(&rec, size), -1); /* name beyond the path */
	((struct lt_deny *)(rec.raw + LT_DENY_OFFSET(17)))->name_off = 5;
	assert_int_equal(lt_event_check(&rec, size), 0);
	rec.ev.ev_flags = 0;
	assert_null(lt_event_deny(&rec.ev));
}

/* --holders: the hold after the path, checked as a refusal's is. */
static void test_event_check_hold(void **state)
{
	size_t n = strlen("/mnt/a.lock"), off = LT_HOLD_OFFSET(n);
	struct lt_hold *h = (void *)(rec.raw + off);
	size_t size;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	rec.ev.type = LT_REC_ACCESS;
	rec.ev.path_len = rec.ev.arg_off = (__u16)n;
	memcpy(rec.ev.path, "/mnt/a.lock", n + 1);
	rec.ev.ev_flags = LT_EVF_HAVE_HOLD;
	memcpy(h->fstype, "cifs", 5);
	h->source_len = 11;
	memcpy(h->source, "//srv/share", 12);
	h->path_len = 7;
	memcpy(h->path, "/a.lock", 8);
	size = rec.ev.size = (__u32)(off + sizeof(*h) + 8);
	assert_int_equal(lt_event_check(&rec, size), 0);
	assert_ptr_equal(lt_event_hold(&rec.ev), h);
	assert_int_equal((uintptr_t)h % 8, 0);
	rec.ev.size = (__u32)size - 1; /* its path overruns the record */
	assert_int_equal(lt_event_check(&rec, size), -1);
	rec.ev.size = (__u32)size;
	h->path[7] = 'x'; /* no NUL */
	assert_int_equal(lt_event_check(&rec, size), -1);
	h->path[7] = '\0';
	h->source[11] = 'x';
	assert_int_equal(lt_event_check(&rec, size), -1);
	h->source[11] = '\0';
	memset(h->fstype, 'f', sizeof(h->fstype)); /* unterminated type */
	assert_int_equal(lt_event_check(&rec, size), -1);
	memcpy(h->fstype, "cifs", 5);
	h->path_len = LT_HOLD_PATH_MAX;
	assert_int_equal(lt_event_check(&rec, size), -1);
	h->path_len = 7;
	rec.ev.ev_flags |= LT_EVF_HAVE_DENY; /* never both */
	assert_int_equal(lt_event_check(&rec, size), -1);
	rec.ev.ev_flags = 0;
	assert_null(lt_event_hold(&rec.ev));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_flags),	 cmocka_unit_test(test_open_access_short),
		cmocka_unit_test(test_flock_ops),	 cmocka_unit_test(test_fl_flags_resolve),
		cmocka_unit_test(test_errno_names),	 cmocka_unit_test(test_errno_names_libc),
		cmocka_unit_test(test_fcntl_names),	 cmocka_unit_test(test_syscall_names),
		cmocka_unit_test(test_syscall_kinds),	 cmocka_unit_test(test_syscall_families),
		cmocka_unit_test(test_io_flags),	 cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_lsm_names),	 cmocka_unit_test(test_lsm_titles),
		cmocka_unit_test(test_lsm_module_hooks), cmocka_unit_test(test_event_check_deny),
		cmocka_unit_test(test_event_check_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
