package org.conpaas.api.director;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.conpaas.api.model.ApplicationInfo;
import org.conpaas.api.model.Charge;
import org.conpaas.api.model.CodeVersionInfo;
import org.conpaas.api.model.NewUser;
import org.conpaas.api.model.UserInfo;
import org.conpaas.api.model.CloudInfo;
import org.conpaas.api.model.NodeInfo;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ServiceInfo;
import org.conpaas.api.model.ServiceTypeInfo;
import org.conpaas.api.model.StateChange;
import org.conpaas.api.model.UploadedFile;
import org.conpaas.api.model.VersionInfo;
import org.conpaas.api.model.VolumeInfo;

/**
 * The director façade. REST resources, shell commands and service bundles' convenience commands are thin adapters
 * over it, so they always behave the same. {@code user} is the caller's user id: every object belongs to one user
 * and other users' objects are reported as not found. {@code app} and {@code svc} accept an id or a unique name.
 * Long operations return at once with the new state; {@link #awaitSettled} waits for a settled state.
 */
public interface Director {

    VersionInfo version();

    List<ServiceTypeInfo> serviceTypes();

    List<CloudInfo> clouds();

    /** Every node the user holds, across applications. */
    List<NodeInfo> resources(String user);

    ApplicationInfo createApplication(String user, String name);

    List<ApplicationInfo> applications(String user);

    ApplicationInfo application(String user, String app);

    ApplicationInfo renameApplication(String user, String app, String newName);

    ApplicationInfo startApplication(String user, String app);

    /** Stops every service of the application (releasing all nodes), then the application. */
    ApplicationInfo stopApplication(String user, String app);

    void deleteApplication(String user, String app);

    ServiceInfo addService(String user, String app, String type, String name);

    List<ServiceInfo> services(String user, String app);

    ServiceInfo service(String user, String app, String svc);

    ServiceInfo renameService(String user, String app, String svc, String newName);

    /** Whether a failed node of the service is replaced by a new node of the same role (on by default). */
    ServiceInfo setReplaceFailedNodes(String user, String app, String svc, boolean replace);

    void removeService(String user, String app, String svc);

    ServiceInfo startService(String user, String app, String svc, String cloud);

    ServiceInfo stopService(String user, String app, String svc);

    ServiceInfo addNodes(String user, String app, String svc, Map<String, Integer> roles, String cloud);

    /**
     * Adds nodes of the given size (memory, CPU weight) where the cloud sizes nodes per request ({@link
     * org.conpaas.api.cloud.CloudCapability#NODE_SIZES}); any other cloud refuses a size with 400.
     */
    default ServiceInfo addNodes(String user, String app, String svc, Map<String, Integer> roles, String cloud,
            org.conpaas.api.cloud.NodeSize size) {
        if (size != null && !size.isDefault()) {
            throw new org.conpaas.api.UnsupportedCapabilityException("this director does not size nodes per request");
        }
        return addNodes(user, app, svc, roles, cloud);
    }

    ServiceInfo removeNodes(String user, String app, String svc, Map<String, Integer> roles);

    /**
     * Removes the named running nodes (the type's rules see them as counts per role, as in
     * {@link #removeNodes}); the manager does not choose.
     */
    ServiceInfo removeChosenNodes(String user, String app, String svc, List<String> nodeIds);

    /** Waits until the service is in a settled state or the timeout passes; returns its state then. */
    default ServiceInfo awaitSettled(String user, String app, String svc, Duration timeout) {
        return whenSettled(user, app, svc, timeout).toCompletableFuture().join();
    }

    /**
     * Completes with the service's info once it is in a settled state, or with its state when the timeout passes;
     * no thread waits meanwhile. Fails at once (like {@link #service}) for an unknown service.
     */
    CompletionStage<ServiceInfo> whenSettled(String user, String app, String svc, Duration timeout);

    List<NodeInfo> nodes(String user, String app, String svc);

    NodeInfo node(String user, String app, String svc, String node);

    /** Reads a log of a node's agent; {@code file} null means the agent's own log; {@code tail} 0 means all. */
    String nodeLog(String user, String app, String svc, String node, String file, int tail);

    List<StateChange> history(String user, String app, String svc);

    String managerLog(String user, String app, String svc, int tail);

    List<OperationDescriptor> operations(String user, String app, String svc);

    /** Calls a service-specific operation after checking the parameters against its descriptor. */
    Object invoke(String user, String app, String svc, String operation, Map<String, Object> params,
            Map<String, UploadedFile> files);

    // ---- accounts and credit (every method checks that the caller may do it)

    /** Creates a user; administrators only. */
    UserInfo createUser(String caller, NewUser user);

    /** Self-registration, when enabled in the director's configuration; the new user gets role {@code user}. */
    UserInfo registerUser(NewUser user);

    /** Every user; administrators only. */
    List<UserInfo> users(String caller);

    /** A user: oneself, or anyone for an administrator. */
    UserInfo user(String caller, String username);

    /** Adds (or, with a negative delta, removes) credit; administrators only. */
    UserInfo addCredit(String caller, String username, long delta);

    void changePassword(String caller, String oldPassword, String newPassword);

    /** Deletes a user (administrators only); their certificates stop working and the name is never reused. */
    void deleteUser(String caller, String username);

    /** The credit ledger of a user, newest first: oneself, or anyone for an administrator. */
    List<Charge> charges(String caller, String username);

    /** A new key and certificate for the caller: a zip of {@code cert.pem}, {@code key.pem}, {@code ca_cert.pem}. */
    byte[] userCertificate(String caller);

    // ---- code versions and startup scripts

    /** Stores an archive (tar, tar.gz, tar.bz2 or zip, told apart by content) as a new code version. */
    CodeVersionInfo uploadCode(String user, String app, String svc, UploadedFile archive, String description);

    /** Newest first; the active one is marked. */
    List<CodeVersionInfo> codeVersions(String user, String app, String svc);

    /** The original archive of a version, under its original file name. */
    UploadedFile downloadCode(String user, String app, String svc, String version);

    /** Deletes a version; the active one cannot be deleted (409). */
    void deleteCode(String user, String app, String svc, String version);

    /** Makes a version the active one (if the type takes it): at once without nodes, else ADAPTING → RUNNING. */
    ServiceInfo activateCode(String user, String app, String svc, String version);

    /** The service's startup script, run on every node created afterwards before its agent starts; null if none. */
    String startupScript(String user, String app, String svc);

    /** Sets (or, with null or empty text, clears) the startup script. */
    void setStartupScript(String user, String app, String svc, String script);

    // ---- volumes

    /** The service's volumes, by name. */
    List<VolumeInfo> volumes(String user, String app, String svc);

    /**
     * Creates a volume of {@code sizeMb} MB and attaches it to one of the service's nodes, where it is mounted:
     * ADAPTING → RUNNING. Refused (nothing changed) for a bad or taken name, a size below 1, an unknown node, a type
     * without volumes, or when the service type says not now (generic: while a script runs).
     */
    ServiceInfo createVolume(String user, String app, String svc, String name, int sizeMb, String node);

    /** Unmounts, detaches and deletes a volume, destroying its data: ADAPTING → RUNNING. */
    ServiceInfo deleteVolume(String user, String app, String svc, String name);
}
