package org.conpaas.cloud.ec2;

import java.util.Set;
import org.conpaas.api.CloudException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Turns what the SDK throws into one sentence for the user that names the cloud ("cloud aws-eu (EC2 eu-west-1)
 * refused to launch node-3: ..."), with EC2's own message and error code, which never hold a credential.
 */
final class Ec2Errors {

    private static final Set<String> AUTH = Set.of("AuthFailure", "UnauthorizedOperation", "InvalidClientTokenId",
            "SignatureDoesNotMatch", "MissingAuthenticationToken", "OptInRequired", "Blocked",
            "ExpiredToken", "RequestExpired", "UnrecognizedClientException");

    private final String cloud;

    Ec2Errors(Ec2Settings settings) {
        this.cloud = "cloud " + settings.name() + " (EC2 " + settings.region()
                + (settings.endpoint() == null ? "" : " at " + settings.endpoint()) + ")";
    }

    /** The code EC2 answered with, or null for an error of the network or the client. */
    static String code(Throwable e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null
                ? s.awsErrorDetails().errorCode() : null;
    }

    static boolean isNotFound(Throwable e) {
        String code = code(e);
        return code != null && (code.endsWith(".NotFound") || code.endsWith(".Malformed"));
    }

    /** "cloud x (EC2 r) refused to {what}: {reason}". */
    String sentence(String what, Throwable e) {
        String code = code(e);
        if (code == null && e instanceof AwsServiceException s) {
            // an answer EC2's parser could not read (an emulator's or a proxy's error page): its status only
            return s.statusCode() == 401 || s.statusCode() == 403
                    ? cloud + " refused the credentials to " + what + " (HTTP " + s.statusCode() + ")"
                    : cloud + " refused to " + what + " (HTTP " + s.statusCode() + ")";
        }
        if (code == null) {
            return cloud + " could not be reached to " + what + ": " + clientMessage(e);
        }
        AwsServiceException s = (AwsServiceException) e;
        String message = s.awsErrorDetails().errorMessage();
        String reason = (message == null || message.isBlank() ? "no message" : trim(message)) + " (" + code + ")";
        if (AUTH.contains(code)) {
            return cloud + " refused the credentials to " + what + ": " + reason;
        }
        if (code.startsWith("InvalidAMIID")) {
            return cloud + " has no such image to " + what + ": " + reason;
        }
        if (code.equals("InsufficientInstanceCapacity") || code.equals("InsufficientCapacity")) {
            return cloud + " has no capacity to " + what + ": " + reason;
        }
        if (code.endsWith("LimitExceeded") || code.equals("MaxSpotInstanceCountExceeded")) {
            return cloud + " reached a limit of the account to " + what + ": " + reason;
        }
        return cloud + " refused to " + what + ": " + reason;
    }

    CloudException exception(String what, Throwable e) {
        return new CloudException(sentence(what, e), e);
    }

    /** A sentence of this cloud (e.g. a timeout of a waiter). */
    CloudException exception(String sentence) {
        return new CloudException(cloud + " " + sentence);
    }

    String cloudName() {
        return cloud;
    }

    private static String clientMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null
                || t.getMessage().startsWith("Unable to execute HTTP request"))) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return trim(message == null ? t.getClass().getSimpleName() : message);
    }

    private static String trim(String message) {
        String one = message.replaceAll("\\s+", " ").trim();
        if (one.endsWith(".")) {
            one = one.substring(0, one.length() - 1);
        }
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
