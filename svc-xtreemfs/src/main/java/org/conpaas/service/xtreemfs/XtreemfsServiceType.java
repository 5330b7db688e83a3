package org.conpaas.service.xtreemfs;

import static org.conpaas.api.model.ParameterDescriptor.optional;
import static org.conpaas.api.model.ParameterDescriptor.required;

import java.util.List;
import java.util.Map;
import org.conpaas.api.model.OperationDescriptor;
import org.conpaas.api.model.ParameterType;
import org.conpaas.api.service.ServiceContext;
import org.conpaas.api.service.ServiceManager;
import org.conpaas.api.service.ServiceType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * XtreemFS's contract (DIR, MRC and OSD roles, volumes, policies, credentials) on MooseFS: the first node runs the
 * MooseFS master (the DIR and the MRC: one process keeps both the registry of servers and the namespace) and a
 * chunkserver (an OSD); every added {@code osd} node runs one more chunkserver. XtreemFS itself cannot be obtained
 * (docs/decisions.md).
 */
@Component(service = ServiceType.class, property = ServiceType.PROPERTY + "=" + XtreemfsServiceType.NAME,
        configurationPid = XtreemfsServiceType.PID)
@Designate(ocd = XtreemfsServiceType.Config.class)
public class XtreemfsServiceType implements ServiceType {

    public static final String NAME = "xtreemfs";
    public static final String PID = "org.conpaas.service.xtreemfs";
    public static final String DIR = "dir";
    public static final String MRC = "mrc";
    public static final String OSD = "osd";
    /** The bounds of an OSD's volume: a chunkserver keeps 64 MB free and wants room for a few 64 MB chunks. */
    public static final int MIN_OSD_MB = 256;
    public static final int MAX_OSD_MB = 1024 * 1024;

    @ObjectClassDefinition(name = "ConPaaS XtreemFS service (on MooseFS)",
            description = "Defaults of every new xtreemfs service")
    public @interface Config {
        @AttributeDefinition(description = "The size in MB of the volume each OSD (MooseFS chunkserver) keeps its "
                + "chunks on, for new services (256 to 1048576; a value outside is taken as the nearest bound); "
                + "a service changes its own with set_osd_size")
        int osdVolumeMb() default 1024;
    }

    /** Operations, with the original's names. */
    public static final String CREATE_VOLUME = "createVolume";
    public static final String DELETE_VOLUME = "deleteVolume";
    public static final String LIST_VOLUMES = "listVolumes";
    public static final String LIST_STRIPING_POLICIES = "list_striping_policies";
    public static final String LIST_REPLICATION_POLICIES = "list_replication_policies";
    public static final String LIST_OSD_SEL_POLICIES = "list_osd_sel_policies";
    public static final String LIST_REPLICA_SEL_POLICIES = "list_replica_sel_policies";
    public static final String SET_REPLICATION_POLICY = "set_replication_policy";
    public static final String SET_STRIPING_POLICY = "set_striping_policy";
    public static final String SET_OSD_SEL_POLICY = "set_osd_sel_policy";
    public static final String SET_REPLICA_SEL_POLICY = "set_replica_sel_policy";
    public static final String GET_CLIENT_CERT = "get_client_cert";
    public static final String GET_USER_CERT = "get_user_cert";
    public static final String SET_OSD_SIZE = "set_osd_size";
    public static final String GET_SERVICE_INFO = "get_service_info";
    /** Parameters. */
    public static final String VOLUME_NAME = "volumeName";
    public static final String OWNER = "owner";
    public static final String POLICY = "policy";
    public static final String FACTOR = "factor";
    public static final String WIDTH = "width";
    public static final String STRIPE_SIZE = "stripe-size";
    public static final String PASSPHRASE = "passphrase";
    public static final String ADMINFLAG = "adminflag";
    public static final String USER = "user";
    public static final String GROUP = "group";
    public static final String SIZE = "size";

