/* System calls with known arguments, for the syscall tracepoint tests:
 * a 32-bit syscall made with int $0x80 from 64-bit code (the kernel's
 * syscall events leave those out), fstat (its event is sys_enter_newfstat),
 * getppid twice, and a six-argument mmap.
 *
 * Some hypervisors fault int $0x80 even where the kernel has IA32
 * emulation, so the 32-bit syscall is made in a forked child: a fault
 * there costs nothing but that line.  "syscalls ia32" makes only that
 * syscall and exits 0 when the host delivers it: tests require it. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* 0 when the child's int $0x80 syscall ran as ia32 getpid. */
static int ia32_getpid_in_child(void)
{
	pid_t child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		long r;
		/* 20 is getpid for ia32 and writev for x86_64. */
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		_exit(r == getpid() ? 0 : 1);
	}
	int status;
	if (waitpid(child, &status, 0) != child)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "ia32"))
		return ia32_getpid_in_child() ? 1 : 0;
	/* The same syscall in this process, for a tracer run with -c, whose
	 * kernel probes see only the command's process (not a child of it):
	 * only where "ia32" has shown that the host delivers it. */
	if (argc > 1 && !strcmp(argv[1], "ia32-here")) {
		long r;
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		return r == getpid() ? 0 : 1;
	}
	printf("ia32 getpid %s\n", ia32_getpid_in_child() ? "not delivered" : "ok");
	fflush(stdout);
	syscall(SYS_fstat, 7, (struct stat *)0);
	syscall(SYS_getppid);
	syscall(SYS_getppid);
	void *p = (void *)syscall(SYS_mmap, 0, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap %s\n", p != MAP_FAILED ? "ok" : "failed");
	return 0;
}
