/* System calls with known arguments, for the syscall tracepoint tests:
 * a 32-bit syscall made with int $0x80 from 64-bit code (the kernel's
 * syscall events leave those out), fstat (its event is sys_enter_newfstat),
 * getppid twice, and a six-argument mmap. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;
	/* 20 is getpid for ia32 and writev for x86_64. */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	printf("ia32 getpid %s\n", r == getpid() ? "ok" : "failed");
	fflush(stdout);
	syscall(SYS_fstat, 7, (struct stat *)0);
	syscall(SYS_getppid);
	syscall(SYS_getppid);
	void *p = (void *)syscall(SYS_mmap, 0, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap %s\n", p != MAP_FAILED ? "ok" : "failed");
	return 0;
}
