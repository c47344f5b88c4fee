#!/usr/bin/env python3
"""Writes svd.unit(5) from docs/units.md, so that the two never drift.

docs/units.md is the one source that people edit (it renders on the web);
packaging/man/svd.unit.5.in holds what only a man page has (NAME,
SYNOPSIS, SEE ALSO) with two places for the generated text:

    @DESCRIPTION@   the text of units.md before its first "## " heading
    @SECTIONS@      every "## " section of units.md, as .Sh, and its "###"
                    subsections, as .Ss

packaging/man/svd.unit.5 is committed, so that `man ./svd.unit.5` works
from a checkout and packaging needs no Python; the "docs" test suite runs
this script with --check and fails with a diff when the committed page is
not what units.md gives.

    python3 packaging/man/md2mdoc.py           rewrite svd.unit.5
    python3 packaging/man/md2mdoc.py --check   compare, exit 1 on a diff
    python3 packaging/man/md2mdoc.py --keys conf/keys.c
                                               also check that the key
                                               tables of units.md name
                                               every key of the parser's
                                               tables (conf/keys.c and
                                               conf/*_keys.c), and no other

Only the Markdown that units.md uses is understood: headings, paragraphs,
"- " and "1. " lists (one level), tables, indented code blocks, `code`,
**bold** and name(N) references. Anything else (links, nested lists,
HTML, _emphasis_) is an error naming the line, rather than a page that
renders wrong. Standard library only.
"""

import argparse
import glob
import difflib
import os
import re
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, 'docs', 'units.md')
TEMPLATE = os.path.join(ROOT, 'packaging', 'man', 'svd.unit.5.in')
OUTPUT = os.path.join(ROOT, 'packaging', 'man', 'svd.unit.5')
REGENERATE = 'python3 packaging/man/md2mdoc.py'

# Table columns shown without a "Header:" label in front of their cell:
# the free text of a key table.
UNLABELED_COLUMNS = {'notes', 'values'}

# Longest line of running text written (mandoc's lint wants <= 80).
TEXT_WIDTH = 76

# Characters outside ASCII that units.md may use, as roff escapes.
NON_ASCII = {
    '\u03bc': r'\(*m',  # Greek mu, as in "μs"
    '\u00b5': r'\(mc',  # micro sign, as in "µs"
    '\u2014': r'\(em',
    '\u2013': r'\(en',
    '\u2192': r'\(->',
}

OPEN_DELIMS = '(['
CLOSE_DELIMS = '.,:;)]?!'
# An argument that mdoc would take for a macro name ("No", "Ar", "%T").
MACRO_LIKE = re.compile(r'^([A-Z][a-z]{1,2}|%[A-Z])$')


class MarkdownError(Exception):
    def __init__(self, line, message):
        super().__init__(f'{line}: {message}')


# --- Markdown: blocks ----------------------------------------------------

def parse_blocks(lines):
    """Yields (kind, lineno, data) for the blocks of a Markdown text."""
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        start = i + 1
        m = re.match(r'^(#{1,3}) (.*)$', line)
        if m:
            yield 'heading', start, (len(m.group(1)), m.group(2).strip())
            i += 1
        elif line.startswith('|'):
            rows = []
            while i < n and lines[i].startswith('|'):
                rows.append(lines[i])
                i += 1
            yield 'table', start, parse_table(rows, start)
        elif line.startswith('    '):
            code = []
            while i < n and (lines[i].startswith('    ') or
                             (not lines[i].strip() and i + 1 < n and
                              lines[i + 1].startswith('    '))):
                code.append(lines[i][4:])
                i += 1
            yield 'code', start, code
        elif re.match(r'^(- |\d+\. )', line):
            kind = 'bullet' if line.startswith('- ') else 'enum'
            items = []
            while i < n and lines[i].strip():
                m = re.match(r'^(- |\d+\. )(.*)$', lines[i])
                if m:
                    items.append([m.group(2)])
                elif re.match(r'^\s+(- |\d+\. )', lines[i]):
                    raise MarkdownError(i + 1, 'nested lists are not '
                                        'supported')
                else:
                    items[-1].append(lines[i].strip())
                i += 1
            yield kind, start, [' '.join(item) for item in items]
        else:
            text = []
            while i < n and lines[i].strip() and not re.match(
                    r'^(#{1,3} |\||- |\d+\. )', lines[i]):
                text.append(lines[i].strip())
                i += 1
            yield 'para', start, ' '.join(text)


