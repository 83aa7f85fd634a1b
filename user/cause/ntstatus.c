// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What an SMB server answers, in words: see ntstatus.h. */
#include "common/util.h"
#include "ntstatus.h"

static const struct {
	__u32 value;
	const char *name;
	enum lt_cause_kind kind;
} statuses[] = {
#define LT_X(name, value, kind) { value, #name, kind },
	LT_NT_STATUSES(LT_X)
#undef LT_X
};

const char *lt_nt_status_name(__u32 status)
{
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (statuses[i].value == status)
			return statuses[i].name;
	return NULL;
}

enum lt_cause_kind lt_nt_status_kind(__u32 status)
{
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (statuses[i].value == status)
			return statuses[i].kind;
	return LT_CAUSE_NONE;
}

bool lt_cause_kind_is_remote(enum lt_cause_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (kind != LT_CAUSE_NONE && statuses[i].kind == kind)
			return true;
	return false;
}

const char *lt_smb2_cmd_name(__u16 cmd)
{
	static const char *const names[] = {
#define LT_X(name, code) [code] = #name,
		LT_SMB2_COMMANDS(LT_X)
#undef LT_X
	};

	return cmd < ARRAY_SIZE(names) ? names[cmd] : NULL;
}
