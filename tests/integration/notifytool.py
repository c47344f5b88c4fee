#!/usr/bin/env python3
"""sd_notify peers for tests.

usage: notifytool.py garbage SOCKET
           sends svd's notify socket what a broken or hostile service
           might: no '=', binary, a NUL, oversized, fds attached, and a
           flood of 20,000 messages; prints how many were sent
       notifytool.py deaf SOCKET SECONDS
           a manager that never reads: binds SOCKET and sleeps
       notifytool.py manager SOCKET OUTFILE SECONDS
           plays svd's own manager: binds SOCKET, appends every message
           received to OUTFILE (one per line, newlines as '|'), until
           STOPPING=1 arrives or SECONDS pass
"""
import array
import os
import socket
import sys
import time


def garbage(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sent = 0
    bad = [b"no equals sign", b"\xff\xfe\x00binary", b"READY=1\x00hidden",
           b"READY=2", b"MAINPID=notanumber", b"MAINPID=1", b"ERRNO=-5",
           b"EXTEND_TIMEOUT_USEC=-1", b"", b"=", b"\n\n\n",
           b"STATUS=" + b"x" * 70000]
    for message in bad:
        try:
            s.sendto(message, path)
            sent += 1
        except OSError:
            pass    # oversized: the kernel may refuse it before svd
    r, w = os.pipe()
    s.sendmsg([b"FDSTORE=1"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                array.array("i", [r, w]))], 0, path)
    sent += 1
    os.close(r)
    os.close(w)
    s.setblocking(False)
    for i in range(20000):
        try:
            s.sendto(b"STATUS=flood %d" % i, path)
            sent += 1
        except BlockingIOError:
            time.sleep(0.001)   # the queue is full: svd reads at its pace
    print(sent)


def manager(path, out, seconds):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    deadline = time.time() + seconds
    with open(out, "a") as f:
        while time.time() < deadline:
            s.settimeout(max(0.01, deadline - time.time()))
            try:
                data = s.recv(65536)
            except socket.timeout:
                break
            text = data.decode(errors="replace").replace("\n", "|")
            f.write(text + "\n")
            f.flush()
            if "STOPPING=1" in text:
                return


def deaf(path, seconds):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    time.sleep(seconds)


if __name__ == "__main__":
    if sys.argv[1] == "garbage":
        garbage(sys.argv[2])
    elif sys.argv[1] == "deaf":
        deaf(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "manager":
        manager(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit(__doc__)
