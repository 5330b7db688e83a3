package org.conpaas.cloud.ec2;

import java.util.List;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The tags that mark a machine or volume as this director's: its deployment, the cloud's name and the configured
 * owner, plus the node id on machines. {@code list()} finds machines by the first three, so two directors (or two
 * clouds of one director) in one account never take each other's machines.
 */
final class Ec2Tags {

    static final String DEPLOYMENT = "conpaas:deployment";
    static final String CLOUD = "conpaas:cloud";
    static final String OWNER = "conpaas:owner";
    static final String NODE = "conpaas:node";
    static final String NAME = "Name";

    private final Ec2Settings settings;

    Ec2Tags(Ec2Settings settings) {
        this.settings = settings;
    }

    List<Tag> ours() {
        return List.of(tag(DEPLOYMENT, settings.deploymentName()), tag(CLOUD, settings.name()),
                tag(OWNER, settings.owner()));
    }

    /** The tags of a node's machine and of its root volume. */
    List<TagSpecification> forNode(String nodeId, String name) {
        List<Tag> tags = new java.util.ArrayList<>(ours());
        tags.add(tag(NODE, nodeId));
        tags.add(tag(NAME, name));
        return List.of(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build());
    }

    List<TagSpecification> forVolume(String name) {
        List<Tag> tags = new java.util.ArrayList<>(ours());
        tags.add(tag(NAME, name));
        return List.of(TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build());
    }

    List<Filter> filters() {
        return ours().stream().map(t -> Filter.builder().name("tag:" + t.key()).values(t.value()).build()).toList();
    }

    boolean isOurs(List<Tag> tags) {
        return tags != null && tags.containsAll(ours());
    }

    static String value(List<Tag> tags, String key) {
        return tags == null ? null : tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst()
                .orElse(null);
    }

    static String nodeId(Instance instance) {
        return value(instance.tags(), NODE);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
