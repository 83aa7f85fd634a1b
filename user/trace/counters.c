// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The table of a session's counters: JSON, the summary's losses. */
#include <stddef.h>
#include "counters.h"
#include "common/util.h"

static const struct {
	const char *key, *phrase;
	enum lt_counter_kind kind;
	size_t off;
} counters[] = {
#define LT_COUNTERS_DESC(name, kind, phrase) \
	{ #name, phrase, LT_CNT_##kind, offsetof(struct lt_counters, name) },
	LT_COUNTERS(LT_COUNTERS_DESC)
#undef LT_COUNTERS_DESC
};

static unsigned long long value(const struct lt_counters *c, size_t i)
{
	return *(const unsigned long long *)((const char *)c + counters[i].off);
}

void lt_counters_from_kernel(struct lt_counters *c, const struct lt_stats *st)
{
	c->dropped_kernel = st->dropped_kernel;
#define LT_COUNTERS_TAKE(name, kind, phrase) c->name = st->name;
	LT_KERNEL_LOSSES(LT_COUNTERS_TAKE)
#undef LT_COUNTERS_TAKE
}

void lt_counters_json(struct lt_buf *b, const struct lt_counters *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(counters); i++) {
		lt_buf_printf(b, ",\"%s\":", counters[i].key);
		lt_buf_u64(b, value(c, i));
	}
}

int lt_counters_losses(struct lt_buf *b, const struct lt_counters *c)
{
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(counters); i++) {
		if (counters[i].kind != LT_CNT_LOSS || !value(c, i))
			continue;
		lt_buf_printf(b, "%s%llu %s", n++ ? ", " : "", value(c, i), counters[i].phrase);
	}
	return n;
}

unsigned long long lt_counters_kernel_losses(const struct lt_counters *c)
{
	unsigned long long sum = c->dropped_kernel + c->recursion_misses;

#define LT_COUNTERS_SUM(name, kind, phrase) sum += c->name;
	LT_KERNEL_LOSSES(LT_COUNTERS_SUM)
#undef LT_COUNTERS_SUM
	return sum;
}
