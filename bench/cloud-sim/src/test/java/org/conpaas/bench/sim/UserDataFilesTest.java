package org.conpaas.bench.sim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.conpaas.core.internal.bootstrap.UserData;
import org.junit.Test;

/** The simulator reads the files out of the boot script the director itself renders. */
public class UserDataFilesTest {

    @Test
    public void readsTheStoresAndTheAgentConfigurationTheDirectorWrites() {
        byte[] keyStore = new byte[3000];
        byte[] trustStore = new byte[1200];
        new Random(7).nextBytes(keyStore);
        new Random(8).nextBytes(trustStore);
        String script = new UserData("node-42", Map.of("conpaas.node.id", "node-42", "conpaas.user.id", "u 1",
                "conpaas.application.id", "17"), keyStore, trustStore, "pa ss=word#1",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                URI.create("https://127.0.0.1:8443/api/v1/nodes/bootstrap/agent"), "tok_en-1", "echo hi\n").render();

        UserDataFiles files = new UserDataFiles(script);

        assertArrayEquals(keyStore, files.require("keystore.p12"));
        assertArrayEquals(trustStore, files.require("truststore.p12"));
        Properties agent = files.agentProperties();
        assertEquals("node-42", agent.getProperty("conpaas.node.id"));
        assertEquals("u 1", agent.getProperty("conpaas.user.id"));
        assertEquals("17", agent.getProperty("conpaas.application.id"));
        assertEquals("pa ss=word#1", agent.getProperty("conpaas.agent.storePassword"));
    }

    @Test
    public void refusesAScriptWithoutTheNodeFiles() {
        UserDataFiles files = new UserDataFiles("#!/bin/sh\necho no files here\n");
        assertThrows(IllegalArgumentException.class, files::agentProperties);
        assertThrows(IllegalArgumentException.class, () -> files.require("keystore.p12"));
    }

    @Test
    public void refusesUserDataOverItsBound() {
        assertThrows(IllegalArgumentException.class, () -> new UserDataFiles("x".repeat(UserDataFiles.MAX_USER_DATA + 1)));
    }
}
