// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The HTML report's timeline: failures over time, by cause, as an SVG of
 * stacked bars and its legend. Pure. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fmt.h"
#include "model.h"
#include "render.h"

#define USEC_PER_SEC 1000000LL

/* Timeline geometry: columns, and the SVG's size and margins in pixels. */
#define TL_COLS 60
#define TL_W 960
#define TL_H 280
#define TL_ML 64
#define TL_MR 16
#define TL_MT 16
#define TL_MB 44
#define TL_PLOT_W (TL_W - TL_ML - TL_MR)
#define TL_PLOT_H (TL_H - TL_MT - TL_MB)

/* One colour a cause, the most frequent first; the rest share the last. */
#define TL_COLOURS 12
static const char *const tl_palette[TL_COLOURS + 1] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
	"#ff9da7", "#9c755f", "#1f77b4", "#8c564b", "#17becf", "#7f7f7f",
};

static const char *cause_name(const struct lt_report *r, size_t i)
{
	if (i < r->ncause_names && r->cause_names && r->cause_names[i])
		return r->cause_names[i];
	return "?";
}

/* The causes that get a colour: the most points first, then by name. */
static size_t pick_causes(const struct lt_report *r, const unsigned long long *total, size_t *sel)
{
	size_t nsel = 0, i, k;

	while (nsel < TL_COLOURS) {
		size_t best = SIZE_MAX;

		for (i = 0; i < r->ncause_names; i++) {
			bool taken = false;

			if (!total[i])
				continue;
			for (k = 0; k < nsel; k++)
				taken |= sel[k] == i;
			if (taken)
				continue;
			if (best == SIZE_MAX || total[i] > total[best] ||
			    (total[i] == total[best] &&
			     strcmp(cause_name(r, i), cause_name(r, best)) < 0))
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		sel[nsel++] = best;
	}
	return nsel;
}

static void tl_title(struct lt_buf *b, const char *cause, unsigned long long n, __s64 from,
		     __s64 to)
{
	lt_buf_puts(b, "<title>");
	lt_rep_html_attr(b, cause);
	lt_buf_printf(b, ": %llu failure%s, ", n, n == 1 ? "" : "s");
	lt_rep_put_time(b, from);
	lt_buf_puts(b, " to ");
	lt_rep_put_time(b, to);
	lt_buf_puts(b, "</title>");
}

static void tl_empty(struct lt_buf *b)
{
	lt_buf_printf(b,
		      "<svg id=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "role=\"img\" aria-label=\"failures over time\">"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no failures</text></svg>\n"
		      "<ul class=\"legend\"></ul>\n",
		      TL_W, TL_H / 4, TL_W, TL_H / 4, TL_W / 2, TL_H / 8);
}

/* The timeline's failures one after the other: the points, or past
 * LT_REP_POINTS_MAX the time buckets (each at its middle, with its count). */
struct tl_it {
	size_t k;
	__s64 t;
	__u32 cause;
	unsigned long long n;
};

static bool tl_next(const struct lt_report *r, struct tl_it *it)
{
	if (!r->bins) {
		if (it->k >= r->npoints || !r->points)
			return false;
		it->t = r->points[it->k].t_us;
		it->cause = r->points[it->k].cause;
		it->n = 1;
		it->k++;
		return true;
	}
	while (it->k < r->bins_rows * LT_REP_BINS) {
		size_t k = it->k++, row = k / LT_REP_BINS;
		__u64 u;

		if (!r->bins[k])
			continue;
		u = r->bins_lo + ((__u64)(k % LT_REP_BINS) << r->bins_shift) +
		    ((1ULL << r->bins_shift) >> 1);
		it->t = (__s64)(u ^ (1ULL << 63));
		it->cause = row + 1 < r->bins_rows ? (__u32)row : UINT32_MAX;
		it->n = r->bins[k];
		return true;
	}
	return false;
}

void lt_rep_html_timeline(const struct lt_report *r, struct lt_buf *b)
{
	unsigned long long col[TL_COLS][TL_COLOURS + 1], *total, ymax = 0, other = 0;
	size_t sel[TL_COLOURS], nsel, i, c;
	struct tl_it it = {};
	__u64 span, w, off;
	__s64 lo, hi;
	__u32 *slot;

	lt_buf_puts(b,
		    "<section id=\"timeline-section\">\n<h2>Failures over time, by cause</h2>\n");
	if (!tl_next(r, &(struct tl_it){})) {
		tl_empty(b);
		lt_buf_puts(b, "</section>\n");
		return;
	}
	lo = r->first_us;
	hi = r->last_us;
	if (lo > hi) {
		lo = INT64_MAX;
		hi = INT64_MIN;
		for (it.k = 0; tl_next(r, &it);) {
			lo = it.t < lo ? it.t : lo;
			hi = it.t > hi ? it.t : hi;
		}
	}
	if (lo == hi) {
		if (hi <= INT64_MAX - USEC_PER_SEC)
			hi += USEC_PER_SEC;
		else
			lo -= USEC_PER_SEC;
	}
	span = (__u64)hi - (__u64)lo;
	w = span / TL_COLS + (span % TL_COLS != 0);

	total = calloc(r->ncause_names + 1, sizeof(*total));
	slot = calloc(r->ncause_names + 1, sizeof(*slot));
	if (!total || !slot) {
		free(total);
		free(slot);
		b->oom = true;
		return;
	}
	for (it.k = 0; tl_next(r, &it);)
		total[it.cause < r->ncause_names ? it.cause : r->ncause_names] += it.n;
	nsel = pick_causes(r, total, sel);
	for (i = 0; i <= r->ncause_names; i++)
		slot[i] = TL_COLOURS;
	for (c = 0; c < nsel; c++)
		slot[sel[c]] = (__u32)c;
	for (i = 0; i <= r->ncause_names; i++)
		if (slot[i] == TL_COLOURS)
			other += total[i];

	memset(col, 0, sizeof(col));
	for (it.k = 0; tl_next(r, &it);) {
		__s64 t = it.t < lo ? lo : it.t > hi ? hi : it.t;
		size_t x = (size_t)(((__u64)t - (__u64)lo) / w);

		if (x >= TL_COLS)
			x = TL_COLS - 1;
		col[x][slot[it.cause < r->ncause_names ? it.cause : r->ncause_names]] += it.n;
	}
	for (i = 0; i < TL_COLS; i++) {
		unsigned long long sum = 0;

		for (c = 0; c <= TL_COLOURS; c++)
			sum += col[i][c];
		ymax = sum > ymax ? sum : ymax;
	}

	lt_buf_printf(b,
		      "<svg id=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "role=\"img\" aria-label=\"failures over time, by cause\">\n",
		      TL_W, TL_H, TL_W, TL_H);
	/* Axes, the y axis's maximum and the time range. */
	lt_buf_printf(b,
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>"
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n",
		      TL_ML, TL_MT, TL_ML, TL_MT + TL_PLOT_H, TL_ML, TL_MT + TL_PLOT_H,
		      TL_ML + TL_PLOT_W, TL_MT + TL_PLOT_H);
	lt_buf_printf(b,
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
		      TL_ML, TL_MT, TL_ML + TL_PLOT_W, TL_MT, TL_ML - 6, TL_MT + 4, ymax, TL_ML - 6,
		      TL_MT + TL_PLOT_H + 4);
	lt_buf_printf(
		b,
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">"
		"failures</text>\n",
		TL_ML - 30, TL_MT + TL_PLOT_H / 2, TL_ML - 30, TL_MT + TL_PLOT_H / 2);
	lt_buf_printf(b, "<text class=\"start\" x=\"%d\" y=\"%d\">", TL_ML, TL_H - 22);
	lt_rep_put_time(b, lo);
	lt_buf_printf(b, "</text><text class=\"end\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		      TL_ML + TL_PLOT_W, TL_H - 22);
	lt_rep_put_time(b, hi);
	lt_buf_printf(b,
		      "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (UTC), one "
		      "column = ",
		      TL_ML + TL_PLOT_W / 2, TL_H - 6);
	if (w >= (__u64)USEC_PER_SEC)
		lt_buf_printf(b, "%.1f s", (double)w / USEC_PER_SEC);
	else
		lt_rep_put_ms(b, w);
	lt_buf_puts(b, "</text>\n");

	/* The bars: one stack a column, the legend's order from the bottom. */
	for (i = 0; i < TL_COLS; i++) {
		double x = TL_ML + (double)i * TL_PLOT_W / TL_COLS + 1;
		double bw = (double)TL_PLOT_W / TL_COLS - 2;
		double y = TL_MT + TL_PLOT_H;
		__s64 from, to;

		off = (__u64)i * w;
		from = (__s64)((__u64)lo + (off < span ? off : span));
		off += w;
		to = (__s64)((__u64)lo + (off < span ? off : span));
		for (c = 0; c <= TL_COLOURS; c++) {
			unsigned long long n = col[i][c];
			double h;

			if (!n)
				continue;
			h = (double)n * TL_PLOT_H / (double)ymax;
			if (h < 1)
				h = 1;
			if (y - h < TL_MT)
				h = y - TL_MT;
			y -= h;
			lt_buf_printf(b,
				      "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
				      "fill=\"%s\">",
				      x, y, bw, h, tl_palette[c]);
			tl_title(b, c < nsel ? cause_name(r, sel[c]) : "other causes", n, from, to);
			lt_buf_puts(b, "</rect>\n");
		}
	}
	lt_buf_puts(b, "</svg>\n<ul class=\"legend\">\n");
	for (c = 0; c < nsel; c++) {
		lt_buf_printf(
			b,
			"<li class=\"legend-item\"><span class=\"sw\" style=\"background:%s\">"
			"</span>",
			tl_palette[c]);
		lt_rep_html_str(b, cause_name(r, sel[c]));
		lt_buf_printf(b, " (%llu)</li>\n", total[sel[c]]);
	}
	if (other)
		lt_buf_printf(
			b,
			"<li class=\"legend-item\"><span class=\"sw\" style=\"background:%s\">"
			"</span>other causes (%llu)</li>\n",
			tl_palette[TL_COLOURS], other);
	lt_buf_puts(b, "</ul>\n</section>\n");
	free(total);
	free(slot);
}
