/* A program with USDT probes, for the usdt tests: three ticks with
 * (index, 1000 + index, argv[0]), then done.  With an argument (a file
 * it creates once SIGUSR1 is blocked) it waits for SIGUSR1 first, so a
 * tracer can attach with -p. */
#include <signal.h>
#include <stdio.h>
#include <sys/sdt.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		sigset_t set;
		int sig;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		fclose(fopen(argv[1], "w"));
		sigwait(&set, &sig);
	}
	for (int i = 0; i < 3; i++) {
		long v = 1000 + i;
		DTRACE_PROBE3(trawktest, tick, i, v, argv[0]);
		usleep(20000);
	}
	DTRACE_PROBE(trawktest, done);
	return 0;
}
