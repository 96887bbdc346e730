package io.ecscloudstack.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader and the library's life in fresh JVMs (a library loads once per JVM): the
 * {@code java.library.path} step, a Java class that does not match the library's natives failing
 * the load itself, and a JVM exiting normally once its stores are closed.
 */
class LoaderTest {
    private static final String LIBRARY = System.getProperty("ecs.native.path");

    /** Runs {@link LoaderProbe} in a child JVM; returns its output. */
    private static String probe(String classpathPrefix, String... jvmArgs) throws IOException, InterruptedException {
        return run(LoaderProbe.class, classpathPrefix, jvmArgs);
    }

    /** Runs {@code main} in a child JVM with this JVM's class path; returns its output. */
    private static String run(Class<?> main, String classpathPrefix, String... jvmArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xcheck:jni");
        command.addAll(List.of(jvmArgs));
        String classpath = System.getProperty("java.class.path");
        command.add("-cp");
        command.add(classpathPrefix == null ? classpath : classpathPrefix + File.pathSeparator + classpath);
        command.add(main.getName());
        Path output = Files.createTempFile("probe-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(exited, () -> "the child JVM did not exit within 60 s: " + text);
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Test
    void javaLibraryPathIsSearchedWhenNoPathIsGiven() throws Exception {
        String dir = new File(LIBRARY).getAbsoluteFile().getParent();
        String output = probe(null, "-Djava.library.path=" + dir);
        assertEquals("loaded from java.library.path", output.trim(), output);
    }

    @Test
    void aJvmWhoseStoresAreClosedExitsWhenMainReturns() throws Exception {
        String output = run(ExitProbe.class, null, "-Decs.native.path=" + LIBRARY);
        assertEquals("listBuckets: CONNECT\nmain returns", output.trim(), output);
    }

    @Test
    void aMissingLibraryIsAnInternalEcsException() throws Exception {
        String output = probe(null, "-Decs.native.path=/nonexistent/libecs_jni.so");
        assertTrue(output.startsWith("INTERNAL: cannot load the ECS native library"), output);
    }

    @Test
    void aNativeSignatureMismatchFailsTheLoadNotTheFirstCall(@TempDir Path stub) throws Exception {
        // An EcsNative whose storeOpen takes a String instead of a String[].
        Path source = stub.resolve("io/ecscloudstack/ecs/EcsNative.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package io.ecscloudstack.ecs;\n"
                + "final class EcsNative {\n"
                + "    static native String version();\n"
                + "    static native boolean initLogging(String directives);\n"
                + "    static native long storeOpen(String details);\n"
                + "}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", stub.toString(), source.toString()));

        String output = probe(stub.toString(), "-Decs.native.path=" + LIBRARY);
        assertTrue(output.contains("INTERNAL: cannot load the ECS native library"), output);
        assertTrue(output.contains("storeOpen"), "the reason names the method: " + output);
    }
}
