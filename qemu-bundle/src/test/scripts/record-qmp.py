#!/usr/bin/env python3
"""Records QEMU's replies for the QMP golden files (QmpGoldenTest).

For every src/test/resources/qmp/NAME.request it sends that exact line to a real
qemu-system-x86_64 and writes everything QEMU says in answer (events included, up to
the reply with the request's id and any events right after it) to NAME.reply.
Run from qemu-bundle: python3 src/test/scripts/record-qmp.py [/path/to/qemu-system-x86_64]
The guest paths in the requests live under /tmp/jvirt-qmp.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

QEMU = sys.argv[1] if len(sys.argv) > 1 else "/usr/bin/qemu-system-x86_64"
HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "resources", "qmp")
WORK = "/tmp/jvirt-qmp"

BASE = [QEMU, "-S", "-no-user-config", "-nodefaults", "-display", "none", "-machine", "pc,accel=tcg",
        "-m", "256", "-smp", "2,maxcpus=4"]


class Qmp:
    def __init__(self, args, name):
        self.path = os.path.join(WORK, name + ".sock")
        self.proc = subprocess.Popen(args + ["-qmp", "unix:%s,server=on,wait=off" % self.path],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(self.path)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise SystemExit("no monitor for " + name)
        self.file = self.sock.makefile("rwb")
        self.greeting = self.file.readline().decode()

    def lines_until(self, id, drain=0.3):
        out = []
        while True:
            line = self.file.readline().decode()
            if not line:
                return out
            out.append(line)
            if json.loads(line).get("id") == id:
                break
        # events that QEMU sends right after the reply belong to this exchange too
        self.sock.settimeout(drain)
        try:
            while True:
                line = self.file.readline().decode()
                if not line:
                    break
                out.append(line)
        except (socket.timeout, OSError):
            pass
        self.sock.settimeout(None)
        self.file = self.sock.makefile("rwb")
        return out

    def raw(self, cmd, args=None):
        msg = {"execute": cmd, "id": "setup"}
        if args is not None:
            msg["arguments"] = args
        self.file.write((json.dumps(msg) + "\n").encode())
        self.file.flush()
        for line in self.lines_until("setup", drain=0.05):
            m = json.loads(line)
            if m.get("id") == "setup":
                if "error" in m:
                    raise SystemExit("setup %s failed: %s" % (cmd, m))
                return m["return"]

    def case(self, name):
        with open(os.path.join(GOLDEN, name + ".request")) as f:
            line = f.read()
        id = json.loads(line)["id"]
        self.file.write(line.encode())
        self.file.flush()
        got = self.lines_until(id)
        with open(os.path.join(GOLDEN, name + ".reply"), "w") as f:
            f.write("".join(got))
        print(name, "->", len(got), "line(s)")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    for disk in ("disk0.img", "disk1.img", "disk2.img"):
        with open(os.path.join(WORK, disk), "wb") as f:
            f.truncate(1 << 20)
    main_vm = BASE + [
        "-chardev", "pty,id=charserial0", "-device", "isa-serial,chardev=charserial0,id=serial0",
        "-device", "virtio-balloon-pci,id=balloon0,bus=pci.0,addr=0x4",
        "-blockdev", json.dumps({"driver": "file", "filename": WORK + "/disk0.img",
                                 "node-name": "virtio-disk0-storage", "read-only": False}),
        "-blockdev", json.dumps({"node-name": "virtio-disk0-format", "read-only": False, "driver": "raw",
                                 "file": "virtio-disk0-storage"}),
        "-device", json.dumps({"driver": "virtio-blk-pci", "bus": "pci.0", "addr": "0x5",
                               "drive": "virtio-disk0-format", "id": "virtio-disk0"}),
        "-blockdev", json.dumps({"driver": "file", "filename": WORK + "/disk1.img",
                                 "node-name": "virtio-disk1-storage", "read-only": False}),
        "-blockdev", json.dumps({"node-name": "virtio-disk1-format", "read-only": False, "driver": "raw",
                                 "file": "virtio-disk1-storage"}),
    ]
    q = Qmp(main_vm, "main")
    with open(os.path.join(GOLDEN, "greeting.reply"), "w") as f:
        f.write(q.greeting)
    q.case("qmp_capabilities")
    for name in ("query-version", "query-target", "query-machines", "qom-list-types-accel",
                 "qom-list-types-device", "query-status", "cont", "query-status-running", "stop",
                 "system_reset", "system_powerdown", "query-cpus-fast", "query-hotpluggable-cpus",
                 "balloon", "query-balloon", "query-chardev", "blockdev-add", "blockdev-del", "device_add",
                 "query-blockstats", "device_del", "device_del-missing", "netdev_add", "netdev_del",
                 "dump-guest-memory"):
        q.case(name)
    while q.raw("query-dump")["status"] == "active":
        time.sleep(0.05)
    q.case("query-dump")
    q.case("migrate-set-parameters")
    q.case("migrate")
    while q.raw("query-migrate")["status"] not in ("completed", "failed"):
        time.sleep(0.05)
    q.case("query-migrate")
    q.case("migrate_cancel")
    q.case("quit")
    q.proc.wait(10)

    inc = Qmp(BASE + ["-incoming", "defer"], "incoming")
    inc.raw("qmp_capabilities")
    inc.case("query-status-inmigrate")
    inc.case("migrate-incoming")
    inc.raw("quit")
    inc.proc.wait(10)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