    private static final List<OperationDescriptor> OPERATIONS = List.of(
            new OperationDescriptor(CREATE_VOLUME, "Create a volume (a top-level folder of the MooseFS file system, "
                    + "exported on its own with a password of its own)", List.of(
                    required(VOLUME_NAME, ParameterType.STRING, "1 to 64 of A-Z a-z 0-9 . _ - (no / nor ..)"),
                    optional(OWNER, ParameterType.STRING, "who the volume is for (kept and listed)")), false),
            new OperationDescriptor(DELETE_VOLUME, "Delete a volume and every file in it", List.of(
                    required(VOLUME_NAME, ParameterType.STRING, "the volume")), false),
            new OperationDescriptor(LIST_VOLUMES, "The volumes: owner, replication factor, how to mount", List.of(),
                    true),
            new OperationDescriptor(LIST_STRIPING_POLICIES, "Striping policies (MooseFS has none: see the answer)",
                    List.of(), true),
            new OperationDescriptor(LIST_REPLICATION_POLICIES, "Replication policies", List.of(), true),
            new OperationDescriptor(LIST_OSD_SEL_POLICIES, "OSD selection policies", List.of(), true),
            new OperationDescriptor(LIST_REPLICA_SEL_POLICIES, "Replica selection policies", List.of(), true),
            new OperationDescriptor(SET_REPLICATION_POLICY, "Keep every chunk of a volume's files on `factor` OSDs "
                    + "(MooseFS goal; policy none = 1 copy)", List.of(
                    required(VOLUME_NAME, ParameterType.STRING, "the volume"),
                    required(POLICY, ParameterType.STRING, "none or goal"),
                    optional(FACTOR, ParameterType.INTEGER, "copies of every chunk, 1 to 9 and at most the OSDs")),
                    false),
            new OperationDescriptor(SET_STRIPING_POLICY, "Not available on MooseFS (the answer says why)", List.of(
                    required(VOLUME_NAME, ParameterType.STRING, "the volume"),
                    required(POLICY, ParameterType.STRING, "the policy"),
                    optional(WIDTH, ParameterType.INTEGER, "stripe width"),
                    optional(STRIPE_SIZE, ParameterType.INTEGER, "stripe size in KB")), false),
            new OperationDescriptor(SET_OSD_SEL_POLICY, "OSD selection: only MooseFS's own placement (default)",
                    List.of(required(VOLUME_NAME, ParameterType.STRING, "the volume"),
                            required(POLICY, ParameterType.STRING, "default")), false),
            new OperationDescriptor(SET_REPLICA_SEL_POLICY, "Replica selection: only MooseFS's own (default)",
                    List.of(required(VOLUME_NAME, ParameterType.STRING, "the volume"),
                            required(POLICY, ParameterType.STRING, "default")), false),
            new OperationDescriptor(GET_CLIENT_CERT, "MooseFS has no certificates: the volumes' mount credentials "
                    + "(export passwords) and mount commands", List.of(
                    optional(PASSPHRASE, ParameterType.STRING, "not used by MooseFS"),
                    optional(ADMINFLAG, ParameterType.BOOLEAN, "also the credential of the whole file system")),
                    true),
            new OperationDescriptor(GET_USER_CERT, "MooseFS has no user certificates (the answer says what to use)",
                    List.of(optional(USER, ParameterType.STRING, "user"), optional(GROUP, ParameterType.STRING,
                            "group"), optional(PASSPHRASE, ParameterType.STRING, "passphrase"),
                            optional(ADMINFLAG, ParameterType.BOOLEAN, "admin")), true),
            new OperationDescriptor(SET_OSD_SIZE, "The size in MB of the volume of OSDs added from now on",
                    List.of(required(SIZE, ParameterType.INTEGER, MIN_OSD_MB + " to " + MAX_OSD_MB)), false),
            new OperationDescriptor(GET_SERVICE_INFO, "The master's address, the OSDs with their space, the "
                    + "OSD volume size and how to mount", List.of(), true));

    private final int osdVolumeMb;

    @Activate
    public XtreemfsServiceType(Config config) {
        this.osdVolumeMb = Math.max(MIN_OSD_MB, Math.min(MAX_OSD_MB, config.osdVolumeMb()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "XtreemFS-style distributed file system on MooseFS 3.0: DIR/MRC = mfsmaster, OSDs = chunkservers, "
                + "volumes mounted with mfsmount";
    }

    @Override
    public List<String> roles() {
        return List.of(DIR, MRC, OSD);
    }

    @Override
    public String defaultRole() {
        return OSD;
    }

    /** One node running the DIR, the MRC (both the MooseFS master) and an OSD, as the original's first node. */
    @Override
    public Map<String, Integer> startingNodes() {
        return Map.of(DIR, 1);
    }

    @Override
    public List<OperationDescriptor> operations() {
        return OPERATIONS;
    }

    @Override
    public ServiceManager createManager(ServiceContext context) {
        return new XtreemfsManager(context, osdVolumeMb);
    }
}
