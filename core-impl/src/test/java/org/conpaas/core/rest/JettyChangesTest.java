package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** A restarted Jetty that does not serve the API gets the director's whiteboard elements registered again. */
public class JettyChangesTest {

    private static final long OLD_RUNTIME = 7;
    private static final long NEW_RUNTIME = 9;

    /** Answers each wait at once: the new runtime serves the API from the start or only once registered again. */
    private static final class FakeJetty implements JettyChanges.Probe {
        final List<Duration> waits = new ArrayList<>();
        int registrations;
        boolean servesAfterRegistration;
        boolean serves;

        @Override
        public long await(Duration timeout, long notRuntime) {
            waits.add(timeout);
            assertEquals(OLD_RUNTIME, notRuntime);
            return serves ? NEW_RUNTIME : -1;
        }

        void registerAgain() {
            registrations++;
            serves = servesAfterRegistration;
        }
    }

    private static boolean servedAgain(FakeJetty jetty) throws InterruptedException {
        return JettyChanges.awaitServedAgain(jetty, jetty::registerAgain, OLD_RUNTIME, "a change");
    }

    @Test
    public void aJettyThatServesTheApiAfterItsRestartIsLeftAlone() throws InterruptedException {
        FakeJetty jetty = new FakeJetty();
        jetty.serves = true;
        assertTrue(servedAgain(jetty));
        assertEquals(0, jetty.registrations);
        assertEquals(List.of(JettyChanges.PATIENCE), jetty.waits);
    }

    @Test
    public void aJettyThatCameBackWithoutTheApiGetsTheServletsRegisteredAgain() throws InterruptedException {
        FakeJetty jetty = new FakeJetty();
        jetty.servesAfterRegistration = true;
        assertTrue(servedAgain(jetty));
        assertEquals(1, jetty.registrations);
        assertEquals(List.of(JettyChanges.PATIENCE, JettyChanges.SETTLE), jetty.waits);
    }

    @Test
    public void registeredAgainOnlyOnceWhenThatDoesNotHelpEither() throws InterruptedException {
        FakeJetty jetty = new FakeJetty();
        assertFalse(servedAgain(jetty));
        assertEquals(1, jetty.registrations);
        assertEquals(2, jetty.waits.size());
    }
}
