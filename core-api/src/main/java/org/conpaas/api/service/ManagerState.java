package org.conpaas.api.service;

import java.util.Map;
import java.util.Optional;

/** A manager's persistent key/value state. */
public interface ManagerState {

    Optional<String> get(String key);

    void put(String key, String value);

    void remove(String key);

    Map<String, String> all();
}
