package org.conpaas.cloud.openstack;

import java.util.Locale;
import org.conpaas.api.CloudException;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.api.exceptions.ResponseException;

/**
 * Turns what openstack4j throws into one sentence naming the cloud: "cloud lab (OpenStack) refused to launch a
 * server: Quota exceeded for instances." The cloud's own message is kept (it says what to fix); nothing of the
 * request is (it may hold the password or the token).
 */
final class CloudErrors {

    private static final int MAX_REASON = 300;

    private CloudErrors() {
    }

    static boolean isAuthFailure(Throwable e) {
        return e instanceof AuthenticationException
                || e instanceof ResponseException r && r.getStatus() == 401;
    }

    /** Whether the cloud answered 404: the thing is gone (ids of deleted servers, volumes, addresses). */
    static boolean isNotFound(Throwable e) {
        return e instanceof ResponseException r && r.getStatus() == 404;
    }

    static CloudException translate(String cloud, String action, Throwable e) {
        if (e instanceof CloudException c) {
            return c;
        }
        String who = "cloud " + cloud + " (OpenStack)";
        if (isAuthFailure(e)) {
            return new CredentialsRefused(who + " refused the credentials (user, password, domain or project) when "
                    + "asked to " + action + sentenceEnd(reason(e)));
        }
        if (e instanceof ConnectionException || e.getCause() instanceof java.io.IOException) {
            return new CloudException(who + " cannot be reached to " + action + sentenceEnd(reason(e)));
        }
        if (e instanceof ResponseException r && r.getStatus() > 0) {
            return new CloudException(who + " refused to " + action + " (HTTP " + r.getStatus() + ")"
                    + sentenceEnd(reason(e)));
        }
        return new CloudException(who + " failed to " + action + sentenceEnd(reason(e)));
    }

    /** The cloud's reason, on one line and bounded. */
    static String reason(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getClass().getSimpleName();
        }
        message = message.replaceAll("\\s+", " ").trim();
        return message.length() > MAX_REASON ? message.substring(0, MAX_REASON) + "…" : message;
    }

    /** The cloud refused the configured credentials: the cloud is unavailable until they work again. */
    static final class CredentialsRefused extends CloudException {
        private static final long serialVersionUID = 1L;

        CredentialsRefused(String message) {
            super(message);
        }
    }

    private static String sentenceEnd(String reason) {
        if (reason.isEmpty()) {
            return ".";
        }
        String end = reason.toLowerCase(Locale.ROOT).endsWith(".") ? "" : ".";
        return ": " + reason + end;
    }
}
