# exo: an x86-64 exokernel and its library OS.
#
#   make run     build everything and boot the GRUB2 ISO in QEMU (serial on this terminal)
#                make run CMD='sh command'  runs that command (no interactive shell, the
#                command verbatim: $ and quotes reach /bin/sh, dash, as typed) and
#                powers off with its status
#   make test    host unit tests, then in-QEMU tests, then one GRUB2 ISO boot
#   make fuzz-elf  5,000,000 mutated ELF images (fresh seed) through elf_validate and
#                elf_next_page under ASan/UBSan (make test runs 1,000,000, seed 1)
#   make gdb     QEMU stopped with a gdb stub, and gdb attached with kernel symbols
#   make profile PROG=forkbench ARGS='one cow 1024'  where a program's instructions
#                go, per function, kernel and user together (docs/benchmarks.md)
#   make census  which functions the POSIX headers declare and nothing defines
#                (scripts/posix-census.sh; docs/apps.md, "POSIX calls not provided")
#   make         build kernel, libOS, apps and the ISO
#
# Set-up is automatic: scripts/deps.sh installs missing Debian packages (as root)
# and scripts/newlib.sh builds newlib once into build/newlib-<recipe hash>/.

SHELL   := /bin/bash
BUILD   := build
# V=1 shows full commands.
Q := $(if $(V),,@)
CC      := gcc
GCC_INC := $(shell $(CC) -print-file-name=include)
LIBGCC  := $(shell $(CC) -print-libgcc-file-name)

# --- dependencies (run before anything else is evaluated) ---------------------
DEPS_OK := $(shell bash scripts/deps.sh >&2 && echo ok)
ifneq ($(DEPS_OK),ok)
$(error missing packages: see the scripts/deps.sh message above)
endif

NEWLIB_DIR := $(BUILD)/newlib-$(shell bash scripts/newlib.sh --key)
NEWLIB     := $(NEWLIB_DIR)/x86_64-elf
NEWLIB_STAMP := $(NEWLIB_DIR)/.done

# --- kernel -------------------------------------------------------------------
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INC) -Iinclude \
	-fno-pie -fno-stack-protector -fno-omit-frame-pointer -mno-red-zone -mcmodel=kernel \
	-mgeneral-regs-only -Wall -Wextra -Werror -MMD -MP
