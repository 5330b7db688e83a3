package org.conpaas.core.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * Issues a new client certificate and writes the zip (cert.pem, key.pem, ca_cert.pem) on the director's host,
 * readable by its owner only since it holds the private key.
 */
@Service
@Command(scope = "cps", name = "user-certificate",
        description = "Issue a new client certificate for you: a zip with cert.pem, key.pem and ca_cert.pem")
public class UserCertificateCommand extends CpsAction {

    @Option(name = "--out", description = "The zip file to write (on the director's host); default ./<user>-certs.zip")
    String target;

    @Reference(optional = true)
    Session session;

    @Override
    protected Object run(String user) throws IOException {
        Path file = hostFiles(session).resolve(target == null ? user + "-certs.zip" : target);
        byte[] zip = director.userCertificate(user);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temporary, zip);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        out().println("wrote the certificate of " + user + " to " + file
                + " (cert.pem, key.pem, ca_cert.pem; use them with curl --cert, --key and --cacert)");
        return null;
    }
}
