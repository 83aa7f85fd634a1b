# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# locktrace: build, test and run. `make help` lists the targets.

OUTPUT ?= build
CLANG ?= clang
CC ?= cc
CXX ?= c++
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config
CLANG_FORMAT ?= clang-format
AR ?= ar
ARCH := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

VERSION := 0.1.0
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifneq ($(CI),)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

CFLAGS ?= -O2 -g
USER_CFLAGS := $(CFLAGS) $(WARNINGS) -std=gnu11 -D_GNU_SOURCE \
	-DLT_VERSION='"$(VERSION) ($(GIT_REV))"' -I$(OUTPUT) -Ibpf -Iuser
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARNINGS) \
	-Wno-missing-prototypes -Wno-unused-parameter -Ivmlinux -Ibpf
# The report's JSON reader is simdjson (C++): report/parse.cc, behind a C API.
USER_CXXFLAGS := $(CFLAGS) -Wall -Wextra -Wshadow -std=c++17 $(filter -Werror,$(WARNINGS)) \
	-I$(OUTPUT) -Ibpf -Iuser
LIBBPF := $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)
DEPFLAGS = -MMD -MP

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Userspace modules, a folder per job (user/*/), each a static archive
# (build/user/libNAME.a), listed in link order: a module before those it
# uses. The tool is main.c and all of them; a unit test links them all too,
# and from an archive the linker takes only the objects that something
# references: a test of cause/ gets neither the loader (nor its skeleton)
# nor the report's JSON reader.
MODULES := trace report cause common
# The libraries a module's objects call, besides the modules after it.
# With -Wl,--as-needed a binary needs only those of the objects it took.
LIBS_trace := $(LIBBPF)
LIBS_cause := $(LIBBPF)
LIBS_report := -lsimdjson -lstdc++
module_objs = $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(wildcard user/$(1)/*.c)) \
	$(patsubst user/%.cc,$(OUTPUT)/user/%.o,$(wildcard user/$(1)/*.cc))
module_libs = -Wl,--as-needed $(sort $(foreach m,$(1),$(LIBS_$(m))))
archives = $(addprefix $(OUTPUT)/user/lib,$(addsuffix .a,$(1)))
ARCHIVES := $(call archives,$(MODULES))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(wildcard tests/unit/test_*.c))
INTEG_HELPERS := $(patsubst tests/integ/%.c,$(OUTPUT)/tests/%,$(wildcard tests/integ/*.c)) \
	$(OUTPUT)/tests/ltwork $(OUTPUT)/tests/ltwork32
LTWORK_SRCS := $(wildcard tests/integ/ltwork/*.c)

.DELETE_ON_ERROR:
.PHONY: all deps run test unit integ vmtest fuzz fuzz-corpus bench bench-vm vmlinux format format-check clean \
	help hdr-check

all: $(OUTPUT)/locktrace

help:
	@echo 'make            build $(OUTPUT)/locktrace'
	@echo 'make deps       install missing build and test packages (apt)'
	@echo 'make run        deps + build + trace the default lock paths (root)'
	@echo 'make test       deps + build + unit and integration tests (root)'
	@echo 'make unit       cmocka unit tests only'
	@echo 'make integ      integration tests only (root)'
	@echo 'make vmtest     the tracer on Debian'"'"'s 6.1 and 6.12 kernels under QEMU (root)'
	@echo 'make fuzz       libFuzzer on the report reader (FUZZ_SECONDS, default 60)'
	@echo 'make fuzz-corpus  fold what fuzzing found into tests/fuzz/corpus, minimised'
	@echo 'make bench      benchmarks: report on a 1,000,000-event recording'
	@echo 'make bench-vm   the attach plans'"'"' cost on Debian'"'"'s 6.1 under QEMU (root)'
	@echo 'make vmlinux    regenerate vmlinux/vmlinux.h from this kernel'
	@echo 'make format     clang-format the sources; format-check checks'
	@echo 'make hdr-check  every header compiles on its own'
	@echo 'V=1 shows commands; WERROR=1 (default under CI) adds -Werror'

deps:
	$(Q)scripts/deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(OUTPUT)/locktrace $(ARGS)

test: deps
	$(Q)$(MAKE) --no-print-directory all unit-bin integ-bin fuzz-bin $(OUTPUT)/tests/ltdeny.bpf.o \
		$(OUTPUT)/tests/bpfhold $(OUTPUT)/tests/filestream
	$(Q)tests/run.sh $(OUTPUT)
	$(Q)$(MAKE) --no-print-directory hdr-check

# The golden and command-line tests run the tool itself.
unit: all unit-bin
	$(Q)tests/run.sh --unit-only $(OUTPUT)

integ: all integ-bin
	$(Q)tests/run.sh --integ-only $(OUTPUT)

vmtest: all integ-bin $(OUTPUT)/tests/ltdeny.bpf.o $(OUTPUT)/tests/bpfhold \
	$(OUTPUT)/tests/filestream
	$(Q)tests/run.sh --vm-only $(OUTPUT)

fuzz: fuzz-bin $(OUTPUT)/tests/genrec
	$(Q)tests/run.sh --fuzz-only $(OUTPUT)

fuzz-corpus: fuzz-bin $(OUTPUT)/tests/genrec
	$(Q)tests/fuzz/run.sh --merge $(OUTPUT)

bench: deps
	$(Q)$(MAKE) --no-print-directory all integ-bin bench-bin
	$(Q)tests/bench.sh $(OUTPUT)

# The attach plans' cost where trampolines load: Debian's 6.1 under QEMU
# (tests/vm/suite-bench.sh; ratios only, TCG's timings are not absolute).
bench-vm: all integ-bin bench-bin $(OUTPUT)/tests/ltdeny.bpf.o
	$(Q)LT_VM_SUITES=bench LT_VM_TIMEOUT=$${LT_VM_TIMEOUT:-1500} tests/vm/vmtest.sh $(OUTPUT)

# The benchmark's workload and its floor (empty programs where locktrace
# attaches); bpfhold holds a BPF object attached (the floor, and the VM
# test's refusing BPF LSM program).
.PHONY: bench-bin
bench-bin: $(OUTPUT)/bench/lockloop $(OUTPUT)/bench/floor.bpf.o $(OUTPUT)/bench/scfloor.bpf.o \
	$(OUTPUT)/tests/bpfhold

$(OUTPUT)/bench:
	$(Q)mkdir -p $@

$(OUTPUT)/bench/lockloop: tests/bench/lockloop.c | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) $< -o $@

$(OUTPUT)/bench/%.bpf.o: tests/bench/%.bpf.c | $(OUTPUT)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Wno-unused-parameter $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/tests/ltdeny.bpf.o: tests/vm/ltdeny.bpf.c | $(OUTPUT)/tests
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Wno-unused-parameter $(DEPFLAGS) -c $< -o $@

# The VM's .NET-like workload on the SMB share (tests/vm/suite-smb.sh).
$(OUTPUT)/tests/filestream: tests/vm/filestream.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) $< -o $@

$(OUTPUT)/tests/bpfhold: tests/bpfhold.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) $< $(LIBBPF) -o $@

# The report's reader and renderers under libFuzzer, ASan and UBSan.
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE -Ibpf -Iuser
# The report's sources and what they use (common/, the names of causes),
# found by folder.
FUZZ_C := tests/fuzz/fuzz_report.c $(wildcard user/report/*.c user/common/*.c) \
	user/cause/names.c
FUZZ_OBJS := $(patsubst %.c,$(OUTPUT)/fuzz/%.o,$(FUZZ_C)) \
	$(patsubst %.cc,$(OUTPUT)/fuzz/%.o,$(wildcard user/report/*.cc))
.PHONY: fuzz-bin
fuzz-bin: $(OUTPUT)/fuzz/fuzz_report

$(OUTPUT)/fuzz:
	$(Q)mkdir -p $@

$(OUTPUT)/fuzz/%.o: %.c
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -std=gnu11 $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/fuzz/%.o: %.cc
	$(call msg,FUZZ-CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG)++ $(FUZZ_CFLAGS) -std=c++17 $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/fuzz/fuzz_report: $(FUZZ_OBJS)
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG)++ -fsanitize=fuzzer,address,undefined $^ -lsimdjson -o $@

.PHONY: unit-bin integ-bin
unit-bin: $(UNIT_TESTS)
integ-bin: $(INTEG_HELPERS)

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

FORMAT_SRCS = $(wildcard bpf/*.c bpf/*.h user/*.c user/*/*.c user/*/*.h user/*/*.cc tests/unit/*.c tests/unit/*.h \
	tests/integ/*.c tests/integ/*/*.c tests/integ/*/*.h tests/fuzz/*.c tests/bench/*.c tests/vm/*.c tests/*.c)
format:
	$(CLANG_FORMAT) -i $(FORMAT_SRCS)

format-check:
	$(Q)$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRCS) && echo 'format-check: clean'

# Every header compiles on its own, as what includes it compiles it: user/
# headers (and the bpf/ ones user/ includes) with cc, bpf/ headers as the
# BPF programs are compiled. Each one that does not is named.
HDR_CC := $(wildcard user/*/*.h) bpf/locktrace.h bpf/match.h
HDR_BPF := $(wildcard bpf/*.h)
hdr-check:
	$(Q)bad=0; \
	for h in $(HDR_CC); do \
		err=$$(printf '#include "%s"\n' "$${h#*/}" | \
			$(CC) $(USER_CFLAGS) -fsyntax-only -x c - 2>&1) && continue; \
		echo "hdr-check: NOT SELF-CONTAINED (cc): $$h"; \
		echo "$$err" | grep -m 2 'error:' | sed 's/^/    /'; \
		bad=$$((bad + 1)); \
	done; \
	for h in $(HDR_BPF); do \
		err=$$(printf '#include "%s"\n' "$${h#*/}" | \
			$(CLANG) $(BPF_CFLAGS) -fsyntax-only -x c - 2>&1) && continue; \
		echo "hdr-check: NOT SELF-CONTAINED (bpf): $$h"; \
		echo "$$err" | grep -m 2 'error:' | sed 's/^/    /'; \
		bad=$$((bad + 1)); \
	done; \
	n=$$(echo $(HDR_CC) $(HDR_BPF) | wc -w); \
	echo "hdr-check: $$((n - bad)) of $$n headers compile on their own"; \
	[ $$bad -eq 0 ]

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

