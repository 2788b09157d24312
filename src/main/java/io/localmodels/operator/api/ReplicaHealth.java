package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** How one replica stands in {@code status.health.replicas}: each replica is probed at its own address. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ReplicaHealth {

    @JsonPropertyDescription("The replica's pod")
    private String name;

    @JsonPropertyDescription("Closed, Open or HalfOpen: the replica's own circuit")
    private String circuit;

    @JsonPropertyDescription("Result of the replica's last probe")
    private String lastResult;

    @JsonPropertyDescription("Whether the replica's probes let it serve: its pod's localmodels.io/model-ready condition")
    private Boolean ready;

    public ReplicaHealth() {
    }

    public ReplicaHealth(String name, String circuit, String lastResult, Boolean ready) {
        this.name = name;
        this.circuit = circuit;
        this.lastResult = lastResult;
        this.ready = ready;
    }

    public String getName() { return name; }

    public void setName(String name) { this.name = name; }

    public String getCircuit() { return circuit; }

    public void setCircuit(String circuit) { this.circuit = circuit; }

    public String getLastResult() { return lastResult; }

    public void setLastResult(String lastResult) { this.lastResult = lastResult; }

    public Boolean getReady() { return ready; }

    public void setReady(Boolean ready) { this.ready = ready; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaHealth r && Objects.equals(name, r.name) && Objects.equals(circuit, r.circuit)
                && Objects.equals(lastResult, r.lastResult) && Objects.equals(ready, r.ready);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, circuit, lastResult, ready);
    }
}
