package org.conpaas.service.xtreemfs;

import static org.conpaas.service.xtreemfs.XtreemfsServiceType.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conpaas.api.ConflictException;
import org.conpaas.api.InvalidInputException;
import org.conpaas.api.NotFoundException;
import org.conpaas.api.UnsupportedCapabilityException;
import org.conpaas.api.service.ServiceNode;

/**
 * The original's XtreemFS operations on MooseFS. Each checks everything before it changes anything, so a refused
 * call leaves the service as it was; where MooseFS has no equivalent the answer says so in one sentence.
 */
final class XtreemfsUserOperations {

    static final List<String> REPLICATION_POLICIES = List.of("none", "goal");
    static final String STRIPING_REFUSED = "MooseFS has no striping policies: it cuts every file into 64 MB chunks "
            + "and spreads them over the OSDs by itself, so nothing was changed.";
    static final String USER_CERT_REFUSED = "MooseFS has no user certificates: a mount acts with the uids and gids "
            + "of the client's processes; use get_client_cert for a volume's mount credential.";
    static final String SELECTION_NOTE = "MooseFS chooses OSDs and replicas itself (the least used chunkservers; "
            + "the nearest copy for reads): default is the only policy.";
    static final int MAX_FACTOR = 9;

    private final XtreemfsManager manager;
    private final Volumes volumes;

    XtreemfsUserOperations(XtreemfsManager manager, Volumes volumes) {
        this.manager = manager;
        this.volumes = volumes;
    }

    Object invoke(String operation, Map<String, Object> params) {
        return switch (operation) {
            case CREATE_VOLUME -> createVolume(VolumeNames.check(params.get(VOLUME_NAME)), owner(params.get(OWNER)));
            case DELETE_VOLUME -> deleteVolume(existing(params));
            case LIST_VOLUMES -> Map.of("volumes", listVolumes());
            case LIST_STRIPING_POLICIES -> Map.of("policies", List.of(), "note", STRIPING_REFUSED);
            case LIST_REPLICATION_POLICIES -> Map.of("policies", REPLICATION_POLICIES, "note", "none keeps one copy "
                    + "of every chunk; goal keeps `factor` copies on different OSDs (MooseFS's goal, 1 to 9)");
            case LIST_OSD_SEL_POLICIES, LIST_REPLICA_SEL_POLICIES -> Map.of("policies", List.of("default"),
                    "note", SELECTION_NOTE);
            case SET_REPLICATION_POLICY -> setReplication(existing(params), params.get(POLICY), params.get(FACTOR));
            case SET_STRIPING_POLICY -> {
                existing(params);
                throw new UnsupportedCapabilityException(STRIPING_REFUSED);
            }
            case SET_OSD_SEL_POLICY, SET_REPLICA_SEL_POLICY -> {
                String name = existing(params);
                if (!"default".equals(params.get(POLICY))) {
                    throw new InvalidInputException(POLICY, "unknown policy " + shorten(params.get(POLICY))
                            + "; available: default. " + SELECTION_NOTE);
                }
                yield Map.of("volumeName", name, "policy", "default");
            }
            case GET_CLIENT_CERT -> clientCredentials(Boolean.TRUE.equals(params.get(ADMINFLAG)));
            case GET_USER_CERT -> throw new UnsupportedCapabilityException(USER_CERT_REFUSED);
            case SET_OSD_SIZE -> setOsdSize(params.get(SIZE));
            case GET_SERVICE_INFO -> serviceInfo();
            default -> throw new InvalidInputException("unknown operation " + operation);
        };
    }

    private Map<String, Object> createVolume(String name, String owner) {
        if (volumes.get(name).isPresent()) {
            throw new ConflictException("volume " + name + " exists already");
        }
        ServiceNode dir = manager.dirNode();
        String password = Volumes.newPassword();
        Map<String, Object> exports = volumes.exports();
        exports.put(name, password);
        manager.context.agents().call(dir, XtreemfsOperations.MAKE_VOLUME, Map.of(XtreemfsOperations.NAME, name,
                XtreemfsOperations.GOAL, 1));
        try {
            manager.context.agents().call(dir, XtreemfsOperations.SET_EXPORTS,
                    Map.of(XtreemfsOperations.EXPORTS, exports));
        } catch (RuntimeException e) {
            manager.context.agents().call(dir, XtreemfsOperations.REMOVE_VOLUME, Map.of(XtreemfsOperations.NAME, name));
            throw e;
        }
        volumes.put(name, new Volumes.Volume(owner, password, 1));
        manager.publishVariables();
        manager.context.log().info("volume " + name + " created for " + (owner.isEmpty() ? "nobody named" : owner));
        return describe(name, volumes.get(name).orElseThrow());
    }