$(OUTPUT) $(OUTPUT)/user $(OUTPUT)/tests:
	$(Q)mkdir -p $@

# BPF object and its skeleton.
$(OUTPUT)/locktrace.bpf.o: bpf/locktrace.bpf.c | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/locktrace.skel.h: $(OUTPUT)/locktrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name locktrace_bpf > $@

# The network filesystem programs: an object of their own, loaded only
# where the module is (user/trace/netfs.c).
$(OUTPUT)/netfs.bpf.o: bpf/netfs.bpf.c | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/netfs.skel.h: $(OUTPUT)/netfs.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name netfs_bpf > $@

# Userspace objects, out of tree by folder. Only the loader includes the
# skeleton (netfs.c the network filesystem programs' own); -MMD files
# track the other header dependencies.
$(OUTPUT)/user/%.o: user/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/user/%.o: user/%.cc
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(USER_CXXFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/user/trace/loader.o: $(OUTPUT)/locktrace.skel.h
$(OUTPUT)/user/trace/netfs.o: $(OUTPUT)/netfs.skel.h

$(OUTPUT)/user/libtrace.a: $(call module_objs,trace)
$(OUTPUT)/user/libcause.a: $(call module_objs,cause)
$(OUTPUT)/user/libreport.a: $(call module_objs,report)
$(OUTPUT)/user/libcommon.a: $(call module_objs,common)
$(ARCHIVES):
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUTPUT)/locktrace: $(OUTPUT)/user/main.o $(ARCHIVES)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_CFLAGS) $^ $(call module_libs,$(MODULES)) -o $@

