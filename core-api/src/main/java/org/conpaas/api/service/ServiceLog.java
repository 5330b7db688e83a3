package org.conpaas.api.service;

/** The manager log of one service. */
public interface ServiceLog {

    void info(String message);

    void warn(String message);

    void error(String message, Throwable cause);
}
