# Mutants of a libvirt test directory's domain documents: one attribute at a time (each path/attribute pair
# once) set to VALUE ('bogus', or '-5' for the numeric probe). Usage: mutate.py SRC_DIR OUT_DIR VALUE; writes
# the mutants to OUT_DIR and an index "file<TAB>path<TAB>attribute" to OUT_DIR/../index-VALUE.tsv.
import glob, os, sys
import xml.etree.ElementTree as ET
src = sys.argv[1]; out = sys.argv[2]; value = sys.argv[3]
files = sorted(glob.glob(os.path.join(src, "*.xml")))
n = 0; seen = set(); index = open(os.path.join(out, "..", "index-%s.tsv" % value), "w")
def walk(el, path):
    yield el, path
    for c in el:
        yield from walk(c, path + [c.tag])
for f in files:
    try:
        tree = ET.parse(f)
    except Exception:
        continue
    root = tree.getroot()
    if root.tag != "domain":
        continue
    for el, path in walk(root, []):
        if not path or any("}" in p for p in path):
            continue
        for a in list(el.attrib):
            key = ("/".join(path), a)
            if "}" in a or key in seen:
                continue
            seen.add(key)
            old = el.attrib[a]
            el.attrib[a] = value
            name = "%s-%04d.xml" % (value.replace("-", "m"), n)
            tree.write(os.path.join(out, name))
            index.write("%s\t%s\t%s\n" % (name, "/".join(path), a))
            el.attrib[a] = old
            n += 1
print(n)
