// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ltdeny: attach ltdeny.bpf.c (a refusing BPF LSM program), say so, wait. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "ltdeny.skel.h"

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

int main(void)
{
	struct ltdeny_bpf *skel = ltdeny_bpf__open_and_load();

	if (!skel || ltdeny_bpf__attach(skel)) {
		fprintf(stderr, "ltdeny: cannot load or attach\n");
		ltdeny_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "ltdeny: attached\n");
	while (!done)
		pause();
	ltdeny_bpf__destroy(skel);
	return 0;
}
