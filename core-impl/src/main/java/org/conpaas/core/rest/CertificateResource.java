package org.conpaas.core.rest;

import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;

import org.conpaas.api.director.Director;

/** The caller's client certificates: each call issues a new key and certificate. */
@Path("users/me/certificate")
public class CertificateResource extends CallerResource {

    static final String ZIP = "application/zip";

    private final Director director;

    public CertificateResource(Director director) {
        this.director = director;
    }

    @POST
    @Produces(ZIP)
    @ApiDoc(value = "A new client certificate for the caller: a zip of cert.pem, key.pem (PKCS#8) and ca_cert.pem, "
            + "for curl --cert cert.pem --key key.pem --cacert ca_cert.pem", returns = byte[].class)
    public Response issue() {
        byte[] zip = director.userCertificate(caller());
        return Response.ok(zip, ZIP).header("Content-Disposition", "attachment; filename=\"certs.zip\"").build();
    }
}
