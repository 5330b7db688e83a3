package org.conpaas.api.model;

/** Types an operation parameter may have; values are checked against them before a manager sees them. */
public enum ParameterType {
    STRING, INTEGER, BOOLEAN, FILE, JSON
}
