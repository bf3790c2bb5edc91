package io.gpumarket.events.rental;

import java.util.List;
import java.util.Map;

/**
 * What the host agent needs to run an instance's container: image, launch mode, entrypoint and
 * args, environment, on-start script, SSH keys, its share of CPU, RAM and shared memory, and
 * credentials for a private image (both may be null on records written before they existed).
 */
public record ContainerSpec(
        String image,
        String launchMode,
        String entrypoint,
        List<String> args,
        Map<String, String> env,
        String onstart,
        List<String> sshPublicKeys,
        Resources resources,
        RegistryAuth registryAuth) {

    public ContainerSpec(String image, String launchMode, String entrypoint, List<String> args, Map<String, String> env,
            String onstart, List<String> sshPublicKeys) {
        this(image, launchMode, entrypoint, args, env, onstart, sshPublicKeys, null, null);
    }

    /** The same container with other SSH keys. */
    public ContainerSpec withSshPublicKeys(List<String> keys) {
        return new ContainerSpec(image, launchMode, entrypoint, args, env, onstart, List.copyOf(keys), resources,
                registryAuth);
    }
}
