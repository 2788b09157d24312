package io.localmodels.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One model served by Ollama: run by the operator, or an external server it only probes and routes to. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("lm")
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Success", jsonPath = ".status.health.successRate", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "P95(ms)", jsonPath = ".status.health.latencyP95Ms", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Circuit", jsonPath = ".status.health.circuit", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class LocalModel extends CustomResource<LocalModelSpec, LocalModelStatus> implements Namespaced {
}
