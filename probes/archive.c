/* Binaries inside zip archives (Android's APKs, bundled apps): a probe
 * names one as "app.zip!/lib/libfoo.so".  The kernel probes the archive
 * file itself, so only members stored uncompressed can be probed; their
 * symbols' offsets are shifted by where the member's data starts. */
#include "probe.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define EOCD_SIG 0x06054b50u
#define CDIR_SIG 0x02014b50u
#define LOCAL_SIG 0x04034b50u
#define EOCD_MIN 22
#define CDIR_MIN 46
#define LOCAL_MIN 30

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }

/* Mapped, not read: only the end record, the central directory and one
 * local header are touched, however big the archive. */
static const unsigned char *map_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *z = MAP_FAILED;
	if (fd >= 0 && !fstat(fd, &st) && st.st_size >= EOCD_MIN)
		z = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (fd >= 0)
		close(fd);
	if (z == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return z;
}

/* The end-of-central-directory record: the last one in the file. */
static const unsigned char *find_eocd(const unsigned char *z, size_t len)
{
	for (size_t i = len - EOCD_MIN + 1; i-- > 0 && len - i <= EOCD_MIN + 65535;)
		if (le32(z + i) == EOCD_SIG)
			return z + i;
	return NULL;
}

/* Where member's data starts in the archive, if it is stored uncompressed. */
static int member_offset(const unsigned char *z, size_t len, const char *member, uint64_t *off, uint64_t *size)
{
	const unsigned char *e = find_eocd(z, len);
	if (!e)
		return -1;
	size_t n = le16(e + 10), at = le32(e + 16);
	size_t mlen = strlen(member);
	for (size_t i = 0; i < n && at + CDIR_MIN <= len && le32(z + at) == CDIR_SIG; i++) {
		size_t name_len = le16(z + at + 28), skip = name_len + le16(z + at + 30) + le16(z + at + 32);
		if (name_len == mlen && at + CDIR_MIN + name_len <= len && !memcmp(z + at + CDIR_MIN, member, mlen)) {
			size_t local = le32(z + at + 42);
			if (le16(z + at + 10) != 0 || local + LOCAL_MIN > len || le32(z + local) != LOCAL_SIG)
				return -1;   /* compressed, or a broken archive */
			*off = local + LOCAL_MIN + le16(z + local + 26) + le16(z + local + 28);
			*size = le32(z + at + 24);
			return *off + *size <= len ? 0 : -1;
		}
		at += CDIR_MIN + skip;
	}
	return -1;
}

bool archive_split(const char *name, struct arena *a, const char **archive, const char **member)
{
	const char *bang = strstr(name, "!/");
	if (!bang)
		return false;
	*archive = arena_strndup(a, name, (size_t)(bang - name));
	*member = bang + 2;
	return true;
}

int archive_member(const char *name, struct arena *a, const char **archive, uint64_t *off, uint64_t *size)
{
	const char *path, *member;
	char real[PATH_MAX];
	if (!archive_split(name, a, &path, &member) || !realpath(path, real))
		return -1;
	size_t len;
	const unsigned char *z = map_file(real, &len);
	int rc = z ? member_offset(z, len, member, off, size) : -1;
	if (z)
		munmap((void *)z, len);
	if (!rc)
		*archive = arena_strdup(a, real);
	return rc;
}