def split_row(row, lineno):
    """The cells of "| a | b |"; "\\|" is a "|" inside a cell."""
    if not row.rstrip().endswith('|'):
        raise MarkdownError(lineno, 'a table row must end with "|"')
    cells = re.split(r'(?<!\\)\|', row.strip()[1:-1])
    return [c.strip().replace('\\|', '|') for c in cells]


def parse_table(rows, lineno):
    if len(rows) < 2 or not re.match(r'^\|(\s*:?-+:?\s*\|)+\s*$', rows[1]):
        raise MarkdownError(lineno, 'a table needs a header row and a '
                            '|---| row')
    header = split_row(rows[0], lineno)
    body = []
    for k, row in enumerate(rows[2:]):
        cells = split_row(row, lineno + 2 + k)
        if len(cells) != len(header):
            raise MarkdownError(lineno + 2 + k, f'{len(cells)} cells, the '
                                f'header has {len(header)}')
        body.append(cells)
    return header, body


# --- Markdown: inline ----------------------------------------------------

def inline_tokens(text, lineno):
    """Splits text into ('text', s), ('code', s), ('bold', s) and
    ('xr', name, section)."""
    tokens = []
    pos = 0
    pattern = re.compile(r'`([^`]+)`|\*\*([^*]+)\*\*')
    for m in pattern.finditer(text):
        tokens += text_tokens(text[pos:m.start()], lineno)
        if m.group(1) is not None:
            tokens.append(('code', m.group(1)))
        else:
            tokens.append(('bold', m.group(2)))
        pos = m.end()
    tokens += text_tokens(text[pos:], lineno)
    return tokens


def text_tokens(text, lineno):
    if '`' in text or re.search(r'\]\(|<[a-z/]|(^|\s)[_*]\w', text):
        raise MarkdownError(lineno, f'Markdown this generator does not '
                            f'know: {text.strip()[:60]!r}')
    tokens = []
    pos = 0
    for m in re.finditer(r'\b([a-z][a-z0-9_.+-]*[a-z0-9])\(([1-9])\)', text):
        if m.start() > pos:
            tokens.append(('text', text[pos:m.start()]))
        tokens.append(('xr', m.group(1), m.group(2)))
        pos = m.end()
    if pos < len(text):
        tokens.append(('text', text[pos:]))
    return tokens


# --- roff escaping ---------------------------------------------------------

def escape_chars(text, lineno):
    out = []
    for ch in text:
        if ch == '\\':
            out.append(r'\e')
        elif ord(ch) < 128:
            out.append(ch)
        elif ch in NON_ASCII:
            out.append(NON_ASCII[ch])
        else:
            raise MarkdownError(lineno, f'character {ch!r} has no roff '
                                f'escape in NON_ASCII')
    return ''.join(out)


def text_line(text, lineno):
    """A line of running text: no leading control character."""
    text = escape_chars(text, lineno)
    if text[:1] in ('.', "'"):
        text = r'\&' + text
    return text


def macro_arg(text, lineno, literal):
    """One argument of a macro line, that mdoc takes as it is written."""
    arg = escape_chars(text, lineno)
    if literal:
        arg = arg.replace('-', r'\-')
    if '"' in arg or ' ' in arg or '\t' in arg:
        return '"' + arg.replace('"', r'\(dq') + '"'
    if MACRO_LIKE.match(text) or arg[:1] in OPEN_DELIMS + CLOSE_DELIMS + '|':
        arg = r'\&' + arg
    if len(text) > 1 and arg[-1:] in OPEN_DELIMS + CLOSE_DELIMS + '|':
        arg += r'\&'
    return arg


