# The LocalModels operator image: the fat jar on a Java 17 JRE, running as a non-root user.
# Build the jar first (the image does not run Maven), then the image; the chart's default image is this tag:
#   mvn -B package
#   docker build -t ghcr.io/localmodels/localmodels-operator:0.1.0 .
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="localmodels-operator" \
      org.opencontainers.image.description="Kubernetes operator for local LLMs: Ollama models, inference health probes, a health-aware LiteLLM router" \
      org.opencontainers.image.version="0.1.0"

# A fixed numeric user, so that runAsNonRoot can be verified and the chart's runAsUser matches.
RUN groupadd --system --gid 65532 localmodels \
 && useradd --system --uid 65532 --gid 65532 --home-dir /app --no-create-home --shell /usr/sbin/nologin localmodels

WORKDIR /app
COPY target/localmodels-operator.jar /app/localmodels-operator.jar

USER 65532:65532
EXPOSE 8080

# Heap sized from the container's memory limit; an OutOfMemoryError ends the process so Kubernetes restarts it
# instead of leaving a half-working operator. Extra flags go in JAVA_TOOL_OPTIONS (the chart's jvmOptions).
# The subcommand is CMD, not part of ENTRYPOINT, so that `render` and `probe` run from the same image.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/app/localmodels-operator.jar"]
CMD ["run"]
