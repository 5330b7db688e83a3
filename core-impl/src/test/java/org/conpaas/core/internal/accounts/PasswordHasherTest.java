package org.conpaas.core.internal.accounts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

public class PasswordHasherTest {
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})");

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    public void hashIsAnArgon2idPhcStringWithA16ByteSaltAndA32ByteHash() {
        Matcher m = PHC.matcher(hasher.hash("correct horse battery"));
        assertTrue(m.matches());
        assertEquals(16, Base64.getDecoder().decode(m.group(1)).length);
        assertEquals(32, Base64.getDecoder().decode(m.group(2)).length);
    }

    @Test
    public void everyHashHasItsOwnSalt() {
        String first = hasher.hash("correct horse battery");
        String second = hasher.hash("correct horse battery");
        assertNotEquals(first, second);
        Matcher a = PHC.matcher(first);
        Matcher b = PHC.matcher(second);
        assertTrue(a.matches() && b.matches());
        assertNotEquals(a.group(1), b.group(1));
        assertTrue(hasher.verify("correct horse battery", first));
        assertTrue(hasher.verify("correct horse battery", second));
    }

    @Test
    public void verifyAcceptsOnlyTheRightPassword() {
        String hash = hasher.hash("correct horse battery");
        assertTrue(hasher.verify("correct horse battery", hash));
        assertFalse(hasher.verify("correct horse batterY", hash));
        assertFalse(hasher.verify("", hash));
        assertFalse(hasher.verify(null, hash));
    }

    /** A hash made by the reference implementation (Debian's argon2 command) verifies: the scheme is standard. */
    @Test
    public void verifiesAHashOfTheReferenceImplementation() {
        // echo -n "correct horse battery" | argon2 saltsalt12345678 -id -k 19456 -t 2 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQxMjM0NTY3OA"
                + "$AmYAztMTJ95XHWySbKvyOiXxfGfELpgiBWMv67dCxmM";
        assertTrue(hasher.verify("correct horse battery", reference));
        assertFalse(hasher.verify("correct horse battery!", reference));
    }

    @Test
    public void tamperedOrMalformedHashesFailWithoutThrowing() {
        String hash = hasher.hash("correct horse battery");
        Matcher m = PHC.matcher(hash);
        assertTrue(m.matches());
        byte[] digest = Base64.getDecoder().decode(m.group(2));
        digest[digest.length - 1] ^= 1;
        String tampered = hash.substring(0, m.start(2)) + Base64.getEncoder().withoutPadding().encodeToString(digest);
        assertFalse(hasher.verify("correct horse battery", tampered));
        for (String bad : List.of("", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQxMjM0NTY3OA$AmYA",
                hash.replace("argon2id", "argon2d"), hash.replace("v=19", "v=16"),
                hash.replace("m=19456", "m=9999999"), hash.replace("t=2", "t=99"), hash + "$extra",
                hash.substring(0, hash.length() - 20))) {
            assertFalse(bad, hasher.verify("correct horse battery", bad));
        }
        assertFalse(hasher.verify("correct horse battery", null));
    }

    @Test
    public void theDecoyPathFailsForAnyPassword() {
        assertFalse(hasher.verifyNothing("correct horse battery"));
        assertFalse(hasher.verifyNothing(""));
        assertFalse(hasher.verifyNothing(null));
    }

    /**
     * The path for an unknown user costs a full derivation like a real check, so timing does not reveal whether a
     * name exists; a cheap failure would take well under a millisecond.
     */
    @Test
    public void theDecoyPathCostsAsMuchAsARealCheck() {
        String hash = hasher.hash("correct horse battery");
        hasher.verifyNothing("warm up the decoy");
        long real = Long.MAX_VALUE;
        long decoy = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            hasher.verify("wrong password 123", hash);
            long t1 = System.nanoTime();
            hasher.verifyNothing("wrong password 123");
            long t2 = System.nanoTime();
            real = Math.min(real, t1 - t0);
            decoy = Math.min(decoy, t2 - t1);
        }
        assertTrue("decoy " + decoy + " ns vs real " + real + " ns", decoy > real / 3);
    }
}
