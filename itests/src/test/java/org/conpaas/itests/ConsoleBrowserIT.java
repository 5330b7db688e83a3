package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.json;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.conpaas.itests.DirectorTestSupport.Api;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.junit.runner.RunWith;
import org.junit.runners.Suite;
import org.junit.runners.Suite.SuiteClasses;

/**
 * The web console in a real browser (Debian's headless Chromium driven through chromedriver by Selenium) against the
 * real distribution started as a separate process: what a user does, seen as a user sees it. One director boot
 * serves every group of steps, run in the order listed: a user runs services, accounts and credit, keyboard and
 * phone, sessions, and last the steps that change the director for every session. Screenshots of the main pages
 * (and of every open browser when a step fails) go to target/console-screenshots.
 */
@RunWith(Suite.class)
@SuiteClasses({ConsoleServiceSteps.class, ConsoleAccountSteps.class, ConsoleLayoutSteps.class,
        ConsoleSessionSteps.class, ConsoleFinalSteps.class})
public class ConsoleBrowserIT {

    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-pass-1";
    static final String MALLORY = "mallory";
    static final String MALLORY_PASSWORD = "mallory-pass-1";
    /** Uses the console with the keyboard only, in an account of her own (her application stays out of alice's). */
    static final String KIM = "kim";
    static final String KIM_PASSWORD = "kim-pass-123";
    /** The credit a user gets when none is given (etc/org.conpaas.director.cfg, defaultStartingCredit). */
    static final long STARTING_CREDIT = 50;

    private static final Duration BOOT = Duration.ofSeconds(150);

    static DistributionProcess director;
    /** The REST API as the first administrator. */
    static Api admin;
    /** The console's address, http://127.0.0.1:port/console/. */
    static String console;
    static Path screenshots;

    /** Alice's application and its helloworld service, once ConsoleServiceSteps created them. */
    static long shopId = -1;
    static String helloId;

    /** Every application a step created: their agents are killed by PID after the director stopped. */
    private static final Set<Long> APPLICATIONS = new ConcurrentSkipListSet<>();
    private static final List<ConsoleBrowser> BROWSERS = new ArrayList<>();
    private static final AtomicInteger PASSED = new AtomicInteger();
    private static boolean booted;

    @BeforeClass
    public static void bootTheDirector() throws Exception {
        ConsoleBrowser.requireChromium();
        screenshots = Files.createDirectories(Paths.get(System.getProperty("conpaas.itest.dir", "target"))
                .resolve("console-screenshots"));
        director = DistributionProcess.unpack("console-it");
        // samples every 2 s, so the chart has points soon
        director.configure("org.conpaas.director.cfg", "loadSamplePeriodSeconds", "2");
        // the login page offers its registration form only when self-registration is on
        director.configure("org.conpaas.director.cfg", "selfRegistration", "true");
        admin = new Api(director.httpPort, director.home.resolve("data"));
        director.start();
        eventually("REST API up", BOOT, () -> admin.isUpForGood(director.httpsPort));
        admin.post("/users", json("username", ALICE, "email", "alice@example.org", "password", ALICE_PASSWORD)).ok();
        admin.post("/users", json("username", MALLORY, "email", "m@example.org", "password", MALLORY_PASSWORD)).ok();
        admin.post("/users", json("username", KIM, "email", "kim@example.org", "password", KIM_PASSWORD)).ok();
        console = "http://127.0.0.1:" + director.httpPort + "/console/";
        booted = true;
    }

    /**
     * Quits the browsers, stops the director, kills what is left of the applications' agents (by PID), and deletes
     * the unpacked director only when every step passed (else its data/log/karaf.log tells why; a copy goes to
     * target/itest-logs as well).
     */
    @AfterClass
    public static void stopTheDirector() throws Exception {
        synchronized (BROWSERS) {
            BROWSERS.forEach(ConsoleBrowser::close);
            BROWSERS.clear();
        }
        if (director == null) {
            return;
        }
        try {
            director.stop();
        } finally {
            List<Long> pids = new ArrayList<>();
            for (long app : APPLICATIONS) {
                DirectorTestSupport.agentProcesses(app, director.home).forEach(p -> pids.add(p.pid()));
            }
            DirectorTestSupport.killAll(pids);
            if (booted && PASSED.get() == steps()) {
                director.delete();
            } else {
                keepLog();
            }
        }
    }

    private static void keepLog() {
        try {
            Path logs = Files.createDirectories(Paths.get(System.getProperty("conpaas.itest.dir", "target"))
                    .resolve("itest-logs"));
            Files.copy(director.home.resolve("data/log/karaf.log"), logs.resolve("ConsoleBrowserIT-karaf.log"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("ConsoleBrowserIT: karaf.log not copied: " + e);
        }
    }

    /**
     * How many steps the suite has. Only when that many passed is every step known to have passed: a group whose
     * set-up failed reports no step failure, but none of its steps passes either.
     */
    private static int steps() {
        int steps = 0;
        for (Class<?> group : ConsoleBrowserIT.class.getAnnotation(SuiteClasses.class).value()) {
            for (Method method : group.getMethods()) {
                if (method.isAnnotationPresent(Test.class)) {
                    steps++;
                }
            }
        }
        return steps;
    }

    /** The browsers of one group of steps; the group closes them when done, the suite again at the end. */
    static ConsoleBrowser browsers() {
        if (!booted) {
            throw new AssertionError("the director is not running: run the console steps through ConsoleBrowserIT");
        }
        ConsoleBrowser browsers = new ConsoleBrowser(screenshots);
        synchronized (BROWSERS) {
            BROWSERS.add(browsers);
        }
        return browsers;
    }

    /** Counts an application in, for the clean-up. */
    static long created(long applicationId) {
        APPLICATIONS.add(applicationId);
        return applicationId;
    }

    /** A user's own REST API (HTTP Basic), to check what the console shows against what the API says. */
    static Api as(String user, String password) {
        return admin.as(user, password);
    }

    /**
     * Every step's watcher: it counts the steps that passed, and when one fails each browser of its group leaves a
     * screenshot of what it showed, named after the step.
     */
    static TestWatcher watcher(Supplier<ConsoleBrowser> browsers) {
        return new TestWatcher() {
            @Override
            protected void succeeded(Description d) {
                PASSED.incrementAndGet();
            }

            @Override
            protected void failed(Throwable e, Description d) {
                ConsoleBrowser group = browsers.get();
                if (group != null) {
                    group.screenshotAll("failed-" + d.getMethodName());
                }
            }
        };
    }
}
