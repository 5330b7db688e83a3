package org.conpaas.service.flink;

import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.model.UploadedFile;

/**
 * Checks a job's jar before Flink sees it, so that a wrong file or class is refused with a sentence (400) and
 * nothing reaches the cluster: it must be a jar, and hold the entry class (given, or named by its manifest).
 */
final class JarCheck {

    private static final Pattern CLASS_NAME = Pattern.compile(
            "[A-Za-z_$][A-Za-z0-9_$]{0,200}(\\.[A-Za-z_$][A-Za-z0-9_$]{0,200}){0,30}");

    private JarCheck() {
    }

    /** The entry class to run (the given one, else the manifest's); refuses what Flink could not run. */
    static String entryClass(UploadedFile jar, String given) {
        String name = jar.fileName() == null ? "the file" : jar.fileName();
        if (given != null && !given.isBlank() && !CLASS_NAME.matcher(given.trim()).matches()) {
            throw new InvalidInputException(FlinkServiceType.ENTRY_CLASS, "not a Java class name: " + given);
        }
        try (JarFile file = new JarFile(jar.path().toFile())) {
            String entry = given == null || given.isBlank() ? fromManifest(file.getManifest()) : given.trim();
            if (entry == null) {
                throw new InvalidInputException(FlinkServiceType.ENTRY_CLASS, name + " names no main class in its "
                        + "manifest; give " + FlinkServiceType.ENTRY_CLASS);
            }
            if (file.getEntry(entry.replace('.', '/') + ".class") == null) {
                throw new InvalidInputException(FlinkServiceType.ENTRY_CLASS, name + " has no class " + entry);
            }
            return entry;
        } catch (IOException | SecurityException notAJar) {
            throw new InvalidInputException(FlinkServiceType.JAR, name + " is not a jar (" + notAJar.getMessage()
                    + ")");
        }
    }

    private static String fromManifest(Manifest manifest) {
        if (manifest == null) {
            return null;
        }
        Attributes main = manifest.getMainAttributes();
        String program = main.getValue("program-class");
        String value = program != null ? program : main.getValue(Attributes.Name.MAIN_CLASS);
        return value == null || value.isBlank() || !CLASS_NAME.matcher(value.trim()).matches() ? null : value.trim();
    }
}
