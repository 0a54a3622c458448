# Prints, for each file named on the command line, the depth of pgen's parser stack that the file
# needs: for each top-level statement, its first line and the largest number of nonterminals open
# above one of its tokens (the concrete syntax tree's depth, which is what Parser/parser.c pushes
# with s_push). Runs on CPython 2.7 and 3.8, the last versions with the LL(1) parser and the
# `parser` module. A file the interpreter does not parse gets null. Output: one JSON object.
# Used by scripts/record-pgen-depth.mjs; see src/engine/parser/pgenStack.ts.
import json
import parser
import sys


def depth(node):
    # Iterative: the trees are deep enough to exhaust Python's recursion limit.
    best = 0
    stack = [(node, 0)]
    while stack:
        n, d = stack.pop()
        if n[0] < 256:
            if d > best:
                best = d
            continue
        for child in n[1:]:
            stack.append((child, d + 1))
    return best


def first_line(node):
    while node[0] >= 256:
        node = node[1]
    return node[2]


out = {}
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        src = f.read()
    if sys.version_info[0] >= 3:
        src = src.decode('utf-8')
    try:
        tree = parser.suite(src).tolist(True)
    except (SyntaxError, MemoryError, ValueError, UnicodeError):
        out[path] = None
        continue
    rows = []
    for stmt in tree[1:]:
        if stmt[0] < 256:
            continue  # NEWLINE, ENDMARKER
        # +1: file_input itself is on the stack under every statement.
        rows.append([first_line(stmt), depth(stmt) + 1])
    out[path] = rows
sys.stdout.write(json.dumps(out, sort_keys=True))
