package io.gpumarket.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshPublicKeyTest {
    static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop";

    @Test
    void acceptsAnEd25519KeyAndFingerprintsItLikeOpenSsh() {
        SshPublicKey key = SshPublicKey.parse(ED25519);
        assertThat(key.type()).isEqualTo("ssh-ed25519");
        assertThat(key.fingerprint()).startsWith("SHA256:").doesNotEndWith("=");
    }

    @Test
    void rejectsGarbageAndMismatchedTypes() {
        assertThatThrownBy(() -> SshPublicKey.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 !!!")).hasMessageContaining("base64");
    }
}
