package io.ecscloudstack.ecs;

import java.util.Map;

/**
 * Run in a child JVM by {@link LoaderTest}: uses a store (so the runtime's attached workers
 * start), closes it, and returns from {@code main} without {@code System.exit}.
 */
public final class ExitProbe {
    private ExitProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        Map<String, String> details = Map.of("mgmt_url", "http://127.0.0.1:9", "sa_user", "u", "sa_password", "p",
                "namespace", "ns1", "s3_public_url", "http://127.0.0.1:9");
        try (EcsObjectStore store = EcsObjectStore.open(details)) {
            store.listBuckets();
        } catch (EcsException e) {
            System.out.println("listBuckets: " + e.code());
        }
        System.out.println("main returns");
    }
}
