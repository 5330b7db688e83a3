package org.conpaas.itests;

import static org.conpaas.itests.DirectorTestSupport.eventually;
import static org.conpaas.itests.DirectorTestSupport.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.conpaas.api.director.Director;
import org.conpaas.itests.DirectorTestSupport.Api;
import org.ops4j.pax.exam.Option;

/**
 * The xtreemfs service (MooseFS underneath) on a cloud whose nodes have addresses of their own, which this host
 * reaches: the DIR node starts, a volume is created and mounted from this host with the credential get_client_cert
 * gives, files with known SHA-256 are written; two OSDs join (on volumes of the size set_osd_size chose), replication
 * goes to 2, an OSD is removed after its chunks moved: every file reads back the same through a fresh mount. Bad
 * inputs are refused with a sentence and change nothing; the volume is deleted at the end. Used by {@link XtreemfsIT}
 * (the local cloud's namespace mode) and {@link LxcCloudIT} (containers, whose agent runs MooseFS as root inside).
 *
 * @param cloud         the cloud's name
 * @param subnet        what every node's address starts with
 * @param genericWriter whether a Generic service of the application also writes to the volume from its init.sh
 */
record XtreemfsScenarios(Api api, Director director, String cloud, String subnet, boolean genericWriter) {

    static final Duration SETTLE = Duration.ofSeconds(120);
    private static final String USER = "admin";

    /** The configuration the scenario expects: small OSD volumes, the test's files take a few chunks. */
    static Option smallOsdVolumes() {
        return editConfigurationFilePut("etc/org.conpaas.service.xtreemfs.cfg", "osdVolumeMb", "256");
    }

