package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Teaches the CRUD mock API server the field selectors a real one serves on core/v1 Event lists. The mock matches a
 * field selector only against {@code metadata.name} and {@code metadata.namespace}, so {@code involvedObject.uid=…}
 * selects nothing there; the API server selects by the Event's fields below and answers 400 for any other field
 * ({@code field label not supported: …}). Lists only: nothing here watches Events.
 */
public final class EventFieldSelectors extends Dispatcher {

    private static final Pattern EVENT_LIST = Pattern.compile("/api/v1(/namespaces/[^/]+)?/events");

    /** The API server's selectable fields of an Event (pkg/apis/core/v1 field label conversion for Event). */
    private static final Map<String, Function<Event, String>> FIELDS = Map.ofEntries(
            Map.entry("metadata.name", e -> e.getMetadata().getName()),
            Map.entry("metadata.namespace", e -> e.getMetadata().getNamespace()),
            Map.entry("involvedObject.kind", e -> ref(e).getKind()),
            Map.entry("involvedObject.namespace", e -> ref(e).getNamespace()),
            Map.entry("involvedObject.name", e -> ref(e).getName()),
            Map.entry("involvedObject.uid", e -> ref(e).getUid()),
            Map.entry("involvedObject.apiVersion", e -> ref(e).getApiVersion()),
            Map.entry("involvedObject.resourceVersion", e -> ref(e).getResourceVersion()),
            Map.entry("involvedObject.fieldPath", e -> ref(e).getFieldPath()),
            Map.entry("reason", Event::getReason),
            Map.entry("reportingComponent", Event::getReportingComponent),
            Map.entry("source", e -> e.getSource() == null ? null : e.getSource().getComponent()),
            Map.entry("type", Event::getType));

    private final Dispatcher next;
    private final KubernetesSerialization json = new KubernetesSerialization();

    public EventFieldSelectors(Dispatcher next) {
        this.next = next;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String target = request.getPath();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        List<String> params = q < 0 ? List.of() : Arrays.asList(target.substring(q + 1).split("&"));
        String selector = params.stream().filter(p -> p.startsWith("fieldSelector="))
                .map(p -> URLDecoder.decode(p.substring("fieldSelector=".length()), StandardCharsets.UTF_8))
                .findFirst().orElse(null);
        if (!"GET".equals(request.getMethod()) || !EVENT_LIST.matcher(path).matches() || selector == null
                || params.contains("watch=true")) {
            return next.dispatch(request);
        }
        List<Predicate<Event>> requirements = new ArrayList<>();
        for (String term : selector.split(",")) {
            boolean negated = term.contains("!=");
            String[] kv = term.split(negated ? "!=" : "==?", 2);
            if (kv.length != 2 || !FIELDS.containsKey(kv[0])) {
                return badRequest("field label not supported: " + kv[0]);
            }
            Function<Event, String> field = FIELDS.get(kv[0]);
            String value = kv[1];
            // an absent field reads as the empty string, as in the API server
            requirements.add(e -> negated != value.equals(Objects.requireNonNullElse(field.apply(e), "")));
        }
        String rest = params.stream().filter(p -> !p.startsWith("fieldSelector=")).collect(Collectors.joining("&"));
        MockResponse all = next.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(),
                rest.isEmpty() ? path : path + "?" + rest, request.getHeaders(), request.getBody()));
        if (all.code() != 200) {
            return all;
        }
        EventList list = json.unmarshal(all.getBody().readUtf8(), EventList.class);
        list.setItems(list.getItems().stream().filter(e -> requirements.stream().allMatch(r -> r.test(e))).toList());
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(json.asJson(list));
    }

    private static ObjectReference ref(Event e) {
        return e.getInvolvedObject() == null ? new ObjectReference() : e.getInvolvedObject();
    }

    private static MockResponse badRequest(String message) {
        return new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
                        + "\",\"reason\":\"BadRequest\",\"code\":400}");
    }

    @Override
    public void shutdown() {
        next.shutdown();
    }
}
