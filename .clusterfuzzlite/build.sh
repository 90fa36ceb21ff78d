#!/bin/bash -eu
# One build script for OSS-Fuzz and ClusterFuzzLite.
exec "$SRC/pasidfuzz/ci/oss-fuzz/build.sh"
