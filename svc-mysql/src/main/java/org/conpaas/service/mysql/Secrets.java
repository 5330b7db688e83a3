package org.conpaas.service.mysql;

import java.security.SecureRandom;
import java.util.Optional;
import org.conpaas.api.service.ManagerState;

/**
 * The service's random credentials, kept in the manager's state (the director's database): root's password (used by
 * the agents through each node's private socket only), the health check's monitor account, and the generated
 * password of mysqldb until the owner sets their own.
 */
final class Secrets {

    static final String ROOT = "secret.root";
    static final String MONITOR = "secret.monitor";
    static final String USER = "secret.mysqldb";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ManagerState state;

    Secrets(ManagerState state) {
        this.state = state;
    }

    /** Creates the credentials a new service needs; existing ones are kept (a start after a stop). */
    void ensure() {
        for (String key : new String[] {ROOT, MONITOR}) {
            if (state.get(key).isEmpty()) {
                state.put(key, random(24));
            }
        }
    }

    String root() {
        return state.get(ROOT).orElseThrow(() -> new IllegalStateException("the service has no root password yet"));
    }

    String monitor() {
        return state.get(MONITOR).orElseThrow(() -> new IllegalStateException("the service has no monitor password"));
    }

    /** A fresh generated password for mysqldb, kept until the owner sets one. */
    String newUserPassword() {
        String password = random(20);
        state.put(USER, password);
        return password;
    }

    Optional<String> keptUserPassword() {
        return state.get(USER);
    }

    void forgetUserPassword() {
        state.remove(USER);
    }

    static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