    private Map<String, Object> deleteVolume(String name) {
        ServiceNode dir = manager.dirNode();
        Map<String, Object> exports = volumes.exports();
        exports.remove(name);
        // the export goes first: no new mount while the files are deleted
        manager.context.agents().call(dir, XtreemfsOperations.SET_EXPORTS, Map.of(XtreemfsOperations.EXPORTS, exports));
        manager.context.agents().call(dir, XtreemfsOperations.REMOVE_VOLUME, Map.of(XtreemfsOperations.NAME, name));
        volumes.remove(name);
        manager.publishVariables();
        manager.context.log().info("volume " + name + " deleted");
        return Map.of("deleted", name);
    }

    private List<Map<String, Object>> listVolumes() {
        List<Map<String, Object>> list = new ArrayList<>();
        volumes.all().forEach((name, volume) -> list.add(describe(name, volume)));
        return list;
    }

    private Map<String, Object> setReplication(String name, Object policy, Object factorValue) {
        if (!(policy instanceof String p) || !REPLICATION_POLICIES.contains(p)) {
            throw new InvalidInputException(POLICY, "unknown replication policy " + shorten(policy)
                    + "; available: " + String.join(", ", REPLICATION_POLICIES));
        }
        int factor;
        if (p.equals("none")) {
            if (factorValue != null && !(factorValue instanceof Number n && n.intValue() == 1)) {
                throw new InvalidInputException(FACTOR, "policy none keeps one copy: leave factor out or give 1");
            }
            factor = 1;
        } else {
            if (!(factorValue instanceof Number n) || n.intValue() < 1 || n.intValue() > MAX_FACTOR) {
                throw new InvalidInputException(FACTOR, "policy goal needs a factor from 1 to " + MAX_FACTOR);
            }
            factor = n.intValue();
            int osds = manager.chunkservers().size();
            if (factor > osds) {
                throw new InvalidInputException(FACTOR, "a factor of " + factor + " needs as many OSDs; the "
                        + "service has " + osds + ": add osd nodes first");
            }
        }
        manager.context.agents().call(manager.dirNode(), XtreemfsOperations.SET_GOAL,
                Map.of(XtreemfsOperations.NAME, name, XtreemfsOperations.GOAL, factor));
        Volumes.Volume old = volumes.get(name).orElseThrow();
        volumes.put(name, new Volumes.Volume(old.owner(), old.password(), factor));
        return describe(name, volumes.get(name).orElseThrow());
    }

    private Map<String, Object> clientCredentials(boolean admin) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("certificate", null);
        answer.put("note", "MooseFS has no certificates: a client mounts a volume with its export password "
                + "(the passphrase is not used)" + (admin ? "; the whole file system is exported to the DIR node "
                + "only, so there is no administrator credential to hand out" : ""));
        answer.put("master", manager.dirNode().address());
        Map<String, Object> mounts = new LinkedHashMap<>();
        volumes.all().forEach((name, volume) -> mounts.put(name, Map.of("password", volume.password(),
                "mount", mountCommand(name, volume))));
        answer.put("volumes", mounts);
        return answer;
    }

    private Map<String, Object> setOsdSize(Object value) {
        if (!(value instanceof Number n) || n.intValue() < MIN_OSD_MB || n.intValue() > MAX_OSD_MB) {
            throw new InvalidInputException(SIZE, "the OSD volume size is " + MIN_OSD_MB + " to " + MAX_OSD_MB
                    + " MB, not " + shorten(value));
        }
        manager.context.state().put(XtreemfsManager.OSD_SIZE_KEY, String.valueOf(n.intValue()));
        return Map.of("osd_volume_size", n.intValue(), "note", "applies to OSDs added from now on");
    }

    private Map<String, Object> serviceInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("backend", "MooseFS 3.0 (mfsmaster = DIR and MRC, mfschunkserver = OSD)");
        info.put("master", manager.dirNode().address());
        info.put("osd_volume_size", manager.osdVolumeMb());
        info.put("osds", manager.chunkservers());
        info.put("mount", "mfsmount <folder> -H " + manager.dirNode().address()
                + " -S /<volume> -o mfspassword=<the volume's password from get_client_cert>");
        return info;
    }

    private Map<String, Object> describe(String name, Volumes.Volume volume) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("owner", volume.owner());
        map.put("replicationPolicy", volume.factor() == 1 ? "none" : "goal");
        map.put("replicationFactor", volume.factor());
        map.put("mount", mountCommand(name, volume).replace(volume.password(), "<password from get_client_cert>"));
        return map;
    }

    private String mountCommand(String name, Volumes.Volume volume) {
        return "mfsmount <folder> -H " + manager.dirNode().address() + " -S /" + name + " -o mfspassword="
                + volume.password();
    }

    private String existing(Map<String, Object> params) {
        String name = VolumeNames.check(params.get(VOLUME_NAME));
        if (volumes.get(name).isEmpty()) {
            throw new NotFoundException("no volume " + name + " in this service");
        }
        return name;
    }

    private static String owner(Object value) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof String owner) || owner.length() > 64 || !owner.matches("[\\p{Graph} ]*")) {
            throw new InvalidInputException(OWNER, "the owner is at most 64 printable characters");
        }
        return owner;
    }

    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