# --- inline rendering ------------------------------------------------------

def atoms(tokens):
    """Tokens as atoms with a flag saying whether white space comes before
    each: ('macro', name, arg, space), ('xr', name, sec, space),
    ('word', text, space), ('delim', ch, space)."""
    out = []
    space = False
    for tok in tokens:
        if tok[0] == 'code':
            arg = tok[1]
            out.append(('macro', 'Pa' if arg[:1] in '/~' else 'Cm', arg,
                        space))
            space = False
        elif tok[0] == 'bold':
            out.append(('macro', 'Sy', tok[1], space))
            space = False
        elif tok[0] == 'xr':
            out.append(('xr', tok[1], tok[2], space))
            space = False
        else:
            for piece in re.split(r'(\s+)', tok[1]):
                if not piece:
                    continue
                if piece.isspace():
                    space = True
                    continue
                out += word_atoms(piece, space)
                space = False
    return out


def word_atoms(word, space):
    """A word with its opening and closing delimiters apart, as mdoc
    wants them: "(see)," is "(", "see", ")" and ","; an ellipsis is a
    word."""
    rest = word.lstrip(OPEN_DELIMS)
    head = word[:len(word) - len(rest)]
    core = rest.rstrip(CLOSE_DELIMS)
    if not core and rest.startswith('...'):
        core = '...'
    tail = rest[len(core):]
    out = []
    for ch in head:
        out.append(('delim', ch, space))
        space = False
    if core:
        out.append(('word', core, space))
        space = False
    for ch in tail:
        out.append(('delim', ch, space))
        space = False
    return out


def macro_line(chunk, lineno):
    """Atoms as one macro line: ".Cm ( Type=forking ) ," or
    ".Cm syslog+ Ns / Ns Cm kmsg+"; Ns where no white space was."""
    args = []
    font = None   # the macro whose scope words are in now
    pending = []  # opening delimiters waiting for what they open
    first = True
    for atom in chunk:
        kind = atom[0]
        if kind == 'delim' and atom[1] in OPEN_DELIMS:
            pending.append(atom[1])
            continue
        if kind == 'delim':
            args.append(macro_arg(atom[1], lineno, False)
                        if atom[1] == '|' else atom[1])
            continue
        if not first and not pending and not atom[-1]:
            args.append('Ns')
        if kind == 'macro':
            args += [atom[1]] + pending + [macro_arg(atom[2], lineno, True)]
            font = atom[1]
        elif kind == 'xr':
            args += ['Xr'] + pending + [macro_arg(atom[1], lineno, False),
                                        atom[2]]
            font = 'Xr'
        else:
            if font != 'No':
                args.append('No')
                font = 'No'
            args += pending + [macro_arg(atom[1], lineno, False)]
        pending = []
        first = False
    if pending:
        args += pending
    if not args or args[0] in OPEN_DELIMS + CLOSE_DELIMS:
        args.insert(0, 'No')
    return '.' + ' '.join(args)


def render_inline(text, lineno):
    """Running text as mdoc lines: text lines, and a macro line for each
    run of code (with the punctuation and words stuck to it)."""
    out_atoms = atoms(inline_tokens(text, lineno))
    lines = []
    words = []

    def flush_words():
        if words:
            sentence = ' '.join(words)
            for part in re.split(r'(?<=[.?!])\s+(?=[A-Z"(])', sentence):
                pieces = textwrap.wrap(part, TEXT_WIDTH,
                                       break_long_words=False,
                                       break_on_hyphens=False)
                for k, piece in enumerate(pieces):
                    line = text_line(piece, lineno)
                    # roff takes a line that ends in "." for the end of
                    # a sentence; only the last piece of one is.
                    if k < len(pieces) - 1 and re.search(r'[.?!][)"\]]*$',
                                                         piece):
                        line += r'\&'
                    lines.append(line)
            words.clear()

    i = 0
    while i < len(out_atoms):
        # A chunk: atoms up to the next white space.
        j = i + 1
        while j < len(out_atoms) and not out_atoms[j][-1]:
            j += 1
        chunk = out_atoms[i:j]
        if all(a[0] in ('word', 'delim') for a in chunk):
            words.append(''.join(a[1] for a in chunk))
        else:
            flush_words()
            lines.append(macro_line(chunk, lineno))
        i = j
    flush_words()
    return lines


