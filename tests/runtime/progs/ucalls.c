/* A program whose functions the uprobe tests probe: add() called with
 * known arguments, returning their sum.  With an argument (a file it
 * creates once SIGUSR1 is blocked) it waits for SIGUSR1 before calling, so
 * a tracer can attach with -p first, and stays a while after, so its
 * stacks can still be symbolized. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

/* Globals that uaddr() finds: calls counts add()'s calls so far. */
volatile long calls;
volatile unsigned short tag = 0xbeef;

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	calls++;
	return a + b;
}

static void wait_for_usr1(const char *ready)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fclose(fopen(ready, "w"));
	sigwait(&set, &sig);
}

int main(int argc, char **argv)
{
	long total = 0;
	if (argc > 1)
		wait_for_usr1(argv[1]);
	else
		usleep(300000);   /* time for the tracer to attach */
	for (long i = 1; i <= 4; i++)
		total += add(i, i * 10);
	fprintf(stderr, "%ld\n", total);   /* stdout is the tracer's */
	if (argc > 1)
		usleep(500000);
	return 0;
}
