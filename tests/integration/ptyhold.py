#!/usr/bin/env python3
"""A terminal for tests: a pty pair whose slave services use as TTYPath=.

usage: ptyhold.py PATHFILE OUTFILE [PROMPT REPLY]
    opens a pty, writes the slave's path to PATHFILE (then renames it in
    place, so that a reader never sees half of it), appends everything
    written to the terminal to OUTFILE, and, once PROMPT has appeared
    there, types REPLY and a newline once. Runs until killed; holding the
    master keeps the slave usable.
"""
import os
import select
import sys
import time


def main():
    path_file, out_file = sys.argv[1], sys.argv[2]
    prompt = sys.argv[3].encode() if len(sys.argv) > 4 else None
    reply = sys.argv[4].encode() + b"\n" if prompt else None
    master, slave = os.openpty()
    name = os.ttyname(slave)
    # The slave stays open here too: its last close would hang the
    # terminal up between two services.
    with open(path_file + ".tmp", "w") as f:
        f.write(name + "\n")
    os.rename(path_file + ".tmp", path_file)
    seen = b""
    with open(out_file, "ab", buffering=0) as out:
        while True:
            select.select([master], [], [])
            try:
                data = os.read(master, 4096)
            except OSError:
                # EIO while no slave is open (a hang-up, a service
                # between two starts): wait for the next open.
                time.sleep(0.02)
                continue
            out.write(data)
            seen += data
            if prompt and prompt in seen:
                os.write(master, reply)
                prompt = None


if __name__ == "__main__":
    main()
