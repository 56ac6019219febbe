# costmeter's Confluent-compatible schema registry on 8081, storing schemas in the compacted
# _schemas topic. Exactly ONE instance may write to a given topic (no leader election): run one
# replica. Build context: the repository root, after deploy/docker/build-context.sh:
#   docker build -f deploy/docker/registry.Dockerfile -t costmeter/registry:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 costmeter \
 && useradd --system --uid 10001 --gid costmeter --no-create-home --shell /usr/sbin/nologin costmeter

COPY registry/target/docker-lib/ /opt/costmeter/lib/
COPY registry/target/costmeter-registry-0.1.0-SNAPSHOT.jar /opt/costmeter/lib/

USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8081
# The registry has no health route; it binds its port only after reading _schemas to the end,
# so an answer on / means it serves what the topic holds.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8081/ || exit 1
ENTRYPOINT ["java", "-cp", "/opt/costmeter/lib/*", "dev.costmeter.registry.RegistryMain"]
