#!/usr/bin/env bash
# Gathers the GPU trainer's runtime classpath into one folder: the trainer (models), the core, and
# the three cloud store providers (so --store s3://, azblob:// and gs:// all work), without the CPU
# build of libtorch (the image brings libtorch for CUDA). Run from the repository root.
set -euo pipefail
out=${1:?usage: trainer-classpath.sh OUTPUT_DIR}
modules=models,adapters/aws,adapters/azure,adapters/gcp
mkdir -p "$out"
./mvnw -B -q -DskipTests -pl "$modules" -am package dependency:copy-dependencies \
  -DincludeScope=runtime -DexcludeArtifactIds=pytorch-native-cpu -DoutputDirectory="$out"
for module in models adapters/aws adapters/azure adapters/gcp; do
  cp "$module"/target/triad-*-[0-9]*.jar "$out"/
done
# the Lambda runtime and the Functions worker provide these on their platforms; the trainer needs none
rm -f "$out"/aws-lambda-java-* "$out"/azure-functions-java-* "$out"/functions-framework-api-*
