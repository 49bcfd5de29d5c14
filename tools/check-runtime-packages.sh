#!/usr/bin/env bash
# Every shared library the given binaries name comes from a package in
# packaging/install-deps.sh's `run` group, or from the C and C++ runtimes
# every Debian system has: the Dockerfiles' runtime stage installs that group
# and nothing else, so a library linked without its package there is a
# binary that does not start in the image.
#
#   bash tools/check-runtime-packages.sh build/bin/doc-ray build/bin/libdocray_tensor.so
set -euo pipefail

deps="$(dirname "$0")/../packaging/install-deps.sh"
eval "$(sed -n '/^run_packages=(/,/^)/p' "$deps")"
allowed=" ${run_packages[*]} libc6 libstdc++6 libgcc-s1 "
multiarch=$(gcc -print-multiarch)

missing=0
for binary in "$@"; do
    [ -f "$binary" ] || { echo "no such binary: $binary" >&2; exit 2; }
    for library in $(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
        package=$(dpkg -S "*/$multiarch/$library" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
        if [ -z "$package" ]; then
            echo "$binary: $library comes from no installed package" >&2
            missing=1
        elif [[ "$allowed" != *" $package "* ]]; then
            echo "$binary: $library comes from $package, which install-deps.sh's run group lacks" >&2
            missing=1
        fi
    done
done
[ "$missing" -eq 0 ] && echo "every library named by $# binaries is in the run group"
exit "$missing"
