package org.conpaas.core.rest;

import javax.ws.rs.core.Context;
import javax.ws.rs.core.SecurityContext;

/** Base of the resources that act for the caller: every call acts as the user it authenticated as. */
abstract class CallerResource {

    @Context
    private SecurityContext security;

    /** The authenticated user of the current request. */
    protected String caller() {
        return AuthenticatedUser.name(security);
    }
}
