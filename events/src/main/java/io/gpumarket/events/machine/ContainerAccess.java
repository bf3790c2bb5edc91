package io.gpumarket.events.machine;

/**
 * How a running container is reached from outside, as its host agent published it: the machine's
 * public host name or address, and the host ports mapped to the container's SSH (22) and Jupyter
 * (8888) ports (null when not published).
 */
public record ContainerAccess(String host, Integer sshPort, Integer jupyterPort) {}
