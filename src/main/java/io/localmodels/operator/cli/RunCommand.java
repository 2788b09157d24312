package io.localmodels.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.kube.CanonicalStrings;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.config.Shard;
import io.localmodels.operator.fleet.FleetPage;
import io.localmodels.operator.model.OllamaAddressing;
import io.localmodels.operator.ops.LogFormat;
import io.localmodels.operator.ops.OperatorHttpServer;
import io.localmodels.operator.runtime.LocalModelsOperator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the operator against the current kubeconfig, or the in-cluster service account. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the operator against the current kubeconfig or in-cluster configuration.")
public class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    @Spec
    CommandSpec spec;

    @Option(names = "--namespaces", split = ",", paramLabel = "NS", description = "Namespaces to watch (default: all)")
    List<String> namespaces = List.of();

    @Option(names = "--selector", paramLabel = "SELECTOR",
            description = "Manage only the LocalModels and ModelRouters with matching labels (a label selector, e.g. "
                    + "localmodels.io/shard=a): one shard of the fleet (default: all)")
    String selector;

    @Option(names = "--shard-name", paramLabel = "NAME",
            description = "The shard's name: its Lease is localmodels-operator-leader-NAME, and what it creates is "
                    + "labelled localmodels.io/shard=NAME (default: derived from --selector)")
    String shardName;

    @Option(names = "--leader-election", arity = "0..1", paramLabel = "true|false",
            description = "Elect one leader among replicas (default: on in a cluster, off elsewhere)")
    Boolean leaderElection;

    @Option(names = "--log-format", paramLabel = "json|plain", description = "Log lines as JSON (default) or plain text")
    String logFormat = "json";

    @Option(names = "--http-port", description = "Port of /metrics, /healthz, /readyz and /debug/models (default: ${DEFAULT-VALUE})")
    int httpPort = 8080;

    @Option(names = "--ollama-image", description = "Ollama image when a LocalModel names none (default: ${DEFAULT-VALUE})")
    String ollamaImage = OperatorConfig.DEFAULT_OLLAMA_IMAGE;

    @Option(names = "--litellm-image", description = "LiteLLM image when a ModelRouter names none (default: ${DEFAULT-VALUE})")
    String liteLlmImage = OperatorConfig.DEFAULT_LITELLM_IMAGE;

    @Option(names = "--status-period", description = "At most one probe-driven status write per model per period (default: ${DEFAULT-VALUE})")
    String statusPeriod = "30s";

    @Option(names = "--probe-concurrency", description = "Probes in flight at once; model loads get four times as many lanes of their own (default: ${DEFAULT-VALUE})")
    int probeConcurrency = 64;

    @Option(names = "--router-rollout-interval", description = "At most one LiteLLM rollout per router per interval (default: ${DEFAULT-VALUE})")
    String routerRolloutInterval = "30s";

    @Override
    public Integer call() throws Exception {
        if (!List.of("json", "plain").contains(logFormat)) {
            throw new ParameterException(spec.commandLine(), "--log-format: '" + logFormat + "' is not json or plain");
        }
        LogFormat.use(logFormat);
        OperatorConfig config = config();
        KubernetesClient client = CanonicalStrings.client().build();
        String api = client.getConfiguration().getMasterUrl();
        try {
            LOG.info("Kubernetes API {} (version {})", api, client.getKubernetesVersion().getGitVersion());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("run: cannot reach the Kubernetes API at " + api + ": " + rootMessage(e)
                    + "\n(run uses the current kubeconfig, or the service account inside a cluster; "
                    + "`render` works without a cluster)");
            client.close();
            return 1;
        }
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        boolean inCluster = Files.exists(SERVICE_ACCOUNT_TOKEN);
        Optional<LeaderElectionConfiguration> election = Optional.empty();
        if (leaderElection == null ? inCluster : leaderElection) {
            String identity = Optional.ofNullable(System.getenv("POD_NAME")).orElseGet(RunCommand::hostName);
            election = Optional.of(new LeaderElectionConfiguration(config.shard().leaseName(),
                    System.getenv("POD_NAMESPACE"), identity));
        }
        AtomicBoolean started = new AtomicBoolean();
        var operator = new LocalModelsOperator(client, config, OllamaAddressing.inCluster(), registry, election);
        var http = new OperatorHttpServer(httpPort, registry, started::get, () -> operator.health().debugView(),
                refresh -> FleetPage.render(operator.fleet(), refresh, config.clock().instant()),
                FleetPage.DEFAULT_REFRESH_SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            operator.close();
            http.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        operator.start();
        started.set(true);
        LOG.info("operator started; watching {}; managing {}; leader election {}", config.namespaces().isEmpty()
                ? "all namespaces" : config.namespaces(), config.shard().describe(),
                election.map(e -> "on (Lease " + e.getLeaseName() + ")").orElse("off"));
        stopped.await();
        return 0;
    }

    private OperatorConfig config() {
        try {
            return OperatorConfig.defaults()
                    .withNamespaces(new LinkedHashSet<>(namespaces))
                    .withImages(ollamaImage, liteLlmImage)
                    .withStatusPeriod(Durations.parse(statusPeriod, null))
                    .withRouterRolloutInterval(Durations.parse(routerRolloutInterval, null))
                    .withProbeConcurrency(positive(probeConcurrency))
                    .withShard(Shard.of(selector, shardName));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static int positive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--probe-concurrency: must be at least 1");
        }
        return n;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localmodels-operator";
        }
    }
}
