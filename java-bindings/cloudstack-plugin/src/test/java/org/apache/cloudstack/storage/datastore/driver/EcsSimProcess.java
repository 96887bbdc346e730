package org.apache.cloudstack.storage.datastore.driver;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A live {@code ecs-sim} for one test class: the binary named by {@code -Decs.sim.path}, on free
 * loopback ports, with its output in a temporary log file. Tests are skipped (with the reason)
 * when the property or the binary is missing.
 */
final class EcsSimProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final int mgmtPort;
    private final int s3Port;
    private final Path log;

    private EcsSimProcess(Process process, int mgmtPort, int s3Port, Path log) {
        this.process = process;
        this.mgmtPort = mgmtPort;
        this.s3Port = s3Port;
        this.log = log;
    }

    /** Starts the simulator and waits until both ports accept connections. */
    static EcsSimProcess start() throws IOException, InterruptedException {
        String path = System.getProperty("ecs.sim.path");
        Assumptions.assumeTrue(path != null && !path.isBlank() && !path.contains("${"),
                "set -Decs.sim.path to the ecs-sim binary to run the live tests");
        File binary = new File(path);
        Assumptions.assumeTrue(binary.canExecute(), "ecs-sim binary not found at " + binary.getAbsolutePath());
        int mgmt = freePort();
        int s3 = freePort();
        Path log = Files.createTempFile("ecs-sim-", ".log");
        Process p = new ProcessBuilder(List.of(binary.getAbsolutePath(), "--mgmt-addr", "127.0.0.1:" + mgmt,
                "--s3-addr", "127.0.0.1:" + s3))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        EcsSimProcess sim = new EcsSimProcess(p, mgmt, s3, log);
        try {
            sim.awaitPort(mgmt);
            sim.awaitPort(s3);
        } catch (IOException | RuntimeException e) {
            sim.close();
            throw e;
        }
        return sim;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitPort(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("ecs-sim exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("ecs-sim did not listen on " + port + " within " + STARTUP + ": " + Files.readString(log));
    }

    String mgmtUrl() {
        return "http://127.0.0.1:" + mgmtPort;
    }

    String s3Url() {
        return "http://127.0.0.1:" + s3Port;
    }

    /** @return store details for the default seed (root/ChangeMe, namespace ns1) */
    Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("mgmt_url", mgmtUrl());
        d.put("sa_user", "root");
        d.put("sa_password", "ChangeMe");
        d.put("namespace", "ns1");
        d.put("s3_public_url", s3Url());
        return d;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
