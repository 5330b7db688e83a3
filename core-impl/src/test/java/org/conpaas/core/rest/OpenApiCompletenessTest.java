package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.cxf.jaxrs.JAXRSServiceImpl;
import org.apache.cxf.jaxrs.model.ClassResourceInfo;
import org.apache.cxf.jaxrs.model.OperationResourceInfo;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The OpenAPI document lists every operation the API really serves: what CXF published (its own resource model,
 * not our generator's reading of the classes) is compared with the paths and methods of /api/openapi.json.
 */
public class OpenApiCompletenessTest {

    @Test
    public void everyPublishedOperationIsInTheDocument() throws Exception {
        try (RestHarness rest = new RestHarness(new FakeDirector(), "alice")) {
            Set<String> published = published(rest.servers());
            JsonNode paths = rest.anonymous("GET", "/api/openapi.json").json().get("paths");
            Set<String> documented = new TreeSet<>();
            paths.fields().forEachRemaining(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

            assertTrue("published: " + published, published.contains("POST /applications/{app}/services/{svc}/volumes"));
            assertTrue("published: " + published,
                    published.contains("DELETE /applications/{app}/services/{svc}/volumes/{name}"));
            Set<String> missing = new TreeSet<>(published);
            missing.removeAll(documented);
            assertEquals("published but not in the OpenAPI document", Set.of(), missing);
            Set<String> extra = new TreeSet<>(documented);
            extra.removeAll(published);
            assertEquals("in the OpenAPI document but not published", Set.of(), extra);
        }
    }

    /** "METHOD /path" of every operation of the API endpoint, from CXF's model of what it serves. */
    private static Set<String> published(RestServers servers) {
        JAXRSServiceImpl service = (JAXRSServiceImpl) servers.api().getEndpoint().getService();
        Set<String> operations = new TreeSet<>();
        for (ClassResourceInfo resource : service.getClassResourceInfos()) {
            for (OperationResourceInfo operation : resource.getMethodDispatcher().getOperationResourceInfos()) {
                assertTrue("a sub-resource locator escapes the document: " + operation.getMethodToInvoke(),
                        operation.getHttpMethod() != null);
                operations.add(operation.getHttpMethod() + " " + OpenApiGenerator.join(
                        resource.getURITemplate().getValue(), operation.getURITemplate().getValue()));
            }
        }
        assertTrue("CXF published nothing?", operations.size() > 20);
        return operations;
    }
}