KERNEL_SRCS := boot/entry.S $(wildcard exo/*.c) $(wildcard exo/*.S)
KERNEL_OBJS := $(patsubst %,$(BUILD)/k/%.o,$(KERNEL_SRCS))
KERNEL := $(BUILD)/kernel.elf

$(BUILD)/k/%.o: %
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KERNEL): $(KERNEL_OBJS) boot/kernel.ld
	@echo "  LD      $@"
	$(Q)ld -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T boot/kernel.ld -o $@ $(KERNEL_OBJS)

# --- user space: libOS + newlib ------------------------------------------------
# UPLATFORM: what every user program is compiled with (newlib's and the libOS's
# headers, never the host's; the host compiler's Linux macros off). Our own code
# adds UCFLAGS' warnings and -Werror; ports add their own build's flags.
UPLATFORM = -nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) \
	-Iinclude -Ilibos/include -D__DYNAMIC_REENT__ -D_POSIX_THREADS=200809L -D_POSIX_MONOTONIC_CLOCK=200112L -D_POSIX_TIMERS=200809L -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -U__unix__ -U__unix -Uunix \
	-fno-pie -fno-stack-protector -fno-omit-frame-pointer
UCFLAGS = -std=gnu11 -O2 -g $(UPLATFORM) -Wall -Wextra -Werror -MMD -MP
ULDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -z max-page-size=0x1000 -z noexecstack -T libos/user.ld

LIBOS_SRCS := $(wildcard libos/*.c) $(wildcard libos/*.S) exo/elf.c
LIBOS_OBJS := $(patsubst %,$(BUILD)/u/%.o,$(LIBOS_SRCS))
LIBOS := $(BUILD)/libos.a
CRT0  := $(BUILD)/u/libos/crt0.S.o
USER_LIBS := $(LIBOS) $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a $(LIBGCC)

$(NEWLIB_STAMP):
	bash scripts/newlib.sh $(NEWLIB_DIR)

$(BUILD)/u/%.o: % $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(LIBOS): $(filter-out $(CRT0),$(LIBOS_OBJS))
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# link_user(output, objects): link a user program against crt0, the libOS and newlib,
# then refuse it if anything from the host C library got in.
define link_user
	@echo "  LINK    $(1)"
	$(Q)$(CC) $(ULDFLAGS) -Wl,-Map=$(1).map -o $(1) $(CRT0) $(2) -Wl,--start-group $(USER_LIBS) -Wl,--end-group
	$(Q)bash scripts/check-no-glibc.sh $(1) $(BUILD)
endef

# Every folder apps/NAME/ becomes $(BUILD)/apps/NAME; every test/prog/NAME/ becomes
# $(BUILD)/tprog/NAME.
# apps/lib/ is not a program: it holds the helpers our utilities share
# (apps/lib/util.h), an archive every program links (only what it uses gets in).
APPS  := $(filter-out lib,$(notdir $(patsubst %/,%,$(wildcard apps/*/))))
APPLIB := $(BUILD)/applib.a
TPROGS := $(notdir $(patsubst %/,%,$(wildcard test/prog/*/)))
APP_BINS := $(APPS:%=$(BUILD)/apps/%)
TPROG_BINS := $(TPROGS:%=$(BUILD)/tprog/%)

.SECONDEXPANSION:
.SECONDARY:
$(APPLIB): $(patsubst %,$(BUILD)/u/%.o,$(wildcard apps/lib/*.c))
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^
$(BUILD)/apps/%: $$(addprefix $(BUILD)/u/,$$(addsuffix .o,$$(wildcard apps/$$*/*.c))) $(APPLIB) $(CRT0) $(LIBOS) libos/user.ld
	@mkdir -p $(@D)
	$(call link_user,$@,$(filter %.o,$(filter-out $(CRT0),$^)) $(APPLIB))
$(BUILD)/tprog/%: $$(addprefix $(BUILD)/u/,$$(addsuffix .o,$$(wildcard test/prog/$$*/*.c))) $(CRT0) $(LIBOS) libos/user.ld
	@mkdir -p $(@D)
	$(call link_user,$@,$(filter %.o,$(filter-out $(CRT0),$^)))

# Ports: a folder apps/NAME/ with a file `recipe` is a program from a Debian source
# package, built unchanged by scripts/port.sh (docs/apps.md, "Ports"); the recipe
# says which package and which files become /bin/NAMEs. Its flags are absolute
# paths, since the port's own build runs in its source tree.
PORTS := $(notdir $(patsubst %/recipe,%,$(wildcard apps/*/recipe)))
PORT_BINS := $(PORTS:%=$(BUILD)/apps/%)
$(PORT_BINS): export PORT_CC = $(CC) $(subst -Iinclude,-I$(CURDIR)/include,$(subst \
	-Ilibos/include,-I$(CURDIR)/libos/include,$(subst $(NEWLIB),$(abspath $(NEWLIB)),$(UPLATFORM))))
$(PORT_BINS): export PORT_LIBS = $(subst libos/user.ld,$(CURDIR)/libos/user.ld,$(ULDFLAGS)) \
	$(abspath $(CRT0)) -Wl,--start-group $(abspath $(LIBOS)) $(abspath $(NEWLIB))/lib/libc.a \
	$(abspath $(NEWLIB))/lib/libm.a $(LIBGCC) -Wl,--end-group
$(PORT_BINS): $(BUILD)/apps/%: apps/%/recipe scripts/port.sh $(CRT0) $(LIBOS) libos/user.ld \
		$(wildcard libos/include/*.h libos/include/*/*.h)
	$(Q)bash scripts/port.sh $* $(BUILD)