    void volumeSurvivesScalingAndOsdRemoval() throws Exception {
        eventually("cloud " + cloud + " available", SETTLE, () -> {
            for (JsonNode c : api.get("/clouds").ok()) {
                if (cloud.equals(c.path("name").asText())) {
                    assertTrue("available: " + c, c.path("available").asBoolean(true));
                    return true;
                }
            }
            return false;
        });
        long appId = api.post("/applications", json("name", "xfs-it")).ok().path("id").asLong();
        String a = "/applications/" + appId;
        Path mount = Files.createTempDirectory("xfs-it-mnt");
        try {
            api.post(a + "/start", json()).ok();
            eventually("application RUNNING", SETTLE, () -> "RUNNING".equals(api.get(a).ok().path("state").asText()));
            int svcId = api.post(a + "/services", json("type", "xtreemfs", "name", "fs")).ok().path("id").asInt();
            String s = a + "/services/" + svcId;
            api.post(s + "/start?wait=120", json("cloud", cloud)).ok();
            eventually("service RUNNING", SETTLE, () -> "RUNNING".equals(api.get(s).ok().path("state").asText()));
            JsonNode nodes = api.get(s + "/nodes").ok();
            assertEquals(nodes.toString(), 1, nodes.size());
            assertEquals(nodes.toString(), "dir", nodes.get(0).path("role").asText());
            String master = nodes.get(0).path("address").asText();
            assertTrue("an address on the bridge: " + master, master.startsWith(subnet));

            JsonNode created = op(api, s, "createVolume", json("volumeName", "data", "owner", "alice")).ok();
            assertEquals(created.toString(), "data", created.path("name").asText());
            JsonNode creds = op(api, s, "get_client_cert", json("passphrase", "x")).ok();
            String password = creds.path("volumes").path("data").path("password").asText();
            assertFalse("a password: " + creds, password.isEmpty());
            assertTrue(creds.toString(), creds.path("note").asText().contains("no certificates"));

            mfsmount(mount, master, "data", password);
            Map<String, String> sums = new LinkedHashMap<>();
            Random random = new Random(17);
            for (int i = 0; i < 6; i++) {
                byte[] content = new byte[(i == 0 ? 20 : 3) << 20];
                random.nextBytes(content);
                Files.write(mount.resolve("file-" + i), content);
                sums.put("file-" + i, sha256(content));
            }
            umount(mount);

            if (genericWriter) {
                genericScriptWritesToTheVolume(a, mount, master, password);
            }
            badInputsChangeNothing(api, s);

            // OSDs added now get volumes of the size set_osd_size chose
            op(api, s, "set_osd_size", json("size", 300)).ok();
            JsonNode grown = api.post(s + "/nodes?wait=120", json("roles", Map.of("osd", 2), "cloud", cloud)).ok();
            assertEquals(grown.toString(), 2, grown.path("nodes").path("osd").asInt());
            List<String> sizes = director.volumes(USER, String.valueOf(appId), String.valueOf(svcId)).stream()
                    .map(v -> v.name() + "=" + v.sizeMb()).sorted().toList();
            assertEquals("one volume per node, the new OSDs' of 300 MB: " + sizes, 3, sizes.size());
            assertEquals(sizes.toString(), 2, sizes.stream().filter(v -> v.endsWith("=300")).count());
            JsonNode info = op(api, s, "get_service_info", json()).ok();
            assertEquals(info.toString(), 3, info.path("osds").size());

            JsonNode replicated = op(api, s, "set_replication_policy",
                    json("volumeName", "data", "policy", "goal", "factor", 2)).ok();
            assertEquals(replicated.toString(), 2, replicated.path("replicationFactor").asInt());

            api.post(s + "/nodes/remove", json("roles", Map.of("dir", 1))).problem(400, "Cannot remove the DIR node.");
            api.post(s + "/nodes/remove", json("roles", Map.of("mrc", 1))).problem(400, "Cannot remove the MRC node.");
            api.post(s + "/nodes/remove?wait=300", json("roles", Map.of("osd", 1))).ok();
            eventually("two nodes left", SETTLE, () -> api.get(s + "/nodes").ok().size() == 2);
            assertEquals(2, op(api, s, "get_service_info", json()).ok().path("osds").size());

            mfsmount(mount, master, "data", password);
            for (Map.Entry<String, String> file : sums.entrySet()) {
                assertEquals(file.getKey() + " reads back the same after the OSD left", file.getValue(),
                        sha256(Files.readAllBytes(mount.resolve(file.getKey()))));
            }
            umount(mount);

            op(api, s, "deleteVolume", json("volumeName", "data")).ok();
            assertEquals(0, op(api, s, "listVolumes", json()).ok().path("volumes").size());
            assertFalse("the deleted volume cannot be mounted", tryMount(mount, master, "data", password));
            api.post(s + "/stop?wait=120", json()).ok();
        } finally {
            umount(mount);
            api.post(a + "/stop?wait=120", json());
            api.delete(a);
            Files.deleteIfExists(mount);
        }
    }

    /**
     * A Generic service of the same application mounts the volume from its init.sh with the variables the xtreemfs
     * service published (XTREEMFS_MASTER, XTREEMFS_PASSWORD_DATA); its node is an unprivileged account, so the script
     * mounts in a user and mount namespace of its own. This host then reads what it wrote.
     */
    private void genericScriptWritesToTheVolume(String a, Path mount, String master, String password)
            throws Exception {
        String app = a.substring(a.lastIndexOf('/') + 1);
        String gen = String.valueOf(director.addService(USER, app, "generic", "writer").id());
        Path code = Files.createTempFile("xfs-it-generic", ".tar.gz");
        Path src = Files.createTempDirectory("xfs-it-generic-src");
        try {
            Files.writeString(src.resolve("init.sh"), "#!/bin/bash\n"
                    + "m=\"$HOME/xfs\"; mkdir -p \"$m\"\n"
                    + "unshare -Urm bash -c 'mfsmount \"$1\" -H \"$XTREEMFS_MASTER\" -S /data "
                    + "-o mfspassword=\"$XTREEMFS_PASSWORD_DATA\" >/dev/null 2>&1 "
                    + "&& echo \"written by $MY_IP\" > \"$1/from-generic.txt\"; r=$?; umount \"$1\"; exit $r' _ \"$m\"\n"
                    + "echo \"mount and write: $?\"\n");
            Process tar = new ProcessBuilder("tar", "-czf", code.toString(), "-C", src.toString(), "init.sh")
                    .redirectErrorStream(true).start();
            tar.getInputStream().readAllBytes();
            assertEquals(0, tar.waitFor());
            String version = director.uploadCode(USER, app, gen,
                    new org.conpaas.api.model.UploadedFile("file", "writer.tar.gz", code), null).id();
            director.activateCode(USER, app, gen, version);
        } finally {
            Files.deleteIfExists(src.resolve("init.sh"));
            Files.deleteIfExists(src);
            Files.deleteIfExists(code);
        }
        director.startService(USER, app, gen, cloud);
        assertEquals(org.conpaas.api.State.RUNNING, director.awaitSettled(USER, app, gen, SETTLE).state());
        String writer = director.nodes(USER, app, gen).get(0).address();
        Path file = mount.resolve("from-generic.txt");
        eventually("the generic node's init.sh wrote to the volume", Duration.ofSeconds(60), () -> {
            mfsmount(mount, master, "data", password);
            try {
                return Files.exists(file) && Files.readString(file).trim().equals("written by " + writer);
            } finally {
                umount(mount);
            }
        });
        director.stopService(USER, app, gen);
        director.awaitSettled(USER, app, gen, SETTLE);
    }

