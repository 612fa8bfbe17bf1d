#!/usr/bin/env bash
# Gathers the GPU trainer's runtime classpath into one folder: the trainer (models), the core, and
# the three cloud store providers (so --store s3://, azblob:// and gs:// all work), without the CPU
# build of libtorch (the image brings libtorch for CUDA). The module models/image resolves them
# together (one version of each artifact, one logging provider) into models/image/target/trainer-lib;
# its TrainerClasspathTest checks that folder. Run from the repository root.
set -euo pipefail
out=${1:?usage: trainer-classpath.sh OUTPUT_DIR}
./mvnw -B -q -DskipTests -pl models/image -am package
mkdir -p "$out"
cp models/image/target/trainer-lib/*.jar "$out"/
