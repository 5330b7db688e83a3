package org.conpaas.logging.masking;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Stands in for a logged exception whose message (or a cause's) holds a secret: same stack traces and cause chain,
 * masked messages. Its message starts with the original class name, so the log still says what was thrown.
 */
final class MaskedThrowable extends Throwable {

    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 32;

    private MaskedThrowable(String message, Throwable cause, Throwable original) {
        super(message, cause, true, true);
        setStackTrace(original.getStackTrace());
    }

    /** The same instance when no message in the chain holds a secret, else a masked copy of the chain. */
    static Throwable of(Throwable thrown) {
        if (thrown == null || !holdsSecret(thrown)) {
            return thrown;
        }
        return copy(thrown, new IdentityHashMap<>(), 0);
    }

    private static boolean holdsSecret(Throwable thrown) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = thrown; t != null && seen.put(t, true) == null && seen.size() <= MAX_CAUSES;
                t = t.getCause()) {
            String message = t.getMessage();
            if (SecretMasker.mask(message) != message) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (holdsSecret(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable copy(Throwable original, Map<Throwable, Throwable> copies, int depth) {
        Throwable done = copies.get(original);
        if (done != null) {
            return done;
        }
        copies.put(original, original); // a cause chain that loops back ends here
        Throwable cause = original.getCause();
        Throwable maskedCause = cause == null || depth >= MAX_CAUSES ? null : copy(cause, copies, depth + 1);
        String message = original.getMessage();
        MaskedThrowable copy = new MaskedThrowable(original.getClass().getName()
                + (message == null ? "" : ": " + SecretMasker.mask(message)), maskedCause, original);
        copies.put(original, copy);
        if (depth < MAX_CAUSES) {
            for (Throwable suppressed : original.getSuppressed()) {
                copy.addSuppressed(copy(suppressed, copies, depth + 1));
            }
        }
        return copy;
    }
}
