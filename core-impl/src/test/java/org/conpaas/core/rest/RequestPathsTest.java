package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class RequestPathsTest {

    @Test
    public void outerSlashesGoInnerOnesStay() {
        assertEquals("", RequestPaths.withoutOuterSlashes(null));
        assertEquals("", RequestPaths.withoutOuterSlashes("///"));
        assertEquals("version", RequestPaths.withoutOuterSlashes("/version/"));
        assertEquals("users/register", RequestPaths.withoutOuterSlashes("//users/register//"));
    }

    @Test
    public void publicEndpointsAreRecognisedWithAnySlashes() {
        assertTrue(RestAuthentication.isPublic("GET", "/version/"));
        assertTrue(RestAuthentication.isPublic("POST", "users/register"));
        assertFalse(RestAuthentication.isPublic("GET", "/users/register"));
        assertFalse(RestAuthentication.isPublic("GET", "/versions"));
    }
}
