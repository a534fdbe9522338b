"""extract.py PO MODE: the translated strings of a gettext catalog
(msgunfmt's output), one a line (MODE lines), or every character above
U+2000 that is not white space, run together (MODE bare).  See README.md."""
import ast
import re
import sys


def strings(path):
    out, cur = [], None
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        m = re.match(r'^msgstr(\[\d+\])? (".*")$', line)
        if m:
            if cur is not None:
                out.append(cur)
            cur = ast.literal_eval(m.group(2))
        elif line.startswith('"') and cur is not None:
            cur += ast.literal_eval(line)
        elif cur is not None:
            out.append(cur)
            cur = None
    if cur is not None:
        out.append(cur)
    # The header is a msgstr too.
    return [s for s in out if s and not s.startswith('Project-Id-Version')]


def main():
    path, mode = sys.argv[1], sys.argv[2]
    ss = strings(path)
    if mode == 'bare':
        sys.stdout.write(''.join(c for s in ss for c in s
                                 if ord(c) > 0x2000 and not c.isspace()) + '\n')
    else:
        sys.stdout.write('\n'.join(s.replace('\n', ' ') for s in ss) + '\n')


main()
