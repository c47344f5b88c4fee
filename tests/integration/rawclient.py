#!/usr/bin/env python3
"""Raw control-socket client for tests: sends bytes as they are given and
prints the replies, so malformed requests can be made on purpose.

usage: rawclient.py SOCKET send HEX_OR_TEXT   one message, print replies
       rawclient.py SOCKET silent SECONDS      connect, send nothing; print
                                              how long until svd closed it
       rawclient.py SOCKET hold COUNT:UNIT DIR  open COUNT connections that
                                              each follow UNIT's logs (busy,
                                              so never closed as idle); write
                                              DIR/ready, hold them until
                                              DIR/release exists (bounded)
       rawclient.py SOCKET hog COUNT           send COUNT `list` requests
                                              and never read a reply; print
                                              DROPPED N or KEPT N
       rawclient.py SOCKET crowd COUNT         COUNT clients, 100 at a time
                                              at once, each sending a
                                              malformed request; print
                                              ANSWERED A REFUSED R OTHER O
                                              (O: no clear error reply)
"""
import os
import selectors
import socket
import sys
import time

TIMEOUT_S = 10


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(TIMEOUT_S)
    s.connect(path)
    return s


def send(path, payload):
    s = connect(path)
    s.send(payload)
    while True:
        try:
            msg = s.recv(1 << 20)
        except ConnectionResetError:
            print("RESET")
            return
        if not msg:
            print("CLOSED")
            return
        sys.stdout.write(msg.decode(errors="replace"))
        if b"status=" in msg:
            # the final reply; svd may close after it
            print("END")
            return


def silent(path, seconds):
    s = connect(path)
    start = time.monotonic()
    s.settimeout(float(seconds))
    try:
        data = s.recv(1 << 16)
        print("CLOSED" if not data else "DATA", round(time.monotonic() - start))
    except socket.timeout:
        print("STILL-OPEN")


HOLD_MAX_S = 60


def hold(path, spec, where):
    count, unit = spec.split(":", 1)
    socks = []
    for _ in range(int(count)):
        s = connect(path)
        try:
            s.send(b"logs\nunit=" + unit.encode() + b"\nfollow=1\nlines=0\n")
        except OSError:
            pass  # refused and closed by svd already (out of fds): held all the same
        socks.append(s)
    with open(where + "/ready.tmp", "w") as f:
        f.write("%d\n" % len(socks))
    os.rename(where + "/ready.tmp", where + "/ready")
    # A deadline, so a test that dies first does not leave this behind.
    deadline = time.monotonic() + HOLD_MAX_S
    while not os.path.exists(where + "/release"):
        if time.monotonic() > deadline:
            break
        time.sleep(0.02)
    for s in socks:
        s.close()


def hog(path, count):
    s = connect(path)
    s.settimeout(TIMEOUT_S)
    for i in range(int(count)):
        try:
            s.send(b"list\n")
        except (BrokenPipeError, ConnectionResetError):
            print("DROPPED", i)
            return
        except socket.timeout:
            print("BLOCKED", i)
            return
    print("KEPT", count)


CROWD_AT_ONCE = 100
MALFORMED = (b"start\nunit\n", b"\x01\x02garbage", b"=\n", b"status\n=x\n")


def crowd_batch(path, n, first, counts):
    sel = selectors.DefaultSelector()
    for i in range(n):
        s = connect(path)
        s.setblocking(False)
        try:
            s.send(MALFORMED[(first + i) % len(MALFORMED)])
        except (BrokenPipeError, ConnectionResetError):
            pass    # refused before the request: its reply is still read
        sel.register(s, selectors.EVENT_READ, b"")
    deadline = time.monotonic() + TIMEOUT_S
    while sel.get_map() and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            try:
                msg = key.fileobj.recv(1 << 16)
            except ConnectionResetError:
                msg = b""
            got = key.data + msg
            if msg and b"status=" not in got:
                sel.modify(key.fileobj, selectors.EVENT_READ, got)
                continue
            if b"too many clients" in got:
                counts["REFUSED"] += 1
            elif b"status=error" in got and b"error=" in got:
                counts["ANSWERED"] += 1
            else:
                counts["OTHER"] += 1
            sel.unregister(key.fileobj)
            key.fileobj.close()
    for key in list(sel.get_map().values()):
        counts["OTHER"] += 1
        key.fileobj.close()


def crowd(path, count):
    counts = {"ANSWERED": 0, "REFUSED": 0, "OTHER": 0}
    for first in range(0, count, CROWD_AT_ONCE):
        crowd_batch(path, min(CROWD_AT_ONCE, count - first), first, counts)
    print(" ".join("%s %d" % kv for kv in counts.items()))


def main():
    path, mode, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "send":
        payload = arg.encode().decode("unicode_escape").encode("latin-1")
        send(path, payload)
    elif mode == "sendsize":
        send(path, b"start\nunit=" + b"a" * int(arg))
    elif mode == "silent":
        silent(path, arg)
    elif mode == "hold":
        hold(path, arg, sys.argv[4])
    elif mode == "crowd":
        crowd(path, int(arg))
    elif mode == "hog":
        hog(path, arg)


if __name__ == "__main__":
    main()
