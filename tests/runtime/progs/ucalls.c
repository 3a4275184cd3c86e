/* A program whose functions the uprobe tests probe: add() called with
 * known arguments, returning their sum. */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) long add(long a, long b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

int main(void)
{
	long total = 0;
	usleep(300000);   /* time for the tracer to attach */
	for (long i = 1; i <= 4; i++)
		total += add(i, i * 10);
	fprintf(stderr, "%ld\n", total);   /* stdout is the tracer's */
	return 0;
}
