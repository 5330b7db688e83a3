package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.net.URI;
import java.net.URISyntaxException;

import org.junit.Test;

public class MalformedRequestsTest {

    @Test
    public void theShortcutForPlainPathsAgreesWithTheUriParserForEveryAsciiCharacter() {
        for (char c = 0; c < 128; c++) {
            String path = "/api/v1/a" + c + "b";
            if (MalformedRequests.onlyPathCharacters(path)) {
                assertEquals("character " + (int) c, true, parses(path.replace("%", "%41")));
            }
        }
    }

    @Test
    public void plainPathsAreFineAndBrokenOnesAreStillFound() {
        assertNull(MalformedRequests.problem("/api/v1/applications", null));
        assertNull(MalformedRequests.problem("/api/v1/a;x=1/b%20c@d:e~", "q=1"));
        assertNull(MalformedRequests.problem("/api/v1/caf%C3%A9", null));
        assertNotNull(MalformedRequests.problem("/api/v1/x;%", null));
        assertNotNull(MalformedRequests.problem("/api/v1/a", "q=%zz"));
        assertNotNull(MalformedRequests.problem("/api/v1/a b", null));
        assertNotNull(MalformedRequests.problem("/api/v1/a|b", null));
        assertNotNull(MalformedRequests.problem("/api/v1/{id}", null));
    }

    private static boolean parses(String path) {
        try {
            new URI("http://localhost" + path);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
