# metering-stream: validates, deduplicates, prices and aggregates usage; HTTP API, health and
# /metrics on 8090. Build context: the repository root, after deploy/docker/build-context.sh:
#   docker build -f deploy/docker/metering-stream.Dockerfile -t costmeter/metering-stream:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre

# A fixed numeric uid, so that Kubernetes' runAsNonRoot can verify it and fsGroup can match it.
RUN groupadd --system --gid 10001 costmeter \
 && useradd --system --uid 10001 --gid costmeter --no-create-home --shell /usr/sbin/nologin costmeter \
 && mkdir -p /var/lib/costmeter/state \
 && chown -R 10001:10001 /var/lib/costmeter

# Dependencies first: they change less often than the app, so their layer is reused.
COPY metering-stream/target/docker-lib/ /opt/costmeter/lib/
COPY metering-stream/target/costmeter-metering-stream-0.1.0-SNAPSHOT.jar /opt/costmeter/lib/

USER 10001:10001
WORKDIR /var/lib/costmeter
# RocksDB state lives here; mount a persistent volume on it so a restart restores from disk
# instead of replaying every changelog.
# The parallel (throughput) collector: metering is bound by its stream threads' CPU, and G1's
# barriers and concurrent work cost it 3-9% of its CPU per call; its pauses (a full collection of a
# few hundred ms now and then) only delay the ledger, not spend caps (docs/benchmarks.md, issue #19).
# Transparent huge pages for the heap: fewer TLB misses in a heap of task totals read at random, 7-15%
# less CPU per call at the default and long-task shapes of the benchmark. The JVM asks for them with madvise, so the host's THP
# setting must be "madvise" or "always"; with "never" the JVM warns once and runs on small pages.
# Where a huge-page compaction stall matters more than throughput, add -XX:-UseTransparentHugePages.
ENV COSTMETER_STATE_DIR=/var/lib/costmeter/state \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseParallelGC -XX:+UseTransparentHugePages -XX:+ExitOnOutOfMemoryError"
VOLUME ["/var/lib/costmeter/state"]
EXPOSE 8090
# Ready means RUNNING: a rebalancing instance answers 503 and is reported unhealthy meanwhile.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD curl -fsS http://localhost:8090/health/ready || exit 1
ENTRYPOINT ["java", "-cp", "/opt/costmeter/lib/*", "dev.costmeter.metering.MeteringApp"]
