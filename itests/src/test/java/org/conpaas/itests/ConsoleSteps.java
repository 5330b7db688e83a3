package org.conpaas.itests;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.rules.TestWatcher;

/**
 * What every step class of the console suite ({@link ConsoleBrowserIT}) has: browsers of its own, opened before its
 * steps and closed after them, and screenshots of a failed step. The classes run one after the other, so one static
 * field serves them all.
 */
abstract class ConsoleSteps {

    static ConsoleBrowser browsers;

    @Rule
    public final TestWatcher watcher = ConsoleBrowserIT.watcher(() -> browsers);

    @BeforeClass
    public static void openTheBrowsers() {
        browsers = ConsoleBrowserIT.browsers();
    }

    @AfterClass
    public static void closeTheBrowsers() {
        browsers.close();
    }
}
