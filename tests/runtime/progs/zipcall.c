/* Calls a function of a shared library stored uncompressed in a zip
 * archive, straight from the archive's own pages, as Android runs code
 * from an APK: the uprobe tests probe it as archive.zip!/lib.so:function.
 * argv: the archive, the function's offset in it; the function takes two
 * longs and uses nothing outside itself. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long page = sysconf(_SC_PAGESIZE);
	long off = strtol(argv[2], NULL, 0), base = off / page * page;
	int fd = open(argv[1], O_RDONLY);
	char *map = fd < 0 ? MAP_FAILED : mmap(NULL, (size_t)(off - base + 64), PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, base);
	if (map == MAP_FAILED)
		return 1;
	long (*fn)(long, long) = (long (*)(long, long))(void *)(map + (off - base));
	usleep(300000);   /* time for the tracer to attach */
	long total = 0;
	for (long i = 1; i <= 3; i++)
		total += fn(i, i * 10);
	fprintf(stderr, "%ld\n", total);
	return 0;
}
