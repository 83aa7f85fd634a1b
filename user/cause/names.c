// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The words of a cause: the names of its kinds, of its evidence, of how
 * complete its facts are and of the lookups behind them, of file types and
 * capabilities. Calls nothing but libc: the report links it alone.
 */
#include <sys/stat.h>
#include <linux/capability.h>
#include "common/util.h"
#include "names.h"

const char *lt_cause_kind_name(enum lt_cause_kind kind)
{
	static const char *const names[] = {
#define LT_X(e, name) [e] = name,
		LT_CAUSE_KINDS(LT_X)
#undef LT_X
	};

	if ((unsigned int)kind < ARRAY_SIZE(names) && names[kind])
		return names[kind];
	return "unknown";
}

const char *lt_evidence_name(enum lt_evidence ev)
{
	static const char *const names[] = {
#define LT_X(e, name) [e] = name,
		LT_EVIDENCES(LT_X)
#undef LT_X
	};

	return (unsigned int)ev < ARRAY_SIZE(names) ? names[ev] : "?";
}

const char *lt_facts_state_name(enum lt_facts_state state)
{
	static const char *const names[] = {
#define LT_X(e, name) [e] = name,
		LT_FACTS_STATES(LT_X)
#undef LT_X
	};

	return (unsigned int)state < ARRAY_SIZE(names) ? names[state] : "?";
}

const char *lt_lookup_name(enum lt_lookup lookup)
{
	static const char *const names[] = {
#define LT_X(e, what) [e] = what,
		LT_LOOKUPS(LT_X)
#undef LT_X
	};

	return (unsigned int)lookup < ARRAY_SIZE(names) ? names[lookup] : "looking up";
}

/* File types: st_mode's type, the JSON name, the words for people. */
#define LT_FILE_TYPES(X)                          \
	X(S_IFREG, "file", "regular file")        \
	X(S_IFDIR, "dir", "directory")            \
	X(S_IFIFO, "fifo", "FIFO")                \
	X(S_IFCHR, "chardev", "character device") \
	X(S_IFBLK, "blockdev", "block device")    \
	X(S_IFSOCK, "socket", "socket")           \
	X(S_IFLNK, "symlink", "symbolic link")

const char *lt_file_type_name(__u32 mode)
{
#define X(type, name, words)           \
	if ((mode & S_IFMT) == (type)) \
		return name;
	LT_FILE_TYPES(X)
#undef X
	return "?";
}

const char *lt_file_type_words(__u32 mode)
{
#define X(type, name, words)           \
	if ((mode & S_IFMT) == (type)) \
		return words;
	LT_FILE_TYPES(X)
#undef X
	return "file of unknown type";
}

const char *lt_cap_name(int cap)
{
	switch (cap) {
	case CAP_DAC_OVERRIDE:
		return "CAP_DAC_OVERRIDE";
	case CAP_DAC_READ_SEARCH:
		return "CAP_DAC_READ_SEARCH";
	}
	return "?";
}
