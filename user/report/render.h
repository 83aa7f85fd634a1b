/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The report, finished (lt_report_finish), in each of its formats. Pure:
 * into a buffer, nothing else read or written. */
#ifndef LOCKTRACE_REPORT_RENDER_H
#define LOCKTRACE_REPORT_RENDER_H

#include <stdbool.h>
#include "common/buf.h"
#include "model.h"

/* In the format the options ask for (render.c; text without options). */
void lt_report_render(const struct lt_report *r, struct lt_buf *b);

/* Plain text or Markdown (text.c). */
void lt_report_render_text(const struct lt_report *r, struct lt_buf *b, bool markdown);
/* One JSON object (json.c). */
void lt_report_render_json(const struct lt_report *r, struct lt_buf *b);
/* One self-contained HTML page (html.c), and its timeline of failures by
 * cause, an SVG (timeline.c). */
void lt_report_render_html(const struct lt_report *r, struct lt_buf *b);
void lt_rep_html_timeline(const struct lt_report *r, struct lt_buf *b);

#endif /* LOCKTRACE_REPORT_RENDER_H */
