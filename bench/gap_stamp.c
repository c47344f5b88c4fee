/* gap_stamp FILE: the crashing service of bench/restart_gap.sh. Takes
 * CLOCK_MONOTONIC as soon as it runs and again just before it exits,
 * appends both (two int64 nanoseconds, one write with O_APPEND) to FILE
 * and exits 1 at once. The gap between one run's second stamp and the
 * next run's first is the supervisor's restart: the exit, the reap, the
 * spawn and the exec. Linked statically where the toolchain can, so the
 * loader adds as little as possible to what is measured. */
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int64_t stamps[2];
	int fd;

	stamps[0] = now_ns();
	if (argc != 2)
		return 2;
	fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 3;
	stamps[1] = now_ns();
	if (write(fd, stamps, sizeof(stamps)) != (ssize_t)sizeof(stamps))
		return 4;
	_exit(1);
}
