# The image a Strimzi KafkaConnect runs (deploy/k8s/connect.yaml): Strimzi's Kafka image with
# costmeter's sink connectors under /opt/kafka/plugins, Strimzi's documented way to add plugins.
# Build context: the repository root, after deploy/docker/build-context.sh:
#   docker build -f deploy/docker/connect-strimzi.Dockerfile -t costmeter/connect-strimzi:0.1.0-SNAPSHOT .
#
# Strimzi 1.0.0 ships Kafka up to 4.2.0 (not yet the 4.3.1 the apps use). A 4.2 worker runs the
# plugin (it bundles no Kafka jars and uses only the stable Connect API) against 4.3 brokers; move
# to the Strimzi release that ships 4.3.1 when it exists, together with spec.version in connect.yaml.
FROM quay.io/strimzi/kafka:1.0.0-kafka-4.2.0

USER root:root
COPY sink-connectors/target/plugin/costmeter-sink-connectors-0.1.0-SNAPSHOT/ /opt/kafka/plugins/costmeter-sink-connectors/
USER 1001