# --- initrd: / for every process (a ustar archive: /bin = apps, /test = test programs)
INITRD := $(BUILD)/initrd.tar
$(INITRD): $(APP_BINS) $(TPROG_BINS) $(wildcard rootfs/*/*) $(wildcard test/scripts/*.sh test/scripts/*.lua) scripts/mkinitrd.sh \
		scripts/initrd-align.c
	$(Q)bash scripts/mkinitrd.sh $@ $(BUILD)

# --- ISO ----------------------------------------------------------------------
# The ISO boots init; with CMD='...' the initrd also holds /etc/cmd and init runs
# that command instead of an interactive shell. A changed CMD rebuilds the ISO.
# CMD goes through verbatim: $(value CMD) is its text unexpanded, so make takes
# no `$` of it ($HOME, $?, $$ reach the shell as typed), and it reaches the recipe
# through the environment, so no quote of it meets a shell on the way.
ISO := $(BUILD)/exo.iso
CMD ?=
CMD_STAMP := $(BUILD)/cmd.txt
$(CMD_STAMP): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' "$$EXO_CMD" | cmp -s - $@ || printf '%s\n' "$$EXO_CMD" > $@
$(CMD_STAMP): export EXO_CMD = $(value CMD)
$(BUILD)/initrd-run.tar: $(INITRD) $(CMD_STAMP) scripts/initrd-cmd.sh
	$(Q)bash scripts/initrd-cmd.sh $(INITRD) $@ "$$(cat $(CMD_STAMP))"
$(ISO): $(KERNEL) $(BUILD)/apps/init $(BUILD)/initrd-run.tar boot/grub.cfg scripts/mkiso.sh
	$(Q)bash scripts/mkiso.sh $@ $(KERNEL) $(BUILD)/apps/init $(BUILD)/initrd-run.tar
FORCE:

# --- QEMU ---------------------------------------------------------------------
QEMU := qemu-system-x86_64
QEMU_FLAGS := -accel tcg -cpu max -m 512M -display none -monitor none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

.PHONY: all run gdb test unit census fuzz-elf fuzz fuzz-replay bench bench-ports bench-micro profile clean distclean FORCE
.DEFAULT_GOAL := all
all: $(KERNEL) $(APP_BINS) $(TPROG_BINS) $(INITRD) $(ISO)

# make run: the GRUB2 path. It prints the guest's power-off status and, as make
# itself only exits 0, 1 or 2, exits 0 when that status is 0 and 2 otherwise.
run: $(ISO)
	@echo "run: booting $(ISO) with GRUB2 (QEMU TCG); serial console below: Ctrl-C goes to the guest, Ctrl-A X stops QEMU"
	@$(QEMU) $(QEMU_FLAGS) -serial mon:stdio -cdrom $(ISO) -boot d | tee $(BUILD)/run.log; rc=$${PIPESTATUS[0]}; \
	. scripts/exit-status.sh; out=$$(qemu_outcome $$rc $(BUILD)/run.log); echo "run: $$out"; \
	case $$out in status=*) exit $${out#status=} ;; *) exit 1 ;; esac

gdb: $(ISO)
	@echo "gdb: QEMU waits on :1234 (serial log: $(BUILD)/gdb-serial.log); type 'continue' in gdb"
	$(QEMU) $(QEMU_FLAGS) -serial file:$(BUILD)/gdb-serial.log -cdrom $(ISO) -boot d -s -S & \
	gdb -q $(KERNEL) -ex 'target remote :1234' -ex 'hbreak kmain'; kill %1 2>/dev/null || true

unit:
	bash test/unit/run.sh $(BUILD)

# make census: compile every POSIX header (the libOS's, newlib's) with the
# platform's flags and list the functions they declare that neither the libOS,
# newlib nor libgcc defines (CENSUS_LIST=--list: the names only; the test in
# test/cases-census.sh compares them with docs/apps.md).
CENSUS_LIST ?=
census: $(LIBOS) $(NEWLIB_STAMP)
	@CENSUS_CFLAGS='$(UPLATFORM)' bash scripts/posix-census.sh $(BUILD) $(NEWLIB) $(CENSUS_LIST)

# make fuzz-elf: the ELF fuzzer (test/unit/fuzz_elf.c) with a seed from the clock and
# FUZZ_COUNT inputs; the built programs are among its seeds. Replay a failure with
# the FUZZ_SEED=S it printed (or build/unit/fuzz_elf -s S -i INPUT build/apps/...).
FUZZ_COUNT ?= 5000000
FUZZ_SEED ?=
fuzz-elf: $(APP_BINS)
	FUZZ_COUNT=$(FUZZ_COUNT) FUZZ_SEED=$(FUZZ_SEED) bash test/unit/run.sh $(BUILD) fuzz_elf

# make bench: forkbench on the exokernel and on Linux (Debian 12's cloud kernel,
# fetched by scripts/linux-baseline.sh) in the same QEMU (-cpu max -m 3G); Linux
# twice, with transparent huge pages always (every table) and never (the fork
# table, rows "linux-nothp"), each machine described in the report; the
# exokernel's fork table a second time with the parent's memory in large pages
# (madvise(MADV_HUGEPAGE): rows "STRATEGY-large", against Linux's THP always). With
# BENCH_MODE=icount (default) every figure is a guest instruction count; with
# BENCH_MODE=wall, host TSC ticks of plain TCG. Writes $(BUILD)/bench/forkbench.csv,
# a side-by-side table and SVG/PNG plots. BENCH_MAX_MIB limits the parent sizes
# (0 to 4096; 4096 needs BENCH_MEM=8G, the memory both machines get).
BENCH_MODE ?= icount
BENCH_MAX_MIB ?= 1024
BENCH_MEM ?= 3G
comma := ,
BENCH_ICOUNT := $(if $(filter icount,$(BENCH_MODE)),-icount shift=0$(comma)sleep=off,)
bench: $(KERNEL) $(BUILD)/apps/forkbench $(INITRD)
	@mkdir -p $(BUILD)/bench
	@echo "bench: exokernel forkbench ($(BENCH_MODE))"
	@out=$$(QEMU_MEM=$(BENCH_MEM) QEMU_EXTRA="$(BENCH_ICOUNT)" bash test/qemu.sh $(BUILD)/bench/forkbench-exo.log 3600 \
		$(KERNEL) "quantum=1000000" $(BUILD)/apps/forkbench "forkbench $(BENCH_MAX_MIB)"); \
	[ "$$out" = status=0 ] || { echo "bench: exokernel run ended with $$out"; exit 1; }
	@grep -a '^forkbench,' $(BUILD)/bench/forkbench-exo.log | tr -d '\r' > $(BUILD)/bench/forkbench-exo.csv
	@echo "bench: exokernel forkbench's fork table ($(BENCH_MODE)), large pages"
	@out=$$(QEMU_MEM=$(BENCH_MEM) QEMU_EXTRA="$(BENCH_ICOUNT)" bash test/qemu.sh $(BUILD)/bench/forkbench-exo-large.log 3600 \
		$(KERNEL) "quantum=1000000" $(BUILD)/apps/forkbench "forkbench $(BENCH_MAX_MIB) forks large"); \
	[ "$$out" = status=0 ] || { echo "bench: exokernel large-page run ended with $$out"; exit 1; }
	@grep -a '^forkbench,' $(BUILD)/bench/forkbench-exo-large.log | tr -d '\r' >> $(BUILD)/bench/forkbench-exo.csv
	@echo "bench: Linux forkbench ($(BENCH_MODE)), transparent huge pages always"
	@BENCH_CFLAGS= LINUX_BASELINE_THP=always LINUX_BASELINE_INFO=$(BUILD)/bench/linux-always.txt \
		LINUX_BASELINE_MEM=$(BENCH_MEM) LINUX_BASELINE_ARGS="$(BENCH_MAX_MIB)" \
		bash scripts/linux-baseline.sh $(BUILD) apps/forkbench/forkbench.c $(BENCH_MODE) \
		> $(BUILD)/bench/forkbench-linux.csv
	@echo "bench: Linux forkbench's fork table ($(BENCH_MODE)), transparent huge pages never"
	@BENCH_CFLAGS= LINUX_BASELINE_THP=never LINUX_BASELINE_INFO=$(BUILD)/bench/linux-never.txt LINUX_BASELINE_MEM=$(BENCH_MEM) \
		LINUX_BASELINE_ARGS="$(BENCH_MAX_MIB) forks" \
		bash scripts/linux-baseline.sh $(BUILD) apps/forkbench/forkbench.c $(BENCH_MODE) \
		| awk -F, -v OFS=, '$$2 == "linux" { $$2 = "linux-nothp" } 1' > $(BUILD)/bench/forkbench-linux-nothp.csv
	@grep -a '^cpu: ' $(BUILD)/bench/forkbench-exo.log | tr -d '\r' > $(BUILD)/bench/exo-machine.txt
	@{ echo 'bench,system,strategy,size_mib,op,ticks,syscalls,upcalls'; \
	   cat $(BUILD)/bench/forkbench-exo.csv $(BUILD)/bench/forkbench-linux.csv \
	       $(BUILD)/bench/forkbench-linux-nothp.csv; } > $(BUILD)/bench/forkbench.csv
	@bash scripts/bench-report.sh $(BUILD)/bench/forkbench.csv $(BUILD)/bench | tee $(BUILD)/bench/forkbench.txt
	@echo "bench: $(BUILD)/bench/forkbench.csv"

# make bench-ports: the ports doing the same work on exo and on Linux under -icount
# (apps/portbench: speedtest1 --size 10 on /tmp and in memory, test/scripts/bench.lua,
# the fork-heavy test/scripts/bench-fork.sh under each fork strategy). Linux runs the
# same Debian sources built static with glibc (scripts/linux-ports.sh) in the same
# QEMU. PORTBENCH=PREFIX runs only the workloads whose name starts so. Writes
# $(BUILD)/bench/portbench.csv and a table (docs/benchmarks.md).
PORTBENCH ?=
bench-ports: $(KERNEL) $(BUILD)/apps/portbench $(INITRD)
	@mkdir -p $(BUILD)/bench
	@echo "bench-ports: exokernel ($(BENCH_MODE))"
	@out=$$(QEMU_MEM=3G QEMU_EXTRA="$(BENCH_ICOUNT)" bash test/qemu.sh $(BUILD)/bench/portbench-exo.log 3600 \
		$(KERNEL) "quantum=1000000" $(BUILD)/apps/portbench "portbench $(PORTBENCH)"); \
	grep -a '^portbench' $(BUILD)/bench/portbench-exo.log | tr -d '\r'; \
	[ "$$out" = status=0 ] || { echo "bench-ports: exokernel run ended with $$out"; exit 1; }
	@grep -a '^portbench,' $(BUILD)/bench/portbench-exo.log | tr -d '\r' > $(BUILD)/bench/portbench-exo.csv
	@echo "bench-ports: Linux ($(BENCH_MODE))"
	@bash scripts/linux-ports.sh $(BUILD)
	@LINUX_BASELINE_TAG=portbench LINUX_BASELINE_ROOT=$(BUILD)/linux/ports/root LINUX_BASELINE_ARGS="$(PORTBENCH)" BENCH_CFLAGS= \
		bash scripts/linux-baseline.sh $(BUILD) apps/portbench/portbench.c $(BENCH_MODE) > $(BUILD)/bench/portbench-linux.csv
	@cat $(BUILD)/bench/portbench-exo.csv $(BUILD)/bench/portbench-linux.csv > $(BUILD)/bench/portbench.csv
	@bash scripts/portbench-report.sh $(BUILD)/bench/portbench.csv | tee $(BUILD)/bench/portbench.txt
	@echo "bench-ports: $(BUILD)/bench/portbench.csv"

# make bench-micro: the kernel microbenchmarks under -icount (exact instruction counts).
bench-micro: $(KERNEL) $(BUILD)/apps/exobench $(INITRD)
	@mkdir -p $(BUILD)/bench
	@QEMU_EXTRA="-icount shift=0,sleep=off" bash test/qemu.sh $(BUILD)/bench/exobench.log 300 $(KERNEL) \
		"quantum=1000000" $(BUILD)/apps/exobench exobench >/dev/null; \
	grep -a -E '^(bench|exobench)' $(BUILD)/bench/exobench.log | tr -d '\r' | tee $(BUILD)/bench/exobench.txt

test: all
	bash test/run.sh $(BUILD)

# make profile PROG=NAME ARGS='...': run build/apps/NAME (or build/tprog/NAME) as the
# first program, with ARGS after its name, under -icount with the counting plugin
# (scripts/profile-plugin.c) and print a per-function instruction profile, kernel and
# user symbols together (scripts/profile.sh; docs/benchmarks.md, "Where the
# instructions go"). The default profiles one small copy-on-write fork+exit+wait.
PROG ?= forkbench
ARGS ?= one cow 0
PROFILE_TOP ?= 40
profile: $(KERNEL) $(INITRD)
	@bash scripts/profile.sh $(BUILD) $(firstword $(wildcard $(BUILD)/apps/$(PROG) $(BUILD)/tprog/$(PROG)) \
		$(BUILD)/apps/$(PROG)) "$(PROG) $(ARGS)" $(PROFILE_TOP)

# make fuzz: the kernel system-call fuzzer (test/prog/kfuzz) in one boot: FUZZ_WORKERS
# workers of FUZZ_CALLS calls each (10 million by default, about 13 minutes), every
# mode in turn, seed FUZZ_SEED (default: the time). The serial log is
# $(BUILD)/fuzz/kfuzz-SEED.log. make fuzz-replay FUZZ_SEED=S FUZZ_WORKER=W
# FUZZ_CALLS=C FUZZ_MODE=M reruns one worker alone and prints every call it makes.
FUZZ_SEED ?= $(shell date +%s)
FUZZ_WORKERS ?= 2000
FUZZ_CALLS ?= 5000
FUZZ_WORKER ?= 0
FUZZ_MODE ?= normal
FUZZ_TIMEOUT ?= 3600
fuzz: $(KERNEL) $(BUILD)/tprog/kfuzz $(INITRD)
	@mkdir -p $(BUILD)/fuzz
	@echo "fuzz: seed $(FUZZ_SEED), $(FUZZ_WORKERS) workers x $(FUZZ_CALLS) calls (log: $(BUILD)/fuzz/kfuzz-$(FUZZ_SEED).log)"
	@log=$(BUILD)/fuzz/kfuzz-$(FUZZ_SEED).log; \
	out=$$(bash test/qemu.sh $$log $(FUZZ_TIMEOUT) $(KERNEL) "" $(BUILD)/tprog/kfuzz \
		"kfuzz $(FUZZ_SEED) $(FUZZ_WORKERS) $(FUZZ_CALLS)"); \
	tr -d '\r' < $$log | grep -a -E '^kfuzz: [^ ]|KERNEL PANIC' | grep -v '^kfuzz: worker'; \
	tr -d '\r' < $$log | grep -a -o -E 'kfuzz replay [0-9]+ [0-9]+ [0-9]+ [a-z]+' | sort -u | head -5 | \
		while read -r _ _ s w c m; do \
		echo "fuzz: replay: make fuzz-replay FUZZ_SEED=$$s FUZZ_WORKER=$$w FUZZ_CALLS=$$c FUZZ_MODE=$$m"; done; \
	echo "fuzz: $$out"; [ "$$out" = status=0 ]

fuzz-replay: $(KERNEL) $(BUILD)/tprog/kfuzz $(INITRD)
	@mkdir -p $(BUILD)/fuzz
	@log=$(BUILD)/fuzz/replay-$(FUZZ_SEED)-$(FUZZ_WORKER).log; \
	out=$$(bash test/qemu.sh $$log 600 $(KERNEL) "" $(BUILD)/tprog/kfuzz \
		"kfuzz replay $(FUZZ_SEED) $(FUZZ_WORKER) $(FUZZ_CALLS) $(FUZZ_MODE)"); \
	tr -d '\r' < $$log | grep -a -E '^kfuzz|^#[0-9]|^exo: env|KERNEL PANIC'; echo "fuzz-replay: $$out (log: $$log)"

clean:
	rm -rf $(BUILD)/k $(BUILD)/u $(BUILD)/apps $(BUILD)/tprog $(BUILD)/iso $(KERNEL) $(LIBOS) $(ISO) $(BUILD)/unit $(BUILD)/test

distclean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/k $(BUILD)/u -name '*.d' 2>/dev/null)
