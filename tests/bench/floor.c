// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* floor: attach the empty programs of floor.bpf.c, say so, wait for a signal. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "floor.skel.h"

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

int main(void)
{
	struct floor_bpf *skel = floor_bpf__open_and_load();

	if (!skel || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot load or attach\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "floor: attached\n");
	while (!done)
		pause();
	floor_bpf__destroy(skel);
	return 0;
}
