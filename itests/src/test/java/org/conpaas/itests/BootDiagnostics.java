package org.conpaas.itests;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.RuntimeDTO;

/**
 * What a director that never answered was doing, for a CI run, which keeps only the end of the build's output: all
 * threads first (long), then a short summary last: the last answer to {@code /version}, the director's components
 * that are not active and what they miss, the servlets Jetty serves, and the log's last warnings. The summary is also
 * written beside the kept logs, where {@code .ci/run} prints it again after Maven's own failure lines.
 */
final class BootDiagnostics {

    private static final int LOG_LINES = 20;
    private static final int LINE_LENGTH = 240;

    private BootDiagnostics() {
    }

    /** Runs inside the container (Pax Exam's probe); {@code lastAnswer} is what the API last answered, if anything. */
    static void print(Path karafData, String test, String lastAnswer) {
        printThreads();
        List<String> summary = new ArrayList<>();
        summary.add("---- boot diagnostics of " + test + " ----");
        summary.add("last answer to /version: " + lastAnswer);
        summary.addAll(inactiveComponents());
        summary.add("servlets: " + servlets());
        summary.add("last warnings of karaf.log:");
        summary.addAll(lastWarnings(karafData.resolve("log/karaf.log")));
        summary.forEach(System.out::println);
        String dir = System.getProperty(DirectorTestSupport.LOG_DIR_PROPERTY);
        if (dir != null) {
            try {
                Files.createDirectories(Paths.get(dir));
                Files.write(Paths.get(dir, test + "-boot-diagnostics.txt"), summary);
            } catch (IOException e) {
                System.out.println("cannot keep the diagnostics: " + e);
            }
        }
    }

    private static BundleContext context() {
        Bundle bundle = FrameworkUtil.getBundle(BootDiagnostics.class);
        return bundle == null ? null : bundle.getBundleContext();
    }

    /** The ConPaaS components that are neither active nor satisfied, each with its unsatisfied references. */
    private static List<String> inactiveComponents() {
        BundleContext context = context();
        ServiceReference<ServiceComponentRuntime> ref = context == null ? null
                : context.getServiceReference(ServiceComponentRuntime.class);
        if (ref == null) {
            return List.of("components: no Service Component Runtime");
        }
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            List<String> lines = new ArrayList<>();
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (!d.bundle.symbolicName.startsWith("org.conpaas")) {
                    continue;
                }
                if (!scr.isComponentEnabled(d)) {
                    lines.add("component " + d.name + ": disabled");
                    continue;
                }
                var configurations = scr.getComponentConfigurationDTOs(d);
                if (configurations.isEmpty() && !"ignore".equals(d.configurationPolicy)) {
                    lines.add("component " + d.name + ": no configuration (" + d.configurationPolicy + ")");
                }
                for (ComponentConfigurationDTO c : configurations) {
                    if (c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED) {
                        continue;
                    }
                    lines.add("component " + d.name + ": state " + c.state + ", missing "
                            + Arrays.stream(c.unsatisfiedReferences).map(r -> r.name + " " + r.target)
                                    .collect(Collectors.joining(", "))
                            + (c.failure == null ? "" : ", failure " + clip(c.failure, LINE_LENGTH)));
                }
            }
            if (lines.isEmpty()) {
                lines.add("components: all active or satisfied");
            }
            return lines;
        } finally {
            context.ungetService(ref);
        }
    }

    private static String servlets() {
        BundleContext context = context();
        ServiceReference<HttpServiceRuntime> ref = context == null ? null
                : context.getServiceReference(HttpServiceRuntime.class);
        if (ref == null) {
            return "no HttpServiceRuntime";
        }
        try {
            RuntimeDTO runtime = context.getService(ref).getRuntimeDTO();
            // the failed ones with Pax Web's reason (e.g. 3 = shadowed by another servlet, 1 = no matching context)
            // the endpoints show where Jetty listens (a configuration that lost its keys: Pax Web's 0.0.0.0:8080)
            return "runtime " + ref.getProperty("service.id") + " at " + endpoints(ref.getProperty("osgi.http.endpoint"))
                    + " " + Arrays.stream(runtime.servletContextDTOs)
                    .flatMap(c -> Arrays.stream(c.servletDTOs).map(s -> c.contextPath + Arrays.toString(s.patterns)))
                    .collect(Collectors.joining(" "))
                    + "; failed servlets: " + Arrays.stream(runtime.failedServletDTOs)
                            .map(s -> Arrays.toString(s.patterns) + " reason " + s.failureReason)
                            .collect(Collectors.joining(" "))
                    + "; failed filters: " + Arrays.stream(runtime.failedFilterDTOs)
                            .map(f -> f.name + " reason " + f.failureReason).collect(Collectors.joining(" "))
                    + "; servlet services: " + servletServices(context);
        } catch (RuntimeException e) {
            return "runtime unreadable: " + e;
        } finally {
            context.ungetService(ref);
        }
    }

    /** The whiteboard servlets registered as OSGi services, by pattern: what Jetty should serve. */
    private static String servletServices(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences("javax.servlet.Servlet", null);
            return refs == null ? "none" : Arrays.stream(refs)
                    .map(r -> pattern(r.getProperty("osgi.http.whiteboard.servlet.pattern")) + " of "
                            + r.getBundle().getSymbolicName())
                    .collect(Collectors.joining(", "));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pattern(Object property) {
        return property instanceof String[] ? Arrays.toString((String[]) property) : String.valueOf(property);
    }

    /** WARN and ERROR lines, each ERROR with its exception's first line (the log's own line names no cause). */
    private static List<String> lastWarnings(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> warnings = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                boolean error = line.contains("| ERROR");
                if (error || line.contains("| WARN ") || line.startsWith("Caused by")) {
                    warnings.add(clip(line, LINE_LENGTH));
                }
                if (error && i + 1 < lines.size() && isExceptionLine(lines.get(i + 1))) {
                    // the cause is often at the end of a resolver's message: keep more of it
                    warnings.add(clip(lines.get(i + 1), 4 * LINE_LENGTH));
                }
            }
            return warnings.subList(Math.max(0, warnings.size() - LOG_LINES), warnings.size());
        } catch (IOException | RuntimeException e) {
            return List.of("no karaf.log: " + e);
        }
    }

    private static boolean isExceptionLine(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("Caused by")
                && !line.matches("^\\d{4}-\\d\\d-\\d\\dT.*");
    }

    private static String clip(String line, int length) {
        return line.length() <= length ? line : line.substring(0, length) + " …";
    }

    private static String endpoints(Object property) {
        return property instanceof String[] many ? String.join(" ", many) : String.valueOf(property);
    }

    private static void printThreads() {
        System.out.println("---- threads ----");
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            // ThreadInfo.toString() stops at 8 frames; a lock cycle needs them all
            System.out.println('"' + thread.getThreadName() + "\" " + thread.getThreadState()
                    + (thread.getLockName() == null ? "" : " on " + thread.getLockName() + " owned by "
                            + thread.getLockOwnerName()));
            for (StackTraceElement frame : thread.getStackTrace()) {
                System.out.println("\tat " + frame);
            }
        }
    }
}
