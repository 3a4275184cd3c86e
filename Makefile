# The two user commands: `make demo` and `make check` (and `make fuzz`, a
# long run of the fuzzers).  They install the Debian packages trawk needs
# when they are missing (as root, with apt-get).

BUILD      ?= build
SAN_BUILD  ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= 2
# make fuzz: seconds per target, the targets, and the hang limit (seconds).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= fuzz_frontend fuzz_cdefs fuzz_printf fuzz_codegen
FUZZ_TIMEOUT ?= 1
# make check's short run: seconds per target.
FUZZ_SMOKE_SECONDS ?= 12

# Build and run-time dependencies (see README: Dependencies).
PACKAGES = cmake make gcc flex bison pkg-config llvm-19-dev libbpf-dev libelf-dev \
           libdw-dev zlib1g-dev libzstd-dev
# Tests: unit tests, USDT test programs, the sanitizer build, the reference.
TEST_PACKAGES = libcmocka-dev systemtap-sdt-dev bpftool clang-19 libclang-rt-19-dev

.PHONY: all deps test-deps build demo check check-asan fuzz-build check-fuzz fuzz vm-deps check-vm check-vm-full install uninstall deb clean

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

test-deps: deps
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CONFIG_FLAGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

# Mounts tracefs when needed, then runs a real tool for a few seconds.
demo: build
	@mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
	@echo '== examples/syscount.bt: system calls by process, for 3 seconds =='
	$(BUILD)/trawk --timeout 3 examples/syscount.bt
	@echo '== examples/execsnoop.bt: new processes, for 3 seconds (running ls and date) =='
	@( sleep 1; ls >/dev/null; date >/dev/null ) &
	$(BUILD)/trawk --timeout 3 examples/execsnoop.bt

# check's unit tests must not be skipped: the flag reaches the build it depends on.
check: CONFIG_FLAGS += -DTRAWK_REQUIRE_UNIT_TESTS=ON
check: test-deps build
	@mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	$(MAKE) check-asan
	$(MAKE) check-fuzz

# The same suite under AddressSanitizer and UBSan.
check-asan: test-deps
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTRAWK_SANITIZE=ON -DTRAWK_REQUIRE_UNIT_TESTS=ON >/dev/null
	cmake --build $(SAN_BUILD) -j$(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j$(JOBS)

# kprobe, kretprobe, fentry and fexit in QEMU guests booting Debian's own
# kernels (tests/vm/, README: Testing on other kernels).  KERNELS picks the
# kernel series, VM_TESTS the test files, VM_FILTER a case-name filter,
# VM_TIMEOUT the seconds one boot may take.
VM_PACKAGES = qemu-system-x86 busybox-static
KERNELS    ?= 6.1 6.12
VM_TESTS   ?= tests/runtime/kernel_probes.test
VM_FILTER  ?=
VM_TIMEOUT ?= 600

vm-deps:
	@missing=$$(for p in $(VM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

check-vm: CONFIG_FLAGS += -DTRAWK_REQUIRE_UNIT_TESTS=ON
check-vm: vm-deps test-deps build
	KERNELS="$(KERNELS)" VM_TESTS="$(VM_TESTS)" VM_FILTER="$(VM_FILTER)" VM_TIMEOUT="$(VM_TIMEOUT)" \
		nice tests/vm/check.sh . $(BUILD)

# The whole runtime suite in the guests (long: not part of make check).
check-vm-full:
	$(MAKE) check-vm VM_TESTS="$$(ls tests/runtime/*.test | tr '\n' ' ')" VM_TIMEOUT=3000

# Installs under $(DESTDIR)$(PREFIX); uninstall removes what install wrote.
PREFIX ?= /usr/local
install: build
	cmake --build $(BUILD) -j$(JOBS)
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

uninstall:
	@test -f $(BUILD)/install_manifest.txt || { echo "nothing installed from $(BUILD)"; exit 1; }
	@while read -r f || [ -n "$$f" ]; do rm -fv "$(DESTDIR)$$f"; done < $(BUILD)/install_manifest.txt
	@rmdir --ignore-fail-on-non-empty "$(DESTDIR)$(PREFIX)/share/trawk/tools" "$(DESTDIR)$(PREFIX)/share/trawk" \
		"$(DESTDIR)$(PREFIX)/share/doc/trawk/examples" "$(DESTDIR)$(PREFIX)/share/doc/trawk" 2>/dev/null || true
	@rm -f $(BUILD)/install_manifest.txt

# A Debian package of the tree, in ../ as dpkg-buildpackage leaves it.
deb: deps
	@missing=$$(for p in debhelper dpkg-dev; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	dpkg-buildpackage -b -us -uc
	debian/rules clean

# The libFuzzer targets of tests/fuzz (clang-19), and their seed corpus.
fuzz-build: test-deps
	CC=clang-19 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRAWK_FUZZ=ON \
		-DFUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) >/dev/null
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(FUZZ_TARGETS) fuzz_seeds

# A short run of every target, after replaying the crashes fixed before.
check-fuzz: fuzz-build
	cd $(FUZZ_BUILD) && ctest --output-on-failure -j$(JOBS)

# The long run: one target after the other, FUZZ_SECONDS each, on one core;
# each corpus grows in $(FUZZ_BUILD)/fuzz/ from one run to the next.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) sh tests/fuzz/run.sh $(FUZZ_BUILD)/tests/fuzz/$$t $(FUZZ_SECONDS) \
			$(FUZZ_BUILD)/tests/fuzz/seeds $(FUZZ_BUILD)/fuzz/$$t || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)
