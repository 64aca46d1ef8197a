# syntax=docker/dockerfile:1
# RingKV's container image: kv-server and kvctl on a JRE, as a non-root user.
#   docker build -t ringkv/kv-server:dev .          (or: minikube image build -t ringkv/kv-server:dev .)
# Without a Docker daemon: ./mvnw -Pimage -pl kv-server -am package jib:buildTar (docs/kubernetes.md).
#
# Layout (the Helm chart relies on it):
#   /opt/ringkv/bin/kv-server   the node; settings from RINGKV_* variables and flags
#   /opt/ringkv/bin/kvctl       the command-line client (the chart's preStop drain runs it)
#   /opt/ringkv/lib/kv-server/  kv-server's jar and its runtime dependencies
#   /opt/ringkv/lib/kv-cli/     kvctl's jar and its runtime dependencies (separate: each has
#                               its own logback.xml at the classpath root)
#   /var/lib/ringkv             data (a volume in Kubernetes)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a change of sources reuses the cached download layer.
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY kv-api/pom.xml kv-api/
COPY kv-router/pom.xml kv-router/
COPY kv-raft/pom.xml kv-raft/
COPY kv-server/pom.xml kv-server/
COPY kv-client/pom.xml kv-client/
COPY kv-cli/pom.xml kv-cli/
COPY kv-bench/pom.xml kv-bench/
COPY chaos/pom.xml chaos/
COPY helm/pom.xml helm/
COPY docs/pom.xml docs/
COPY kv-api/src kv-api/src
COPY kv-router/src kv-router/src
COPY kv-raft/src kv-raft/src
COPY kv-server/src kv-server/src
COPY kv-client/src kv-client/src
COPY kv-cli/src kv-cli/src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests package -pl kv-server,kv-cli -am \
 && mkdir -p /out/lib/kv-server /out/lib/kv-cli \
 && cp kv-server/target/lib/*.jar kv-server/target/kv-server-*.jar /out/lib/kv-server/ \
 && cp kv-cli/target/lib/*.jar kv-cli/target/kv-cli-*.jar /out/lib/kv-cli/ \
 && rm -f /out/lib/*/*-tests.jar /out/lib/*/*-sources.jar

FROM eclipse-temurin:17-jre
# A fixed uid/gid that the chart's securityContext names (runAsUser 10001, fsGroup 10001).
RUN groupadd --system --gid 10001 ringkv \
 && useradd --system --uid 10001 --gid ringkv --home-dir /var/lib/ringkv --shell /usr/sbin/nologin ringkv \
 && mkdir -p /var/lib/ringkv \
 && chown ringkv:ringkv /var/lib/ringkv
COPY --from=build /out/lib/kv-server/ /opt/ringkv/lib/kv-server/
COPY --from=build /out/lib/kv-cli/ /opt/ringkv/lib/kv-cli/
COPY --chmod=0755 docker/bin/kv-server docker/bin/kvctl /opt/ringkv/bin/
ENV PATH=/opt/ringkv/bin:$PATH \
    RINGKV_BIND_HOST=0.0.0.0 \
    RINGKV_DATA_DIR=/var/lib/ringkv/data
USER 10001:10001
WORKDIR /var/lib/ringkv
VOLUME ["/var/lib/ringkv"]
# Raft, gRPC API, admin HTTP (/metrics, /healthz, /readyz, dashboard) when run with
# --raft-port 7000 --api-port 8000 --admin-port 9000, as the Helm chart does.
EXPOSE 7000 8000 9000
ENTRYPOINT ["/opt/ringkv/bin/kv-server"]
