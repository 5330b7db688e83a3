package org.conpaas.core.internal.director;

import java.nio.file.Path;
import java.time.Duration;
import org.conpaas.api.model.VersionInfo;
import org.conpaas.core.internal.persistence.Store;
import org.conpaas.core.internal.persistence.TestDatabase;

/** Directors for the tests: the echo type installed, fakes for everything outside the director. */
final class TestDirectors {

    private TestDirectors() {
    }

    /** The fakes a test director uses; tests keep them to drive and observe it. */
    record Fakes(FakeAgents agents, FakeAccounts accounts, FakeCredits credits, FakeCodeVersions code) {
    }

    static DirectorService director(TestDatabase db, Path data, EchoType echo, CloudRegistry clouds, Fakes fakes,
            NodeHealthMonitor.Settings checks, InputLimits limits) {
        ServiceTypeRegistry types = new ServiceTypeRegistry();
        types.register(new RegisteredType(echo, "1.0.0", () -> new byte[] {1}));
        return new DirectorService(new Store(db), types, clouds, new DirectorServiceTest.FakePki(), fakes.agents(),
                fakes.accounts(), fakes.credits(), null, fakes.code(),
                new NodeProvisioner.Settings("test", new FakeUserData(), Duration.ofSeconds(5)),
                new DirectorService.Registration(false, 50), data, new VersionInfo("1", "test"), checks, limits);
    }
}
