package org.conpaas.agent.core.http;

/** An error answer of the agent protocol ({@code application/problem+json}); detail is one clear sentence. */
public final class Problem extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String title;

    public Problem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "Not Found", detail);
    }
}
