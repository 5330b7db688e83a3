package org.conpaas.service.testing.cloud;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class MachineHypervisorTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void runsTheUserDataOnTheMachineAddressAndEndsItsWholeProcessGroupOnHalt() throws Exception {
        Path root = tmp.newFolder().toPath();
        try (MachineHypervisor hypervisor = new MachineHypervisor(root)) {
            // the child sleep stands for the agent a boot script starts in the background
            hypervisor.boot("i-1", "127.10.1.4", "echo \"$CONPAAS_AGENT_ADDRESS $CONPAAS_AGENT_FOREGROUND\" > seen\n"
                    + "sleep 300 & echo $! > child\nwait\n");
            Path seen = root.resolve("i-1/seen");
            Path child = root.resolve("i-1/child");
            for (int i = 0; i < 100 && !(Files.exists(child) && Files.size(child) > 0); i++) {
                Thread.sleep(50);
            }
            assertEquals("127.10.1.4 1", Files.readString(seen).strip());
            long pid = Long.parseLong(Files.readString(child).strip());
            assertTrue(hypervisor.isRunning("i-1"));

            hypervisor.halt("i-1");

            assertFalse(hypervisor.isRunning("i-1"));
            for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
                Thread.sleep(50);
            }
            assertFalse("the machine's background process outlived the halt",
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void refusesAMachineIdThatIsNotAFolderName() {
        new MachineHypervisor(tmp.getRoot().toPath()).boot("../x", "127.0.0.1", "true");
    }
}
