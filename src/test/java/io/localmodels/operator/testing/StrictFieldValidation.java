package io.localmodels.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD mock API server taught one behaviour of the real one that bit us: a custom resource written with
 * {@code ?fieldValidation=Strict} (what kubectl sends by default) is rejected with 400 when it has a field its CRD's
 * schema does not declare — {@code ModelRouter in version "v1alpha1" cannot be handled as a ModelRouter: strict
 * decoding error: unknown field "spec.callbacks[0].on"}. Other requests pass through unchanged (the real server
 * would prune the unknown fields; the mock keeps them).
 */
public final class StrictFieldValidation extends KubernetesCrudDispatcher {

    private static final Pattern CR_PATH = Pattern.compile("^/apis/([^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/?]+)(?:/[^/?]+)?(?:\\?(.*))?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Schema of each served version, keyed by {@code group/version/plural}; and the kind, for the message. */
    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, String> kinds = new HashMap<>();

    private StrictFieldValidation(List<CustomResourceDefinition> crds) {
        for (CustomResourceDefinition crd : crds) {
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                String key = crd.getSpec().getGroup() + "/" + v.getName() + "/" + crd.getSpec().getNames().getPlural();
                schemas.put(key, JSON.valueToTree(v.getSchema().getOpenAPIV3Schema()));
                kinds.put(key, crd.getSpec().getNames().getKind());
            }
        }
    }

    /** A mock API server (CRUD mode, no expectations) that validates the resources of {@code crds} like the real one. */
    public static KubernetesMockServer server(List<CustomResourceDefinition> crds) {
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new StrictFieldValidation(crds), false);
        server.init();
        return server;
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        MockResponse rejected = rejectUnknownFields(request);
        return rejected != null ? rejected : super.handleCreate(request);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        MockResponse rejected = rejectUnknownFields(request);
        return rejected != null ? rejected : super.handleUpdate(request);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        // a merge patch carries the fields it sets, so it is checked like an object; JSON patches are not
        String type = request.getHeader("Content-Type");
        MockResponse rejected = type != null && type.contains("merge-patch") ? rejectUnknownFields(request) : null;
        return rejected != null ? rejected : super.handlePatch(request);
    }

    private MockResponse rejectUnknownFields(RecordedRequest request) {
        Matcher m = CR_PATH.matcher(request.getPath());
        if (!m.matches() || m.group(4) == null || !m.group(4).contains("fieldValidation=Strict")) {
            return null;
        }
        String key = m.group(1) + "/" + m.group(2) + "/" + m.group(3);
        JsonNode schema = schemas.get(key);
        if (schema == null) {
            return null;
        }
        List<String> unknown = new ArrayList<>();
        try {
            // getBytes leaves the body for the CRUD handler; reading it would consume it
            JsonNode body = JSON.readTree(request.getBody().getBytes());
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                var field = it.next();
                if (!List.of("apiVersion", "kind", "metadata").contains(field.getKey())) {
                    walk(field.getValue(), schema.path("properties").path(field.getKey()), field.getKey(), unknown,
                            schema.path("properties").has(field.getKey()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (unknown.isEmpty()) {
            return null;
        }
        String kind = kinds.get(key);
        String message = kind + " in version \"" + m.group(2) + "\" cannot be handled as a " + kind
                + ": strict decoding error: " + String.join(", ", unknown.stream().map(f -> "unknown field \"" + f + "\"").toList());
        return new MockResponse().setResponseCode(400).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":" + quoted(message) + ",\"reason\":\"BadRequest\",\"code\":400}");
    }

    /** Collects the paths of fields the schema does not declare, in the API server's notation. */
    private static void walk(JsonNode value, JsonNode schema, String at, List<String> unknown, boolean declared) {
        if (!declared) {
            unknown.add(at);
            return;
        }
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                var field = it.next();
                String path = at + "." + field.getKey();
                if (properties.has(field.getKey())) {
                    walk(field.getValue(), properties.get(field.getKey()), path, unknown, true);
                } else if (additional.isObject()) {
                    walk(field.getValue(), additional, path, unknown, true);
                } else if (!additional.asBoolean(false)) {
                    unknown.add(path);
                }
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), schema.path("items"), at + "[" + i + "]", unknown, true);
            }
        }
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
