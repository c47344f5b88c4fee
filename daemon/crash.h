/* crash: svd as PID 1 must not die. A fatal signal (a bug in svd) is
 * logged, a core dump is left by a forked copy when the core size limit
 * allows one, and svd stays up only reaping orphans: the services run on
 * unsupervised, the kernel does not panic, and the board can still be
 * reached to find out why. */
#ifndef SVD_CRASH_H
#define SVD_CRASH_H

void crash_install_handler(void);

#endif
