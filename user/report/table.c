// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The report's tables: open-addressed hash tables of items, each one
 * allocation starting with its key. Recordings are untrusted: every table
 * is keyed by the bytes and their length (a NUL is a byte like another),
 * hashed with SipHash under a key drawn at random for each report (nobody
 * can make values collide without knowing it), and bounded (LT_REP_TABLES):
 * a value first seen in a full table is counted, not kept.
 */
#include <stdlib.h>
#include <string.h>
#include "common/util.h"
#include "model.h"
#include "table.h"

__u64 lt_rep_hash(const struct lt_report *r, const char *s, size_t n)
{
	return lt_siphash13(r->hash_key, s, n);
}

/* Malloc's own cost of a block, and a table slot's, charged to the table. */
#define ITEM_OVERHEAD (2 * sizeof(void *) + 16)

/* The item of key s[0..n) with hash h, NULL if none. */
static void *tab_find(const struct lt_rep_tab *t, const char *s, size_t n, __u64 h)
{
	size_t mask = t->cap - 1;

	if (!t->cap)
		return NULL;
	for (size_t j = h & mask; t->slots[j]; j = (j + 1) & mask) {
		const struct lt_rep_key *k = t->slots[j];

		if (k->hash == h && k->n == n && !memcmp(k->s, s, n))
			return t->slots[j];
	}
	return NULL;
}

/* May the table keep one more item of @bytes? If not, the event is counted
 * as not kept. */
static bool tab_room(struct lt_rep_tab *t, size_t bytes)
{
	if (t->used < t->max && t->bytes + bytes + ITEM_OVERHEAD <= t->max_bytes)
		return true;
	t->more++;
	return false;
}

/* Insert @item (not in the table; tab_room said yes), growing the table. */
static bool tab_insert(struct lt_report *r, struct lt_rep_tab *t, void *item, size_t bytes)
{
	const struct lt_rep_key *k = item;
	size_t j;

	if ((t->used + 1) * 4 > t->cap * 3) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void **slots = calloc(cap, sizeof(*slots));

		if (!slots) {
			r->oom = true;
			return false;
		}
		for (size_t i = 0; i < t->cap; i++) {
			const struct lt_rep_key *o = t->slots[i];

			if (!o)
				continue;
			for (j = o->hash & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
				;
			slots[j] = t->slots[i];
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	for (j = k->hash & (t->cap - 1); t->slots[j]; j = (j + 1) & (t->cap - 1))
		;
	t->slots[j] = item;
	t->used++;
	t->bytes += bytes + ITEM_OVERHEAD;
	return true;
}

void *lt_rep_tab_get(struct lt_report *r, struct lt_rep_tab *t, size_t size, const char *s,
		     size_t n, __u64 h, size_t extra, bool *added)
{
	size_t bytes = size + n + 1 + extra;
	struct lt_rep_key *k = tab_find(t, s, n, h);

	*added = false;
	if (k)
		return k;
	if (!tab_room(t, bytes))
		return NULL;
	k = calloc(1, bytes);
	if (!k) {
		r->oom = true;
		return NULL;
	}
	k->s = (char *)k + size;
	memcpy(k->s, s, n);
	k->n = n;
	k->hash = h;
	if (!tab_insert(r, t, k, bytes)) {
		free(k);
		return NULL;
	}
	*added = true;
	return k;
}

struct lt_rep_count *lt_rep_count_add(struct lt_report *r, struct lt_rep_tab *t, const char *s,
				      size_t n, __u64 h, __s64 t_us)
{
	bool added;
	struct lt_rep_count *c = lt_rep_tab_get(r, t, sizeof(*c), s, n, h, 0, &added);

	if (!c)
		return NULL;
	if (added)
		c->index = (__u32)(t->used - 1); /* the order of first appearance */
	c->n++;
	c->last_us = t_us;
	return c;
}

int lt_rep_key_cmp(const struct lt_rep_key *x, const struct lt_rep_key *y)
{
	int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

	if (c)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

static int count_cmp(const void *a, const void *b)
{
	const struct lt_rep_count *x = *(const struct lt_rep_count *const *)a;
	const struct lt_rep_count *y = *(const struct lt_rep_count *const *)b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return lt_rep_key_cmp(&x->key, &y->key);
}

size_t lt_rep_tab_sorted(const struct lt_rep_tab *t, const struct lt_rep_count **out, size_t max)
{
	const struct lt_rep_count **all;
	size_t n = 0;

	if (!t->used || !max)
		return 0;
	all = malloc(t->used * sizeof(*all));
	if (!all)
		return 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			all[n++] = t->slots[i];
	qsort(all, n, sizeof(*all), count_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(*out));
	free(all);
	return n;
}

void lt_rep_tab_pack(struct lt_rep_tab *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			t->slots[n++] = t->slots[i];
	for (size_t i = n; i < t->cap; i++)
		t->slots[i] = NULL;
	t->used = n;
}

void lt_rep_tab_free(struct lt_rep_tab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i]);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* Grow *a (of *cap items of @size) to hold n + 1. */
bool lt_rep_grow(struct lt_report *r, void **a, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 8;
	p = realloc(*a, c * size);
	if (!p) {
		r->oom = true;
		return false;
	}
	*a = p;
	*cap = c;
	return true;
}
