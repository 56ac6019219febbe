# ingest-gateway: OTLP/HTTP traces, JSON and CloudEvents usage, kill switches over HTTP (check and
# Server-Sent Events); health and /metrics on 8092. Stateless: scale it freely behind a load
# balancer. Build context: the repository root, after deploy/docker/build-context.sh:
#   docker build -f deploy/docker/ingest-gateway.Dockerfile -t costmeter/ingest-gateway:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 costmeter \
 && useradd --system --uid 10001 --gid costmeter --no-create-home --shell /usr/sbin/nologin costmeter

COPY ingest-gateway/target/docker-lib/ /opt/costmeter/lib/
COPY ingest-gateway/target/costmeter-ingest-gateway-0.1.0-SNAPSHOT.jar /opt/costmeter/lib/

USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8092
# Ready once its kill-switch table has read llm.control.v1 to the end.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8092/health/ready || exit 1
ENTRYPOINT ["java", "-cp", "/opt/costmeter/lib/*", "dev.costmeter.gateway.GatewayApp"]
