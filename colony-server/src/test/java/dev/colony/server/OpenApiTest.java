package dev.colony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiTest {

    @Test
    void openapi_describesEveryRouteAndNoOther() {
        try (ServerFixture f = new ServerFixture()) {
            JsonNode doc = f.admin.as(null).get("/openapi.json").json();
            List<String> documented = new ArrayList<>();
            for (var path : doc.path("paths").properties()) {
                for (var op : path.getValue().properties()) {
                    documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }

            assertThat(documented)
                    .as("routes in /openapi.json")
                    .containsExactlyInAnyOrderElementsOf(f.server.routeKeys());
            assertThat(doc.path("openapi").asString()).startsWith("3.1");
        }
    }
}
