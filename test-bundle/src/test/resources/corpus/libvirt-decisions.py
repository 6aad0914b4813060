# libvirt's own decisions on a list of documents, in one process: each line of stdin is "KIND<TAB>PATH" (KIND
# domain or network); each line out is "PATH<TAB>OK<TAB><TAB>OUTPUT" (libvirt's inactive XML) or "PATH<TAB>ERR<TAB>CODE<TAB>MESSAGE" (the message's
# newlines as \n). Every document is defined on test:///default, then undefined again.
# With JVIRT_LIBVIRT_NO_OUTPUT=1 the output is left empty (libvirt 9.0 corrupts its heap formatting some
# mutated documents it accepted).
import os
import sys
import libvirt

NO_OUTPUT = os.environ.get("JVIRT_LIBVIRT_NO_OUTPUT") == "1"

libvirt.registerErrorHandler(lambda ctx, err: None, None)
conn = libvirt.open("test:///default")
for line in sys.stdin:
    kind, path = line.rstrip("\n").split("\t", 1)
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            xml = f.read()
        if kind == "network":
            obj = conn.networkDefineXML(xml)
            out = "" if NO_OUTPUT else obj.XMLDesc(0)
        else:
            obj = conn.defineXMLFlags(xml, 0)
            out = "" if NO_OUTPUT else obj.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        obj.undefine()
        print("%s\tOK\t\t%s" % (path, out.replace("\\", "\\\\").replace("\n", "\\n")), flush=False)
    except libvirt.libvirtError as e:
        msg = (e.get_error_message() or "").replace("\\", "\\\\").replace("\n", "\\n")
        print("%s\tERR\t%d\t%s" % (path, e.get_error_code(), msg))
    except Exception as e:  # unreadable file
        print("%s\tERR\t-1\t%s" % (path, str(e).replace("\n", " ")))
sys.stdout.flush()
