package org.conpaas.cloud.local;

/** The driver contract on the local cloud of a director that is not root: nodes in a bubblewrap sandbox. */
public class SandboxedLocalCloudDriverContractTest extends LocalCloudDriverContractTest {

    @Override
    protected boolean separateAccounts() {
        return false;
    }
}
