// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfhold OBJ: load a BPF object, attach all its programs, say
 * "bpfhold: attached" on stderr and keep them until SIGINT or SIGTERM.
 * The tests' stand-ins: the benchmark's floor (tests/bench/floor.bpf.c)
 * and the VM test's refusing BPF LSM program (tests/vm/ltdeny.bpf.c).
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: bpfhold OBJ\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "bpfhold: cannot load %s\n", argv[1]);
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "bpfhold: cannot attach %s\n", bpf_program__name(prog));
			bpf_object__close(obj);
			return 1;
		}
		n++;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "bpfhold: attached %d programs of %s\n", n, argv[1]);
	while (!done)
		pause();
	bpf_object__close(obj);
	return 0;
}
