package org.conpaas.service.support.host;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ${name} placeholders in configured paths (the clouds' default dataDir relies on karaf.data). */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private Placeholders() {
    }

    /** Replaces each ${name} by the system property; throws naming it when it is not set. */
    public static String resolve(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String property = System.getProperty(m.group(1));
            if (property == null) {
                throw new IllegalArgumentException("cannot resolve " + m.group() + " in '" + value
                        + "': system property " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(property));
        }
        m.appendTail(out);
        return out.toString();
    }
}
