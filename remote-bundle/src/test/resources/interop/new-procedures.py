# Calls the procedures jvirt added to its table (and one it lacks) through libvirt-python, the stock client,
# on the read-write URI (argv[1]) and the read-only one (argv[2]); prints one line per call: its result, or
# its error's code, domain and message. Run on test:///default and on jvirtd, the lines must agree.
import sys
import libvirt

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def show(name, call):
    try:
        print("%s\t%r" % (name, call()))
    except libvirt.libvirtError as e:
        print("%s\tERR\t%d\t%d\t%s" % (name, e.get_error_code(), e.get_error_domain(), e.get_error_message()))


c = libvirt.open(sys.argv[1])
d = c.lookupByName("test")
show("getSysinfo", lambda: c.getSysinfo(0))
show("getCellsFreeMemory(0,2)", lambda: c.getCellsFreeMemory(0, 2))
show("getCellsFreeMemory(1,1)", lambda: c.getCellsFreeMemory(1, 1))
show("getCellsFreeMemory(2,1)", lambda: c.getCellsFreeMemory(2, 1))
show("getCPUStats(-1)", lambda: sorted(c.getCPUStats(-1).items()))
show("getCPUStats(3)", lambda: sorted(c.getCPUStats(3).items()))
show("getCPUStats(-2)", lambda: c.getCPUStats(-2))
show("getCPUStats flags", lambda: c.getCPUStats(-1, 1))
show("getMemoryStats", lambda: c.getMemoryStats(-1))
for arch in ["x86_64", "ppc64le", "aarch64", "s390x", "mips", "bogus"]:
    show("getCPUModelNames(%s)" % arch, lambda: c.getCPUModelNames(arch))
show("vcpusFlags(0)", lambda: d.vcpusFlags(0))
show("vcpusFlags(MAXIMUM|CONFIG)", lambda: d.vcpusFlags(6))
show("vcpusFlags(LIVE|CONFIG)", lambda: d.vcpusFlags(3))
show("vcpusFlags(GUEST)", lambda: d.vcpusFlags(8))
show("memoryStats", lambda: sorted(d.memoryStats().items()))
show("blockInfo(vda)", lambda: d.blockInfo("vda"))
show("blockInfo(/guest/diskimage1)", lambda: d.blockInfo("/guest/diskimage1"))
show("blockInfo(hda)", lambda: d.blockInfo("hda"))
show("controlInfo", lambda: d.controlInfo())
show("getTime", lambda: d.getTime())
show("hostname", lambda: d.hostname())
show("isUpdated", lambda: d.isUpdated())
show("blockJobInfo (no driver has it)", lambda: d.blockJobInfo("vda", 0))
show("metadata(DESCRIPTION)", lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None))
show("setMetadata(DESCRIPTION)", lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, "a desc", None, None))
show("metadata(DESCRIPTION) again", lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None))
show("metadata(DESCRIPTION, CONFIG)", lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, None, 2))
show("setMetadata(ELEMENT)", lambda: d.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT,
                                                   "<foo a='1'><bar>x</bar></foo>", "app1", "http://app.org/", 2))
show("metadata(ELEMENT, CONFIG)", lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "http://app.org/", 2))
show("metadata(ELEMENT)", lambda: d.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, "http://app.org/"))
show("vcpuPinInfo", lambda: d.vcpuPinInfo(0))
show("pinVcpu", lambda: d.pinVcpu(1, (False, True, True)))
show("vcpuPinInfo(LIVE)", lambda: d.vcpuPinInfo(1))
show("vcpuPinInfo(CONFIG)", lambda: d.vcpuPinInfo(2))
show("emulatorPinInfo", lambda: d.emulatorPinInfo(0))
show("pinEmulator(CONFIG)", lambda: d.pinEmulator((True, False, False, True), 2))
show("emulatorPinInfo(CONFIG)", lambda: d.emulatorPinInfo(2))
show("pinEmulator(empty)", lambda: d.pinEmulator((False,), 0))
show("rename (running)", lambda: d.rename("t2", 0))
show("managedSave", lambda: d.managedSave(0))
show("hasManagedSaveImage", lambda: d.hasManagedSaveImage(0))
show("state", lambda: d.state())
show("undefine", lambda: d.undefine())
show("managedSaveRemove", lambda: d.managedSaveRemove(0))
show("hasManagedSaveImage again", lambda: d.hasManagedSaveImage(0))
show("rename", lambda: d.rename("t2", 0))
show("renamed", lambda: c.lookupByName("t2").UUIDString())
show("rename to itself", lambda: c.lookupByName("t2").rename("t2", 0))
show("create", lambda: c.lookupByName("t2").create())

r = libvirt.openReadOnly(sys.argv[2])
rd = r.lookupByName("t2")
show("ro getTime", lambda: rd.getTime())
show("ro hostname", lambda: rd.hostname())
show("ro vcpusFlags(GUEST)", lambda: rd.vcpusFlags(8))
show("ro vcpusFlags(0)", lambda: rd.vcpusFlags(0))
show("ro managedSave", lambda: rd.managedSave(0))
show("ro setMetadata", lambda: rd.setMetadata(libvirt.VIR_DOMAIN_METADATA_TITLE, "t", None, None))
show("ro blockPull (no driver has it)", lambda: rd.blockPull("vda", 0, 0))
show("ro getSysinfo", lambda: r.getSysinfo(0))
