package org.conpaas.core.rest;

/** Small helpers for the request paths the authentication filter looks at on every call (no regex per call). */
final class RequestPaths {

    private RequestPaths() {
    }

    /** The path without its leading and trailing slashes ("" for null). */
    static String withoutOuterSlashes(String path) {
        if (path == null) {
            return "";
        }
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
