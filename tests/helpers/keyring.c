/* keyring: prints the caller's session keyring and whether the user
 * keyring is linked in it ("session=ID user=ID linked=yes|no"), for
 * KeyringMode='s tests; exit 77 where the kernel gives no keyrings. */
#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long session = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			       KEY_SPEC_SESSION_KEYRING, 0);
	long user = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			    KEY_SPEC_USER_KEYRING, 0);
	int ids[256];
	long n;
	int linked = 0;

	if (session < 0 || user < 0) {
		fprintf(stderr, "keyring: keyctl: %s\n", strerror(errno));
		return errno == ENOSYS || errno == EPERM || errno == EACCES ? 77 : 1;
	}
	/* The session keyring's contents: the serials linked in it. */
	n = syscall(SYS_keyctl, KEYCTL_READ, session, ids, sizeof(ids));
	for (long i = 0; n > 0 && i < n / (long)sizeof(int) &&
	     i < (long)(sizeof(ids) / sizeof(ids[0])); i++)
		linked |= ids[i] == user;
	printf("session=%ld user=%ld linked=%s\n", session, user,
	       linked ? "yes" : "no");
	return 0;
}