    /** Every refusal names the problem, and the volume stays as it was. */
    private static void badInputsChangeNothing(Api api, String s) throws Exception {
        op(api, s, "createVolume", json("volumeName", "../etc")).problem(400, "cannot contain");
        op(api, s, "createVolume", json("volumeName", "a/b")).problem(400, "cannot contain");
        op(api, s, "createVolume", json("volumeName", "x".repeat(65))).problem(400, "at most 64");
        op(api, s, "createVolume", json("volumeName", "data")).problem(409, "exists already");
        op(api, s, "deleteVolume", json("volumeName", "nope")).problem(404, "no volume nope");
        op(api, s, "set_replication_policy", json("volumeName", "nope", "policy", "goal", "factor", 1))
                .problem(404, "no volume nope");
        op(api, s, "set_replication_policy", json("volumeName", "data", "policy", "WqRx", "factor", 2))
                .problem(400, "unknown replication policy WqRx");
        op(api, s, "set_replication_policy", json("volumeName", "data", "policy", "goal", "factor", 3))
                .problem(400, "needs as many OSDs");
        op(api, s, "set_striping_policy", json("volumeName", "data", "policy", "RAID0", "width", 2))
                .problem(409, "no striping policies");
        op(api, s, "set_osd_sel_policy", json("volumeName", "data", "policy", "fastest"))
                .problem(400, "unknown policy fastest");
        op(api, s, "get_user_cert", json("user", "bob", "group", "users")).problem(409, "no user certificates");
        op(api, s, "set_osd_size", json("size", 10)).problem(400, "256 to");
        JsonNode volumes = op(api, s, "listVolumes", json()).ok().path("volumes");
        assertEquals(volumes.toString(), 1, volumes.size());
        assertEquals(volumes.toString(), 1, volumes.get(0).path("replicationFactor").asInt());
        assertEquals(volumes.toString(), "alice", volumes.get(0).path("owner").asText());
    }

    private static DirectorTestSupport.Reply op(Api api, String s, String operation, Map<String, Object> params) {
        return api.post(s + "/operations/" + operation, params);
    }

    private static void mfsmount(Path mount, String master, String volume, String password) throws Exception {
        assertTrue("mfsmount of " + volume + " from this host", tryMount(mount, master, volume, password));
    }

    /** Mounts as this host's root on the bridge (the test runs as root: the namespace mode needs it). */
    private static boolean tryMount(Path mount, String master, String volume, String password) throws Exception {
        Process p = new ProcessBuilder("mfsmount", mount.toString(), "-H", master, "-S", "/" + volume,
                "-o", "mfspassword=" + password).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("mfsmount ends", p.waitFor(60, TimeUnit.SECONDS));
        if (p.exitValue() != 0) {
            System.out.println("mfsmount " + volume + ": " + out.trim());
        }
        return p.exitValue() == 0;
    }

    private static void umount(Path mount) throws IOException, InterruptedException {
        if (!Files.readString(Path.of("/proc/self/mounts")).contains(" " + mount + " ")) {
            return;
        }
        Process p = new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