def render_head(text, lineno):
    """A table cell as the head of a list item: one macro line's args."""
    out_atoms = atoms(inline_tokens(text, lineno))
    return macro_line(out_atoms, lineno)[1:]


# --- blocks to mdoc --------------------------------------------------------

def render_table(header, body, lineno):
    lines = ['.Bl -tag -width Ds']
    for row in body:
        lines.append('.It ' + render_head(row[0], lineno))
        first = True
        for name, cell in zip(header[1:], row[1:]):
            if not cell:
                continue
            if not first:
                lines.append('.br')
            first = False
            if len(header) > 2 and name.lower() not in UNLABELED_COLUMNS:
                cell = name[:1].upper() + name[1:] + ': ' + cell
            lines += render_inline(cell, lineno)
    lines.append('.El')
    return lines


def render_blocks(blocks):
    """The mdoc text of a run of blocks (no headings among them)."""
    lines = []
    for kind, lineno, data in blocks:
        if kind == 'para':
            if lines:
                lines.append('.Pp')
            lines += render_inline(data, lineno)
        elif kind in ('bullet', 'enum'):
            lines.append('.Bl -' + kind)
            for item in data:
                lines.append('.It')
                lines += render_inline(item, lineno)
            lines.append('.El')
        elif kind == 'table':
            lines += render_table(data[0], data[1], lineno)
        elif kind == 'code':
            lines.append('.Bd -literal -offset indent')
            lines += [text_line(c, lineno) if c else '' for c in data]
            lines.append('.Ed')
    return lines


def heading_arg(text, level, lineno):
    text = text.replace('`', '')
    if level == 2:
        text = text.upper()
    return ' '.join(macro_arg(w, lineno, False) for w in text.split())


def convert(markdown):
    """(description lines, section lines) of units.md."""
    blocks = list(parse_blocks(markdown.split('\n')))
    if not blocks or blocks[0][0] != 'heading' or blocks[0][2][0] != 1:
        raise MarkdownError(1, 'units.md starts with its "# " title')
    description, sections, run = [], [], []
    target = description
    for kind, lineno, data in blocks[1:]:
        if kind != 'heading':
            run.append((kind, lineno, data))
            continue
        target += render_blocks(run)
        run = []
        level, text = data
        if level == 1:
            raise MarkdownError(lineno, 'one "# " title only')
        target = sections
        sections.append(('.Sh ' if level == 2 else '.Ss ') +
                        heading_arg(text, level, lineno))
    target += render_blocks(run)
    return description, sections


def generate(source, template):
    with open(source, encoding='utf-8') as f:
        markdown = f.read()
    with open(template, encoding='utf-8') as f:
        page = f.read()
    description, sections = convert(markdown)
    for mark in ('@DESCRIPTION@', '@SECTIONS@'):
        if page.count(mark + '\n') != 1:
            raise SystemExit(f'{template}: needs one line {mark}')
    rel = os.path.relpath(source, ROOT)
    header = (f'.\\" Generated from {rel} by packaging/man/md2mdoc.py: '
              f'edit that file,\n.\\" then run {REGENERATE}\n')
    page = page.replace('@DESCRIPTION@\n', '\n'.join(description) + '\n')
    page = page.replace('@SECTIONS@\n', '\n'.join(sections) + '\n')
    return header + page


