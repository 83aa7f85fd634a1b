// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One recording line to the fields a report needs (simdjson On-Demand). */
#include <cstring>
#include <string_view>
#include <simdjson.h>
#include "parse.h"

using namespace simdjson;

namespace
{

/* Any failure makes the line LT_REP_BAD. */
struct bad_line {};

template <typename T> T must(simdjson_result<T> &&r)
{
	T v;

	if (std::move(r).get(v) != SUCCESS)
		throw bad_line();
	return v;
}

lt_str str_of(ondemand::value v)
{
	std::string_view s = must(v.get_string());

	return lt_str{ s.data(), s.size() };
}

__u32 u32_of(ondemand::value v)
{
	int64_t x = must(v.get_int64());

	if (x < 0 || x > 0xffffffffLL)
		throw bad_line();
	return (__u32)x;
}

__u64 u64_of(ondemand::value v)
{
	return must(v.get_uint64());
}

/* A header's "format": a version number. Anything else there is left as
 * readers always have (0: not said). */
__u64 format_of(ondemand::value v)
{
	uint64_t x;

	return v.get_uint64().get(x) == SUCCESS ? x : 0;
}

void holder_of(ondemand::value v, lt_rep_rec *out)
{
	for (auto f : must(v.get_object())) {
		std::string_view k = must(f.unescaped_key());

		if (k == "pid")
			out->holder_pid = u32_of(must(f.value()));
		else if (k == "comm")
			out->holder_comm = str_of(must(f.value()));
	}
}

void holders_of(ondemand::value v, lt_rep_rec *out)
{
	for (auto e : must(v.get_array())) {
		ondemand::value h = must(std::move(e));
		__u32 pid = 0, uid = 0;
		lt_str comm = {};

		for (auto f : must(h.get_object())) {
			std::string_view k = must(f.unescaped_key());

			if (k == "pid")
				pid = u32_of(must(f.value()));
			else if (k == "uid")
				uid = u32_of(must(f.value()));
			else if (k == "comm")
				comm = str_of(must(f.value()));
		}
		if (out->nholders < LT_REP_HOLDERS) {
			out->holders[out->nholders].pid = pid;
			out->holders[out->nholders].uid = uid;
			out->holders[out->nholders].comm = comm;
			out->nholders++;
		}
	}
}

/* --holders: "hold":{"id","kind","type","held_us","release","share","share_path",...} */
void hold_of(ondemand::value v, lt_rep_rec *out)
{
	out->have_hold = true;
	for (auto f : must(v.get_object())) {
		std::string_view k = must(f.unescaped_key());

		if (k == "id")
			out->hold_id = u64_of(must(f.value()));
		else if (k == "kind")
			out->hold_kind = str_of(must(f.value()));
		else if (k == "type")
			out->hold_type = str_of(must(f.value()));
		else if (k == "held_us")
			out->held_us = must(must(f.value()).get_int64());
		else if (k == "release")
			out->hold_release = str_of(must(f.value()));
		else if (k == "share")
			out->share = str_of(must(f.value()));
		else if (k == "mount")
			out->hold_mount = str_of(must(f.value()));
		else if (k == "share_path")
			out->share_path = str_of(must(f.value()));
		else if (k == "untracked")
			out->hold_untracked = must(must(f.value()).get_bool());
	}
}

/* A header's "mounts":[{"mount","share","share_path",...}]: the first
 * LT_REP_MOUNTS kept, the others counted. */
void mounts_of(ondemand::value v, lt_rep_rec *out)
{
	for (auto e : must(v.get_array())) {
		ondemand::value m = must(std::move(e));
		lt_str mount = {}, share = {}, spath = {};

		for (auto f : must(m.get_object())) {
			std::string_view k = must(f.unescaped_key());

			if (k == "mount")
				mount = str_of(must(f.value()));
			else if (k == "share")
				share = str_of(must(f.value()));
			else if (k == "share_path")
				spath = str_of(must(f.value()));
		}
		if (out->nmounts < LT_REP_MOUNTS) {
			out->mounts[out->nmounts].mount = mount;
			out->mounts[out->nmounts].share = share;
			out->mounts[out->nmounts].share_path = spath;
			out->nmounts++;
		} else {
			out->mounts_more++;
		}
	}
}

void cause_of(ondemand::value v, lt_rep_rec *out)
{
	for (auto f : must(v.get_object())) {
		std::string_view k = must(f.unescaped_key());

		if (k == "kind")
			out->kind_s = str_of(must(f.value()));
		else if (k == "detail")
			out->detail = str_of(must(f.value()));
		else if (k == "fix")
			out->fix = str_of(must(f.value()));
		else if (k == "evidence")
			out->evidence = str_of(must(f.value()));
		else if (k == "holders")
			holders_of(must(f.value()), out);
		else if (k == "lsm") {
			for (auto g : must(must(f.value()).get_object())) {
				if (must(g.unescaped_key()) == "name") {
					ondemand::value n = must(g.value());

					if (must(n.type()) == ondemand::json_type::string)
						out->lsm = str_of(n);
				}
			}
		}
	}
}

int parse(ondemand::parser &p, const char *line, size_t len, size_t cap, lt_rep_rec *out)
{
	ondemand::document doc = must(p.iterate(line, len, cap));
	std::string_view type;
	bool have_time = false, have_event = false, have_path = false;

	for (auto f : must(doc.get_object())) {
		std::string_view k = must(f.unescaped_key());
		ondemand::value v = must(f.value());

		if (k == "type")
			type = must(v.get_string());
		else if (k == "time")
			out->time = str_of(v), have_time = true;
		else if (k == "event")
			out->event = str_of(v), have_event = true;
		else if (k == "path")
			out->path = str_of(v), have_path = true;
		else if (k == "comm")
			out->comm = str_of(v);
		else if (k == "error")
			out->error = str_of(v);
		else if (k == "ret")
			out->ret = must(v.get_int64());
		else if (k == "wait_us")
			out->wait_us = must(v.get_int64());
		else if (k == "pid")
			out->pid = u32_of(v);
		else if (k == "uid")
			out->uid = u32_of(v);
		else if (k == "cause")
			cause_of(v, out);
		else if (k == "holder")
			holder_of(v, out);
		else if (k == "hold")
			hold_of(v, out);
		else if (k == "machine_id")
			out->machine_id = str_of(v);
		else if (k == "mntns")
			out->mntns = u64_of(v);
		else if (k == "mounts")
			mounts_of(v, out);
		else if (k == "end")
			out->end = str_of(v);
		else if (k == "host")
			out->host = str_of(v);
		else if (k == "kernel")
			out->kernel = str_of(v);
		else if (k == "tier")
			out->tier = str_of(v);
		else if (k == "locktrace")
			out->version = str_of(v);
		else if (k == "start")
			out->start = str_of(v);
		else if (k == "format")
			out->format = format_of(v);
		else if (k == "seen")
			out->seen = u64_of(v);
		else if (k == "written")
			out->written = u64_of(v);
		else if (k == "dropped_kernel")
			out->dropped_kernel = u64_of(v);
		else if (k == "dropped_write")
			out->dropped_write = u64_of(v);
	}
	const char *rest;

	if (doc.current_location().get(rest) == SUCCESS)
		return LT_REP_BAD; /* more after the object */
	if (type == "header")
		return LT_REP_HEADER;
	/* The --json stats line has the trailer's counters. */
	if (type == "trailer" || type == "stats")
		return LT_REP_TRAILER;
	if (type.empty() && have_time && have_event && have_path)
		return LT_REP_EVENT;
	return LT_REP_BAD;
}

} // namespace

extern "C" void *lt_rep_parser_new(void)
{
	return new (std::nothrow) ondemand::parser();
}

extern "C" void lt_rep_parser_free(void *parser)
{
	delete static_cast<ondemand::parser *>(parser);
}

extern "C" int lt_rep_parse(void *parser, const char *line, size_t len, size_t capacity,
			    lt_rep_rec *out)
{
	std::memset(out, 0, sizeof(*out));
	out->held_us = -1;
	if (!parser || capacity < len + LT_REP_PADDING) {
		out->kind = LT_REP_BAD;
		return out->kind;
	}
	try {
		out->kind =
			parse(*static_cast<ondemand::parser *>(parser), line, len, capacity, out);
	} catch (const bad_line &) {
		out->kind = LT_REP_BAD;
	} catch (...) {
		out->kind = LT_REP_BAD;
	}
	if (out->kind == LT_REP_BAD) {
		/* Nothing half-read leaks out of a bad line. */
		std::memset(out, 0, sizeof(*out));
		out->kind = LT_REP_BAD;
	}
	return out->kind;
}
