package org.conpaas.service.web.agent;

import java.util.List;

/**
 * What a web node serves of the code and what it leaves to the backends.
 *
 * @param scriptExtensions      files that are the backend's scripts: never shown as files (php; jsp, jspx)
 * @param privateFolders        top-level folders never served (Java's WEB-INF and META-INF)
 * @param missingFilesToBackend whether a path without a file belongs to the backend (servlets are mapped to paths
 *                              that have no file) rather than being answered 404
 */
public record StaticContent(List<String> scriptExtensions, List<String> privateFolders,
        boolean missingFilesToBackend) {

    public StaticContent {
        scriptExtensions = List.copyOf(scriptExtensions);
        privateFolders = List.copyOf(privateFolders);
    }
}
