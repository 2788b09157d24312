package io.localmodels.operator.model;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.api.LocalModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each malformed spec gets a problem that names its field; a good spec gets none. */
class LocalModelValidationTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing model               | {}                                                   | spec.model: required
            model with spaces           | {model: 'qwen3 30b'}                                 | spec.model: 'qwen3 30b' is not an Ollama model reference
            negative replicas           | {model: m, replicas: -1}                             | spec.replicas: -1 is outside 0..64
            huge replicas               | {model: m, replicas: 100000}                         | spec.replicas: 100000 is outside 0..64
            unknown gpu vendor          | {model: m, gpu: {count: 1, vendor: intel}}           | spec.gpu.vendor: 'intel' is not one of nvidia, amd
            too many gpus               | {model: m, gpu: {count: 99}}                         | spec.gpu.count: 99 is outside 0..16
            bad resource name           | {model: m, gpu: {count: 1, resourceName: 'gpu'}}     | spec.gpu.resourceName: 'gpu' is not an extended resource name
            bad storage size            | {model: m, storage: {size: 'lots'}}                  | spec.storage.size: 'lots' is not a quantity
            zero storage                | {model: m, storage: {size: '0'}}                     | spec.storage.size: must be larger than zero
            bad keepAlive               | {model: m, ollama: {keepAlive: 'forever'}}           | spec.ollama.keepAlive: 'forever' is not a duration
            keepAlive Ollama reads as 5m | {model: m, ollama: {keepAlive: '1.5'}}              | spec.ollama.keepAlive: '1.5' is not a duration
            keepAlive past int64        | {model: m, ollama: {keepAlive: '9999999999h'}}       | Ollama would silently use 5m
            zero context length         | {model: m, ollama: {contextLength: 0}}               | spec.ollama.contextLength: 0 is below 512 tokens
            tiny context length         | {model: m, ollama: {contextLength: 511}}             | spec.ollama.contextLength: 511 is below 512
            huge context length         | {model: m, ollama: {contextLength: 20000000}}        | spec.ollama.contextLength: 20000000 is outside 512..10000000
            dot in a namespace          | {model: 'my.team/qwen3'}                             | spec.model: 'my.team/qwen3' is not an Ollama model reference
            empty tag                   | {model: 'qwen3:'}                                    | spec.model: 'qwen3:' is not an Ollama model reference
            negative group              | {model: m, gpu: {count: 1, vendor: amd, supplementalGroups: [44, -1]}} | spec.gpu.supplementalGroups[1]: -1 is not a group ID
            group past int32            | {model: m, gpu: {count: 1, supplementalGroups: [4294967296]}} | spec.gpu.supplementalGroups[0]: 4294967296 is not a group ID
            bad numParallel             | {model: m, ollama: {numParallel: 0}}                 | spec.ollama.numParallel: 0 is outside 1..256
            bad probe interval          | {model: m, probe: {interval: '30 seconds'}}          | spec.probe.interval: '30 seconds' is not a duration
            unquoted off                | {model: m, probe: {think: false}}                    | write "off"
            unknown think               | {model: m, probe: {think: max}}                      | spec.probe.think: 'max' is not one of auto, off, low, medium, high
            zero maxTokens              | {model: m, probe: {maxTokens: 0}}                    | spec.probe.maxTokens: 0 is outside 1..32768
            threshold over 100          | {model: m, circuitBreaker: {failureRateThreshold: 150}} | spec.circuitBreaker.failureRateThreshold: 150 is outside 1..100
            bad open duration           | {model: m, circuitBreaker: {openDuration: '-5s'}}    | spec.circuitBreaker.openDuration: '-5s' is not a duration
            external with gpu           | {model: m, external: {url: 'http://a:11434'}, gpu: {count: 1}} | spec.external: excludes spec.gpu
            external without url        | {model: m, external: {}}                             | spec.external.url: required
            external ftp url            | {model: m, external: {url: 'ftp://box'}}             | spec.external.url: 'ftp://box' is not an http(s) URL
            zero probe interval         | {model: m, probe: {interval: 0s}}                    | spec.probe.interval: must be longer than 0
            zero open duration          | {model: m, circuitBreaker: {openDuration: 0ms}}      | spec.circuitBreaker.openDuration: must be longer than 0
            cpu that is no quantity     | {model: m, resources: {requests: {cpu: lots}}}       | spec.resources.requests.cpu: 'lots' is not a quantity
            negative memory limit       | {model: m, resources: {limits: {memory: -1Gi}}}      | spec.resources.limits.memory: must not be negative
            """)
    void namesTheField(String title, String spec, String expected) {
        assertThat(problems("ok-name", spec)).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void namesTooLongForAStatefulSetAreRejected() {
        assertThat(problems("a".repeat(53), "{model: m}")).singleElement().asString().startsWith("metadata.name:");
        assertThat(problems("a".repeat(52), "{model: m}")).isEmpty();
        assertThat(problems("Upper", "{model: m}")).singleElement().asString().startsWith("metadata.name:");
    }

    @Test
    void aMegabyteStringIsReportedShort() {
        List<String> problems = problems("ok", "{model: '" + "x ".repeat(500_000) + "'}");
        assertThat(problems).singleElement().asString().hasSizeLessThan(200).contains("spec.model");
    }

    @Test
    void theSamplesAreValid() {
        assertThat(problems("qwen3-30b", """
                {model: 'qwen3:30b', gpu: {count: 1, vendor: nvidia, product: NVIDIA-A100-SXM4-80GB, runtimeClassName: nvidia},
                 storage: {size: 50Gi}, ollama: {keepAlive: '-1', contextLength: 32768, numParallel: 2},
                 probe: {interval: 30s, timeout: 60s, think: 'off'}, circuitBreaker: {openDuration: 1m30s}}""")).isEmpty();
        assertThat(problems("ext", "{model: 'llama3.2:3b', external: {url: 'http://gpu-box.lan:11434'}}")).isEmpty();
    }

    @Test
    void acceptsWhatOllamaReads() {
        assertThat(problems("ok", """
                {model: 'registry.ollama.ai/library/qwen3:30b', gpu: {count: 1, vendor: amd, supplementalGroups: [44, 992]},
                 ollama: {keepAlive: '1h30m', contextLength: 512}}""")).isEmpty();
        assertThat(problems("ok", "{model: 'hf.co/unsloth/gpt-oss-20b-GGUF:Q4_K_M', ollama: {keepAlive: '3600'}}")).isEmpty();
        assertThat(problems("ok", "{model: 'registry.lan:5000/team/coder', ollama: {keepAlive: '300ms'}}")).isEmpty();
    }

    private static List<String> problems(String name, String specYaml) {
        LocalModel lm = YAML.unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: %s, namespace: llm}
                spec: %s
                """.formatted(name, specYaml), LocalModel.class);
        return LocalModelValidation.problems(lm);
    }
}
