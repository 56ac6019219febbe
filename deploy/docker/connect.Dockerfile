# A Kafka Connect distributed worker (REST on 8083) with costmeter's sink connectors on its
# plugin.path, for Docker Compose. Build context: the repository root, after
# deploy/docker/build-context.sh (or ./mvnw -pl sink-connectors -am package):
#   docker build -f deploy/docker/connect.Dockerfile -t costmeter/connect:0.1.0-SNAPSHOT .
# Kubernetes uses connect-strimzi.Dockerfile instead: Strimzi needs its own base image.
FROM apache/kafka:4.3.1

COPY sink-connectors/target/plugin/costmeter-sink-connectors-0.1.0-SNAPSHOT/ /opt/costmeter/plugins/costmeter-sink-connectors/
COPY deploy/docker/connect/worker.properties /opt/costmeter/connect/worker.properties
COPY deploy/docker/connect/entrypoint.sh /opt/costmeter/connect/entrypoint.sh

# The base image's unprivileged user; the worker writes only to /tmp (its merged config).
USER appuser
EXPOSE 8083
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD wget -q -O /dev/null http://localhost:8083/connectors || exit 1
ENTRYPOINT ["/bin/sh", "/opt/costmeter/connect/entrypoint.sh"]
