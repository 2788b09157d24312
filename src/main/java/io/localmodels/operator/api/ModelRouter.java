package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A standalone LiteLLM proxy with routing and fallback policy over LocalModels. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("mr")
@AdditionalPrinterColumn(name = "Models", jsonPath = ".status.modelCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Healthy", jsonPath = ".status.healthy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@JsonDeserialize(using = ModelRouter.Reader.class)
public class ModelRouter extends CustomResource<ModelRouterSpec, ModelRouterStatus> implements Namespaced {

    @JsonIgnore
    private transient String unreadableSpec;

    /** Why the stored spec could not be read (the spec is then null), naming the field; null when it was read. */
    @JsonIgnore
    public String getUnreadableSpec() {
        return unreadableSpec;
    }

    /** Copies are made by serializing, which cannot carry the reason: {@link TolerantReader#cloner} copies it. */
    void setUnreadableSpec(String why) {
        this.unreadableSpec = why;
    }

    /** Reads a ModelRouter whose spec may not fit these types, see {@link TolerantReader}. */
    public static final class Reader extends JsonDeserializer<ModelRouter> {
        @Override
        public ModelRouter deserialize(JsonParser p, DeserializationContext ctxt) throws java.io.IOException {
            return TolerantReader.read(p, new ModelRouter(), ModelRouterSpec.class, ModelRouterStatus.class,
                    (r, why) -> r.unreadableSpec = why);
        }
    }
}
