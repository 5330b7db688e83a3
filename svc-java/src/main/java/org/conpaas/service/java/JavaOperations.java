package org.conpaas.service.java;

/** Java-specific names of the manager↔agent contract (the shared ones are in WebOperations). */
public final class JavaOperations {

    /** start_backend: Tomcat's maximum heap in MB. */
    public static final String HEAP_MB = "heapMb";

    private JavaOperations() {
    }
}