# Unit tests link every archive (not main) with cmocka: from an archive
# the linker takes only the objects a test references, and --as-needed
# keeps only the libraries those objects call (test_cause_* link neither
# libbpf nor simdjson).
$(OUTPUT)/tests/test_%: tests/unit/test_%.c $(ARCHIVES) | $(OUTPUT)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(USER_CFLAGS) -Wno-missing-prototypes $(DEPFLAGS) $(filter %.c %.o,$^) \
		$(ARCHIVES) $(call module_libs,$(MODULES)) -lcmocka -o $@

# The decision's tests (test_cause_*) share its table of cases.
$(filter $(OUTPUT)/tests/test_cause_%,$(UNIT_TESTS)): $(OUTPUT)/tests/cause_cases.o \
	$(OUTPUT)/tests/cause_build.o
$(OUTPUT)/tests/cause_%.o: tests/unit/cause_%.c | $(OUTPUT)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) -c $< -o $@

# Integration-test workloads: small, static-free C programs.
$(OUTPUT)/tests/%: tests/integ/%.c | $(OUTPUT)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) $< -o $@

# The workload (a folder of its own), and the same as a 32-bit (i386)
# program: its calls are the kernel's ia32 system calls (gcc-multilib);
# static, so it needs no 32-bit libraries to run.
$(OUTPUT)/tests/ltwork: $(LTWORK_SRCS) | $(OUTPUT)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) -MF $@.d $(LTWORK_SRCS) -lpthread -o $@

$(OUTPUT)/tests/ltwork32: $(LTWORK_SRCS) | $(OUTPUT)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) -m32 -static $(USER_CFLAGS) $(DEPFLAGS) -MF $@.d $(LTWORK_SRCS) -o $@

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/user/*.d $(OUTPUT)/user/*/*.d $(OUTPUT)/tests/*.d \
	$(OUTPUT)/fuzz/*.d $(OUTPUT)/fuzz/*/*.d $(OUTPUT)/fuzz/*/*/*.d $(OUTPUT)/bench/*.d)
