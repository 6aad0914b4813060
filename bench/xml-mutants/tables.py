# From libvirt's decisions on the mutants: the (path, attribute) pairs libvirt reads as an enumeration
# ("Invalid value for attribute 'a' in element 'e': 'bogus'.") or as a number ("Expected non-negative integer
# value" / "Expected integer value"), with the enumeration's values from the schema. Usage: tables.py WORK,
# where WORK holds index-bogus.tsv, index--5.tsv and libvirt.tsv (libvirt-decisions.py's answers); prints the
# lines of api-bundle's attribute-rules.txt.
import re, sys, collections
import xml.etree.ElementTree as ET
NS = "{http://relaxng.org/ns/structure/1.0}"
idx = {}
for v in ("bogus", "-5"):
    for line in open(sys.argv[1] + "/index-%s.tsv" % v):
        f, path, a = line.rstrip("\n").split("\t"); idx[f] = (path, a, v)
res = {}
for line in open(sys.argv[1] + "/libvirt.tsv"):
    p = line.rstrip("\n").split("\t", 3)
    f = p[0].rsplit("/", 1)[-1]
    path, a, v = idx[f]
    if p[1] != "ERR":
        res.setdefault((path, a), {})[v] = "OK"; continue
    msg = p[3]
    el = path.split("/")[-1]
    exact = "Invalid value for attribute '%s' in element '%s': '%s'" % (a, el, v)
    kind = None
    if msg.startswith("XML error: " + exact + ". Expected non-negative integer value"): kind = "uint"
    elif msg.startswith("XML error: " + exact + ". Expected integer value"): kind = "int"
    elif msg.startswith("XML error: " + exact + ". Expected non-negative value"): kind = "nonneg"
    elif msg == "XML error: " + exact + ".": kind = "enum"
    res.setdefault((path, a), {})[v] = kind or ("other:" + msg[:80])
# schema values per (element, attribute)
defs = {}
for fn in ["domaincommon.rng", "domainoverrides.rng", "basictypes.rng", "storagecommon.rng", "networkcommon.rng", "cputypes.rng", "nwfilter_params.rng"]:
    for d in ET.parse("/usr/share/libvirt/schemas/" + fn).getroot().iter(NS + "define"):
        defs.setdefault(d.get("name"), []).append(d)
OPEN_MARK = "\x00open"
def values(node, seen, out):
    for c in node:
        t = c.tag.replace(NS, "")
        if t in ("data", "text"): out.add(OPEN_MARK)
        if t == "value": out.add((c.text or "").strip())
        elif t == "ref":
            r = c.get("name")
            if r not in seen:
                seen.add(r)
                for d in defs.get(r, []): values(d, seen, out)
        elif t in ("element", "attribute"): continue
        else: values(c, seen, out)
def attrs_in(node, elname, aname, seen, found, inside):
    for c in node:
        t = c.tag.replace(NS, "")
        if t == "element":
            attrs_in(c, elname, aname, seen, found, c.get("name") == elname)
        elif t == "attribute":
            if inside and c.get("name") == aname:
                vals = set(); values(c, set(), vals)
                isopen = OPEN_MARK in vals or not vals
                vals.discard(OPEN_MARK)
                found.append((vals, isopen))
        elif t == "ref":
            r = c.get("name")
            key = (r, inside)
            if key not in seen:
                seen.add(key)
                for d in defs.get(r, []): attrs_in(d, elname, aname, seen, found, inside)
        else:
            attrs_in(c, elname, aname, seen, found, inside)
root_defs = [d for ds in defs.values() for d in ds]
enums, uints, ints = [], [], []
for (path, a), r in sorted(res.items()):
    if r.get("bogus") == "enum":
        el = path.split("/")[-1]
        found = []
        for d in root_defs: attrs_in(d, el, a, set(), found, False)
        vals = set().union(*[v for v, _ in found]) if found else set()
        free = any(f for _, f in found)
        if vals and not free:
            enums.append((path, a, sorted(vals)))
        else:
            print("# no closed value list for", path, a, file=sys.stderr)
    if r.get("bogus") == "uint" and r.get("-5") == "uint": uints.append((path, a))
    if r.get("bogus") == "int" and r.get("-5") in ("nonneg",): ints.append((path, a, "nonneg"))
    if r.get("bogus") == "int" and r.get("-5") == "OK": ints.append((path, a, "int"))
for path, a, vals in enums:
    print("enum %s %s %s" % (path, a, " ".join(vals)))
for path, a in uints:
    print("uint %s %s" % (path, a))
for path, a, k in ints:
    print("%s %s %s" % (k, path, a))
