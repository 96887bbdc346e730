package io.ecscloudstack.ecs;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * Loads {@code libecs_jni.so} once per JVM and checks that it is the version this jar expects.
 *
 * <p>Where it looks, in order:
 * <ol>
 * <li>the file named by the system property {@code ecs.native.path};</li>
 * <li>{@code java.library.path} ({@code System.loadLibrary("ecs_jni")});</li>
 * <li>the copy packed in this jar at {@code /native/<os>-<arch>/libecs_jni.so}, extracted to a
 * temporary file.</li>
 * </ol>
 * The library's {@code JNI_OnLoad} registers every native method of {@link EcsNative}, so a
 * library that does not match these classes fails here, not at the first call. Logging of the
 * native side is set up with the directives of the system property {@code ecs.native.log}
 * ({@code tracing} filter syntax, e.g. {@code info,ecs_mgmt=debug}).
 */
final class NativeLibrary {
    /** The library name without prefix or suffix, as cargo names the cdylib of crate ecs-jni. */
    static final String NAME = "ecs_jni";

    private static boolean loaded;
    private static String failure;
    private static String source;

    private NativeLibrary() {
    }

    /**
     * Loads the library unless it is loaded already.
     *
     * @throws EcsException {@link ErrorCode#INTERNAL} when it cannot be found or loaded, or its
     *                      version differs from this jar's; every later call fails the same way
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        if (failure != null) {
            throw new EcsException(ErrorCode.INTERNAL, failure);
        }
        try {
            source = loadFromFirstPlace();
            checkVersion(jarVersion(), EcsNative.version());
            EcsNative.initLogging(System.getProperty("ecs.native.log"));
            loaded = true;
        } catch (UnsatisfiedLinkError | IOException | IllegalStateException e) {
            failure = "cannot load the ECS native library: " + e.getMessage();
            throw new EcsException(ErrorCode.INTERNAL, failure);
        }
    }

    /** @return where the library was loaded from, or {@code null} before {@link #load()} */
    static synchronized String source() {
        return source;
    }

    private static String loadFromFirstPlace() throws IOException {
        String explicit = System.getProperty("ecs.native.path");
        if (explicit != null && !explicit.isBlank()) {
            String path = new File(explicit).getAbsolutePath();
            System.load(path);
            return path;
        }
        try {
            System.loadLibrary(NAME);
            return "java.library.path";
        } catch (UnsatisfiedLinkError notOnLibraryPath) {
            return loadFromJar();
        }
    }

    private static String loadFromJar() throws IOException {
        String resource = "/native/" + classifier() + "/" + System.mapLibraryName(NAME);
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnsatisfiedLinkError(System.mapLibraryName(NAME) + " is not at -Decs.native.path, not on "
                        + "java.library.path, and not in the jar at " + resource);
            }
            Path file = Files.createTempFile("libecs_jni-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
            return "jar:" + resource;
        }
    }

    /** @return {@code linux-x86_64}, {@code linux-aarch_64}, ... (the os-maven-plugin classifier) */
    static String classifier() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.replace(' ', '_');
        String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : arch;
        return osPart + "-" + archPart;
    }

    /** @return the version this jar was built as, from {@code ecs-java.properties} */
    static String jarVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = NativeLibrary.class.getResourceAsStream("ecs-java.properties")) {
            if (in == null) {
                throw new IOException("ecs-java.properties is missing from the jar");
            }
            properties.load(in);
        }
        return properties.getProperty("version", "unknown");
    }

    /** @throws IllegalStateException when the versions differ */
    static void checkVersion(String jar, String nativeLibrary) {
        if (!jar.equals(nativeLibrary)) {
            throw new IllegalStateException("the native library is version " + nativeLibrary + " but ecs-java is "
                    + jar + "; use the library built with this jar");
        }
    }
}
