package io.mindstream.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Stable identities for the stages' Kafka group members (static membership, {@code group.instance.id}): a stage
 * restarted with the same id takes its partitions back at once instead of waiting for the dead member's session to
 * expire. Two members running at the same time must not share one (Kafka fences the older).
 */
public final class InstanceIds {

    private InstanceIds() {
    }

    /** {@code <group>-<instance>}, the instance defaulting to this host's name. */
    public static String of(String group, String instance) {
        return group + "-" + (instance != null && !instance.isBlank() ? instance : hostName());
    }

    /** This host's name (what a restart on the same machine gets again). */
    public static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }
}
