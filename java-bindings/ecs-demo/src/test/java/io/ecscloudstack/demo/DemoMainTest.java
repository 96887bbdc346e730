package io.ecscloudstack.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The demo's Java path end to end: DemoMain against a live ecs-sim (the binary named by
 * {@code -Decs.sim.path}, with its control plane on), through the plug-in, JNI and the Rust driver.
 */
class DemoMainTest {
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(Process sim, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!sim.isAlive()) {
                throw new IOException("ecs-sim exited with " + sim.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("ecs-sim did not listen on " + port);
    }

    @Test
    void everyStepPassesAndCountsItsRequests() throws Exception {
        String output = runAgainstSim(List.of());
        assertTrue(output.contains("[ 1/21] add the store (with its check report)"), output);
        // The store that refuses object lock (object_lock=refuse) refuses it clearly.
        assertTrue(output.contains("refused: ") && output.contains("[UNSUPPORTED]"), output);
        assertTrue(output.contains("[NOT_EMPTY]"), output);
        assertTrue(output.contains("21 steps passed"), output);
        assertTrue(output.contains("ok: 3 ECS requests (0 mgmt, 3 S3)"), "one PUT per uploaded object: " + output);
        // Beyond other drivers: the check report says object lock is there, the default store
        // creates a lock bucket whose delete names its date, and the rest of the steps.
        assertTrue(output.contains("S3 Object Lock supported"), output);
        assertTrue(output.contains("object lock on, and versioning on in CloudStack's row"), output);
        assertTrue(output.contains("holds object versions under object-lock retention until "), output);
        assertTrue(output.contains("cloudstack:account="), output);
        assertTrue(output.contains("writing demo-public-") && output.contains("with it: refused"), output);
        assertTrue(output.contains("the old key no longer works, the new one does"), output);
        assertTrue(output.contains(": no drift"), output);
        assertTrue(output.contains("the first domain's keys: NOT_FOUND"), output);
        assertTrue(output.contains(": deleted 1 object version(s)"), output);
    }

    @Test
    void onAnEcsWithoutObjectLockTheLockStepsSaySoAndTheRestPasses() throws Exception {
        String output = runAgainstSim(List.of("--ecs-version", "3.6"));
        assertTrue(output.contains("no S3 Object Lock (it needs ECS 3.6.2 or later)"), output);
        assertTrue(output.contains("skipped: this ECS has no S3 Object Lock"), output);
        assertTrue(output.contains(": no drift"), output);
        assertTrue(output.contains("21 steps passed"), output);
    }

    /** Runs the demo against a fresh ecs-sim started with {@code simArgs}; asserts exit 0. */
    private static String runAgainstSim(List<String> simArgs) throws Exception {
        String path = System.getProperty("ecs.sim.path");
        Assumptions.assumeTrue(path != null && !path.isBlank() && !path.contains("${"),
                "set -Decs.sim.path to the ecs-sim binary to run the demo test");
        File binary = new File(path);
        Assumptions.assumeTrue(binary.canExecute(), "ecs-sim binary not found at " + binary.getAbsolutePath());
        int mgmt = freePort();
        int s3 = freePort();
        List<String> command = new java.util.ArrayList<>(List.of(binary.getAbsolutePath(), "--mgmt-addr",
                "127.0.0.1:" + mgmt, "--s3-addr", "127.0.0.1:" + s3, "--control", "--log", "warn"));
        command.addAll(simArgs);
        Process sim = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            awaitPort(sim, mgmt);
            awaitPort(sim, s3);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("mgmt_url", "http://127.0.0.1:" + mgmt);
            details.put("sa_user", "root");
            details.put("sa_password", "ChangeMe");
            details.put("namespace", "ns1");
            details.put("s3_public_url", "http://127.0.0.1:" + s3);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code = DemoMain.runDemo(details);
            System.setOut(stdout);
            String output = captured.toString(StandardCharsets.UTF_8);
            stdout.print(output);
            assertEquals(0, code, output);
            return output;
        } finally {
            System.setOut(stdout);
            sim.destroy();
            if (!sim.waitFor(10, TimeUnit.SECONDS)) {
                sim.destroyForcibly();
            }
        }
    }
}
