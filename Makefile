# The two user commands: `make demo` and `make check`.  Both install the
# Debian packages trawk needs when they are missing (as root, with apt-get).

BUILD      ?= build
SAN_BUILD  ?= build-asan
JOBS       ?= 2

# Build and run-time dependencies (see README: Dependencies).
PACKAGES = cmake make gcc flex bison pkg-config llvm-19-dev libbpf-dev libelf-dev \
           libdw-dev zlib1g-dev libzstd-dev
# Tests: unit tests, USDT test programs, the sanitizer build, the reference.
TEST_PACKAGES = libcmocka-dev systemtap-sdt-dev bpftool clang-19 libclang-rt-19-dev

.PHONY: all deps test-deps build demo check check-asan vm-deps check-vm check-vm-full install uninstall deb clean

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
		"$(DESTDIR)$(PREFIX)/share/doc/trawk" 2>/dev/null || true
	@rm -f $(BUILD)/install_manifest.txt

# A Debian package of the tree, in ../ as dpkg-buildpackage leaves it.
deb: deps
	@missing=$$(for p in debhelper dpkg-dev; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	dpkg-buildpackage -b -us -uc
	debian/rules clean

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
