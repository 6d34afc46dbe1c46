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

    @Test
    void openapi_completeTakesNext_withTheClaimsMembers() {
        try (ServerFixture f = new ServerFixture()) {
            JsonNode paths = f.admin.as(null).get("/openapi.json").json().path("paths");
            String schema = "/requestBody/content/application~1json/schema";
            JsonNode claim = paths.path("/v1/tasks/claim").path("post").at(schema);
            JsonNode next = paths.path("/v1/tasks/{id}/complete").path("post").at(schema + "/properties/next");

            assertThat(next.path("properties")).isEqualTo(claim.path("properties"));
            assertThat(next.path("required")).isEqualTo(claim.path("required"));
        }
    }
}
