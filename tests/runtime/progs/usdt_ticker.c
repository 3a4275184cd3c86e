/* A program with USDT probes, for the usdt tests: three ticks with
 * (index, 1000 + index, argv[0]), and a probe with a semaphore. */
#include <sys/sdt.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < 3; i++) {
		long v = 1000 + i;
		DTRACE_PROBE3(trawktest, tick, i, v, argv[0]);
		usleep(20000);
	}
	DTRACE_PROBE(trawktest, done);
	return argc > 1;
}