# --- keys ----------------------------------------------------------------

def implemented_keys(keys_c, unit_c):
    """Every key svd's parser implements, read from the source at test
    time so that a new key needs only its docs: the entries of the key
    tables in keys.c and conf/*_keys.c whose parse function is a key_*
    one ({ "Name", NULL } are keys svd knows and ignores), and
    Condition/Assert of the suffixes unit.c names."""
    conf = os.path.dirname(keys_c)
    keys = set()
    for path in sorted({keys_c} | set(glob.glob(os.path.join(conf, '*_keys.c')))):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        keys |= set(re.findall(r'\{\s*"([A-Z]\w+)",\s*key_\w+\s*\}', text))
    with open(unit_c, encoding='utf-8') as f:
        text = f.read()
    m = re.search(r'unit_condition_name\(.*?\{(.*?)\};', text, re.S)
    for suffix in re.findall(r'"(\w+)"', m.group(1) if m else ''):
        keys.add('Condition' + suffix)
        keys.add('Assert' + suffix)
    return keys


def documented_keys(markdown):
    """Keys named in the first column of the key tables of units.md
    (every table whose header's first cell is "key"): the reference."""
    documented = set()
    for kind, lineno, data in parse_blocks(markdown.split('\n')):
        if kind == 'table' and data[0][0] == 'key':
            for row in data[1]:
                documented |= set(re.findall(r'`([A-Za-z0-9]+)=`', row[0]))
    # "ConditionX=, ..., and the same as `Assert...=`": one row for both.
    if re.search(r'the same as `Assert\.\.\.=`', markdown):
        documented |= {'Assert' + k[len('Condition'):]
                       for k in documented if k.startswith('Condition')}
    return documented


def check_keys(markdown, keys_c, unit_c):
    """Both ways: each key the parser implements is in a key table, and
    each key in a key table is implemented."""
    code = implemented_keys(keys_c, unit_c)
    documented = documented_keys(markdown)
    problems = []
    if len(code) < 50:
        problems.append(f'only {len(code)} keys found in {keys_c}: '
                        f'has the table syntax changed?')
    for key in sorted(code - documented):
        problems.append(f'{key}= is implemented in conf/ but no key table '
                        f'of docs/units.md has it (add a row)')
    for key in sorted(documented - code):
        problems.append(f'{key}= is in a key table of docs/units.md but '
                        f'conf/ does not implement it')
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true',
                    help='compare with the committed page, do not write')
    ap.add_argument('--source', default=SOURCE)
    ap.add_argument('--template', default=TEMPLATE)
    ap.add_argument('--output', default=OUTPUT)
    ap.add_argument('--keys', metavar='KEYS_C',
                    help='also check the keys against conf/keys.c')
    args = ap.parse_args()
    try:
        page = generate(args.source, args.template)
    except MarkdownError as e:
        sys.exit(f'{args.source}:{e}')
    status = 0
    if args.keys:
        with open(args.source, encoding='utf-8') as f:
            markdown = f.read()
        unit_c = os.path.join(os.path.dirname(args.keys), 'unit.c')
        for problem in check_keys(markdown, args.keys, unit_c):
            print(problem, file=sys.stderr)
            status = 1
    if not args.check:
        with open(args.output, 'w', encoding='utf-8') as f:
            f.write(page)
        return status
    try:
        with open(args.output, encoding='utf-8') as f:
            committed = f.read()
    except FileNotFoundError:
        committed = ''
    if committed != page:
        sys.stdout.writelines(difflib.unified_diff(
            committed.splitlines(True), page.splitlines(True),
            args.output + ' (committed)', args.output + ' (from units.md)'))
        print(f'\n{os.path.relpath(args.output, ROOT)} is not what '
              f'{os.path.relpath(args.source, ROOT)} gives. Edit '
              f'docs/units.md (never the page), then run from the source '
              f'tree:\n    {REGENERATE}', file=sys.stderr)
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
