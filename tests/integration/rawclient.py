#!/usr/bin/env python3
"""Raw control-socket client for tests: sends bytes as they are given and
prints the replies, so malformed requests can be made on purpose.

usage: rawclient.py SOCKET send HEX_OR_TEXT   one message, print replies
       rawclient.py SOCKET silent SECONDS      connect, send nothing; print
                                              how long until svd closed it
"""
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


def main():
    path, mode, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "send":
        payload = arg.encode().decode("unicode_escape").encode("latin-1")
        send(path, payload)
    elif mode == "sendsize":
        send(path, b"start\nunit=" + b"a" * int(arg))
    elif mode == "silent":
        silent(path, arg)


if __name__ == "__main__":
    main()
