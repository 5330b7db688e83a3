package org.conpaas.core.internal.accounts;

import java.util.concurrent.atomic.AtomicInteger;

/** The real hasher, counting how often it derives a hash to check a password. */
final class CountingHasher extends PasswordHasher {
    final AtomicInteger verifications = new AtomicInteger();
    final AtomicInteger decoys = new AtomicInteger();

    @Override
    public boolean verify(String password, String phc) {
        verifications.incrementAndGet();
        return super.verify(password, phc);
    }

    @Override
    public boolean verifyNothing(String password) {
        decoys.incrementAndGet();
        return super.verifyNothing(password);
    }

    int checks() {
        return verifications.get() + decoys.get();
    }
}
