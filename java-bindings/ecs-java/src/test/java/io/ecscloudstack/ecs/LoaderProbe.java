package io.ecscloudstack.ecs;

/** Run in a child JVM by {@link LoaderTest}: loads the library and prints where from, or why not. */
public final class LoaderProbe {
    private LoaderProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        try {
            NativeLibrary.load();
            System.out.println("loaded from " + NativeLibrary.source());
        } catch (EcsException e) {
            System.out.println(e.code() + ": " + e.getMessage());
        }
        System.exit(0);
    }
}
