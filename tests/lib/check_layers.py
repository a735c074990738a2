#!/usr/bin/env python3
"""Calls between the engine's (and the daemon's) files run one way.

Reads the layer of every source file from the table in docs/architecture.md
(the lines `layer N  GROUP  file.c file.c ...` inside its "layers" block),
lists which external symbols each object file of the build defines and uses
(nm), and fails on any call from a file to a file of a higher (outer) layer,
and on two files of one layer that call each other. Static functions are
invisible to nm and need no rule: they cannot leave their file.

Edges that still run the wrong way are listed in the page's "debts" block,
one `FROM -> TO` pair of files a line: the check fails on a violation that is
not listed and on a listed one that is gone, so the list only shrinks and
stays true. --debts prints the block's content for the current build.

  check_layers.py SRCDIR BUILDDIR [--debts]
"""
import os, re, subprocess, sys

src, build = sys.argv[1], sys.argv[2]
doc = open(os.path.join(src, 'docs/architecture.md')).read()
block = re.search(r'<!-- layers begin -->(.*?)<!-- layers end -->', doc, re.S)
if not block:
    sys.exit('check_layers: no layers block in docs/architecture.md')
debts = set()
dblock = re.search(r'<!-- debts begin -->(.*?)<!-- debts end -->', doc, re.S)
for line in (dblock.group(1) if dblock else '').splitlines():
    m = re.match(r'\s*-?\s*`?(\S+\.c) -> (\S+\.c)', line)
    if m:
        debts.add((m.group(1), m.group(2)))
print_debts = '--debts' in sys.argv
layer = {}   # "dir/file.o" -> (rank, group)
for line in block.group(1).splitlines():
    m = re.match(r'\s*layer\s+(\S+)\s+(\d+)\s+(\S+)\s+(.*)', line)
    if not m:
        continue
    folder, rank, group, files = m.group(1), int(m.group(2)), m.group(3), m.group(4).split()
    for f in files:
        layer[os.path.join(folder, f[:-2] + '.o')] = (rank, group, folder)

def nm(obj, *flags):
    out = subprocess.run(['nm', '-P', *flags, obj], capture_output=True, text=True, check=True).stdout
    return {l.split()[0] for l in out.splitlines() if l.strip()}

missing = [o for o in layer if not os.path.exists(os.path.join(build, o))]
if missing:
    sys.exit('check_layers: not built: ' + ' '.join(missing))
# Every object of the folders named must have a layer: a new file must be placed.
for folder in {os.path.dirname(o) for o in layer}:
    for f in sorted(os.listdir(os.path.join(src, folder))):
        if f.endswith('.c') and os.path.join(folder, f[:-2] + '.o') not in layer:
            print('FAIL: %s/%s has no layer in docs/architecture.md' % (folder, f))
            layer = None
            break
    if layer is None:
        sys.exit(1)

defined, used = {}, {}
for o in layer:
    p = os.path.join(build, o)
    defined[o] = nm(p, '-g', '--defined-only')
    used[o] = nm(p, '-u')
owner = {}
for o, syms in defined.items():
    for s in syms:
        owner[s] = o
edges = {}
for o, syms in used.items():
    for s in syms:
        t = owner.get(s)
        if t and t != o:
            edges.setdefault((o, t), []).append(s)
def c(o):
    return o[:-2] + '.c'

bad = known = 0
seen = set()
for (a, b), syms in sorted(edges.items()):
    ra, rb = layer[a][0], layer[b][0]
    # Layers are ranked within one layer line's folder (ike/ with its
    # sub-folders sa/ and v1/ is one library, one ranking).
    if layer[a][2] != layer[b][2]:
        continue
    if rb < ra:
        why = 'upward call (layer %d %s -> layer %d %s)' % (ra, layer[a][1], rb, layer[b][1])
    elif rb == ra and (b, a) in edges:
        why = 'calls within layer %d both ways' % ra
    else:
        continue
    pair = (c(a), c(b))
    seen.add(pair)
    if print_debts:
        print('- `%s -> %s`: %s' % (pair[0], pair[1], ' '.join(sorted(syms))))
    elif pair in debts:
        known += 1
    else:
        print('FAIL: %s -> %s: %s: %s' % (pair[0], pair[1], why, ' '.join(sorted(syms)[:6])))
        bad += 1
for pair in sorted(debts - seen):
    if not print_debts:
        print('FAIL: listed debt %s -> %s is gone: remove it from docs/architecture.md' % pair)
        bad += 1
if not print_debts:
    print('check_layers: %d files, %d calls between files, %d listed debts, %d violations' %
          (len(layer), len(edges), known, bad))
sys.exit(1 if bad else 0)
