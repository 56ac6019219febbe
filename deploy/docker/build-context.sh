#!/bin/sh
# Builds everything the Dockerfiles in this directory COPY, then the images. Run from the
# repository root (the Docker build context of every image):
#
#   deploy/docker/build-context.sh            # jars, dependency jars and the Connect plugin
#   deploy/docker/build-context.sh --images   # the same, then docker build of every image
#
# After it, for each app module M: M/target/<artifactId>-<version>.jar and M/target/docker-lib/
# (its runtime dependencies); for the sinks: sink-connectors/target/plugin/<plugin dir>/.
set -eu

VERSION=0.1.0-SNAPSHOT
APPS="registry,metering-stream,alerting-stream,ingest-gateway"

# One reactor run, so that the sibling modules resolve to the jars it just built rather than to
# whatever an older install left in ~/.m2.
./mvnw -B -ntp -DskipTests -pl "$APPS,sink-connectors" -am \
  package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/docker-lib

if [ "${1:-}" = "--images" ]; then
  for name in registry metering-stream alerting-stream ingest-gateway connect connect-strimzi; do
    docker build -f "deploy/docker/$name.Dockerfile" -t "costmeter/$name:$VERSION" .
  done
fi
