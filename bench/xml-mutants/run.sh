#!/bin/bash
# Single-attribute mutants of libvirt's QEMU test documents, defined on libvirt 9.0's test driver: which
# attributes libvirt checks, and (with the table) how often jvirt decides as libvirt does. See
# docs/xml-fidelity.md. Usage: bench/xml-mutants/run.sh LIBVIRT_SOURCE_DIR [WORK_DIR]
set -euo pipefail
src=${1:?libvirt source directory}; work=${2:-/tmp/jvirt-xml-mutants}
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
rm -rf "$work"; mkdir -p "$work/tests/mutated" "$work/tests/genericxml2xmlindata"
for v in bogus -5; do python3 "$here/mutate.py" "$src/tests/qemuxml2xmloutdata" "$work/tests/mutated" "$v"; done
mv "$work/tests/index-"*.tsv "$work/"
ls "$work/tests/mutated"/*.xml | sed 's|^|domain\t|' \
    | JVIRT_LIBVIRT_NO_OUTPUT=1 /usr/bin/python3 "$repo/test-bundle/src/test/resources/corpus/libvirt-decisions.py" \
    | sed "s|^$work/tests/mutated/||" > "$work/libvirt.tsv"
python3 "$here/tables.py" "$work" > "$work/attribute-rules.candidates"
echo "table candidates: $work/attribute-rules.candidates (compare with api-bundle's attribute-rules.txt)"
cd "$repo" && JVIRT_LIBVIRT_NO_OUTPUT=1 mvn -o -q -pl test-bundle -am test -Dtest=LibvirtCorpusExtraTest \
    -Dsurefire.failIfNoSpecifiedTests=false -Djvirt.corpus.extra=mutated -Djvirt.corpus="$work"
echo "report: $repo/test-bundle/target/corpus-extra-report.txt"
