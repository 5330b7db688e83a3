package org.conpaas.frontend;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** The console answers its own files and the two libraries, with their types and policies, and nothing else. */
public class ConsoleFilesTest {

    private final ConsoleFiles files = new ConsoleFiles(ConsoleFilesTest.class.getClassLoader());

    @Test
    public void pagesScriptsAndLibraries() {
        ConsoleFiles.ConsoleFile index = files.find("/").orElseThrow();
        assertEquals("text/html; charset=utf-8", index.contentType());
        assertTrue(index.contentSecurityPolicy().contains("script-src 'self';"));
        assertFalse(index.contentSecurityPolicy().contains("unsafe"));
        assertEquals(index.url(), files.find(null).orElseThrow().url());
        assertEquals("text/javascript; charset=utf-8", files.find("/js/main.js").orElseThrow().contentType());
        assertEquals("text/css; charset=utf-8", files.find("/css/console.css").orElseThrow().contentType());
        ConsoleFiles.ConsoleFile api = files.find("/api").orElseThrow();
        assertTrue(api.url().toString().endsWith("api.html"));
        assertTrue(api.contentSecurityPolicy().contains("style-src 'self' 'unsafe-inline'"));
        assertFalse(api.contentSecurityPolicy().contains("script-src 'self' 'unsafe"));
        assertTrue(files.find("/lib/uplot/uPlot.iife.min.js").orElseThrow().versioned());
        assertTrue(files.find("/lib/uplot/uPlot.min.css").isPresent());
        assertTrue(files.find("/lib/swagger-ui/swagger-ui-bundle.js").isPresent());
        assertTrue(files.find("/lib/swagger-ui/swagger-ui.css").isPresent());
    }

    @Test
    public void nothingElse() {
        for (String path : List.of("/../console-libraries.properties", "/js/../../META-INF/MANIFEST.MF",
                "/lib/uplot/../../swagger-ui/5/index.html", "/lib/other/x.js", "/lib/uplot", "/no-such.html",
                "/org/conpaas/frontend/ConsoleServlet.class", "/js\\main.js", "/js/main.js%00", "//etc/passwd",
                "/.hidden.js", "/js/main.exe", "/console-libraries.properties")) {
            assertFalse(path, files.find(path).isPresent());
        }
    }

    @Test
    public void thePagesHaveNoInlineScript() throws Exception {
        for (String page : List.of("/", "/api")) {
            String html = new String(files.find(page).orElseThrow().url().openStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(page, html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"));
            assertFalse(page, html.matches("(?s).*\\son[a-z]+=.*"));
            assertFalse(page, html.contains("http://") || html.contains("https://"));
        }
    }
}
