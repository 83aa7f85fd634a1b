// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The report in the format its options ask for: one file a format below. */
#include "model.h"
#include "render.h"

void lt_report_render(const struct lt_report *r, struct lt_buf *b)
{
	switch (r->opts ? r->opts->format : LT_REP_TEXT) {
	case LT_REP_JSON:
		lt_report_render_json(r, b);
		break;
	case LT_REP_MARKDOWN:
		lt_report_render_text(r, b, true);
		break;
	case LT_REP_HTML:
		lt_report_render_html(r, b);
		break;
	default:
		lt_report_render_text(r, b, false);
		break;
	}
}
