#!/usr/bin/env python3
"""Derives fuzz seeds from real unit files, into a build directory.

usage: seeds.py NAME OUTDIR UNITDIR...

For 'unit', every *.service becomes one input (the file, then for a
template an instance, then its drop-ins: fuzz_unit.c's layout); for
'exec', every Exec*= value (with a small environment); for 'spec', every
value holding a '%' with its unit's name. Other harnesses have only the
hand-written seeds in tests/fuzz/seeds/NAME/. Unit directories that do
not exist are skipped (../shared/units is not in every checkout)."""
import hashlib
import os
import re
import sys

SEP = b'\x1e'
ENVIRONMENT = b'HOME=/root\nOPTS=-a -b "c d"\nEMPTY=\nMAINPID=42\n'


def unit_files(dirs):
    for top in dirs:
        for root, _, files in os.walk(top):
            for name in sorted(files):
                if name.endswith('.service'):
                    yield os.path.join(root, name)


def logical_lines(data):
    """Lines with backslash continuations joined, as the reader does."""
    text = data.replace(b'\\\n', b' ')
    return text.split(b'\n')


def unit_input(path):
    with open(path, 'rb') as f:
        data = f.read()
    name = os.path.basename(path)
    instance = b'fuzz-instance' if name.endswith('@.service') else b''
    dropin_dir = path + '.d'
    dropins = []
    if os.path.isdir(dropin_dir):
        for conf in sorted(os.listdir(dropin_dir)):
            with open(os.path.join(dropin_dir, conf), 'rb') as f:
                dropins.append(f.read())
    if not instance and not dropins:
        return [data]
    return [SEP.join([data, instance] + dropins)]


def value_inputs(path, name):
    with open(path, 'rb') as f:
        data = f.read()
    out = []
    for line in logical_lines(data):
        m = re.match(rb'\s*([A-Za-z]+)=(.*)', line)
        if not m:
            continue
        key, value = m.groups()
        if name == 'exec' and key.startswith(b'Exec'):
            out.append(value + SEP + ENVIRONMENT)
        elif name == 'spec' and b'%' in value:
            out.append(value + SEP + os.path.basename(path).encode())
    return out


def main():
    name, outdir, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(outdir, exist_ok=True)
    count = 0
    for path in unit_files(d for d in dirs if os.path.isdir(d)):
        if name == 'unit':
            inputs = unit_input(path)
        elif name in ('exec', 'spec'):
            inputs = value_inputs(path, name)
        else:
            return 0
        for data in inputs:
            seed = os.path.join(outdir, hashlib.sha1(data).hexdigest())
            if not os.path.exists(seed):
                with open(seed, 'wb') as f:
                    f.write(data)
                count += 1
    print(f'seeds.py: {count} new {name} seeds in {outdir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
