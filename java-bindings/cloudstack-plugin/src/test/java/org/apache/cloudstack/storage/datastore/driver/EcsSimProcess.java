package org.apache.cloudstack.storage.datastore.driver;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * A live {@code ecs-sim} for one test class: the binary named by {@code -Decs.sim.path}, on free
 * loopback ports, with its output in a temporary log file. Tests are skipped (with the reason)
 * when the property or the binary is missing.
 */
final class EcsSimProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private static final Pattern RECORD = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[0-9]+)");

    private final Process process;
    private final int mgmtPort;
    private final int s3Port;
    private final int secondS3Port;
    private final boolean s3Tls;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EcsSimProcess(Process process, int mgmtPort, int s3Port, int secondS3Port, boolean s3Tls, Path log) {
        this.process = process;
        this.mgmtPort = mgmtPort;
        this.s3Port = s3Port;
        this.secondS3Port = secondS3Port;
        this.s3Tls = s3Tls;
        this.log = log;
    }

    /** Starts the simulator and waits until both ports accept connections. */
    static EcsSimProcess start() throws IOException, InterruptedException {
        return start(false, false);
    }

    /**
     * Starts the simulator with its control plane (request log) and S3 on two addresses sharing
     * one state, as ECS's public and private S3 endpoints.
     *
     * @param s3Tls serve both S3 listeners over TLS (a generated certificate)
     * @param namespaceDefault also create namespace {@code default} (the upstream plug-in's)
     */
    static EcsSimProcess startWithTwoS3Listeners(boolean s3Tls, boolean namespaceDefault)
            throws IOException, InterruptedException {
        return start(true, s3Tls, namespaceDefault);
    }

    private static EcsSimProcess start(boolean twoS3, boolean s3Tls) throws IOException, InterruptedException {
        return start(twoS3, s3Tls, false);
    }

    private static EcsSimProcess start(boolean twoS3, boolean s3Tls, boolean namespaceDefault)
            throws IOException, InterruptedException {
        String path = System.getProperty("ecs.sim.path");
        Assumptions.assumeTrue(path != null && !path.isBlank() && !path.contains("${"),
                "set -Decs.sim.path to the ecs-sim binary to run the live tests");
        File binary = new File(path);
        Assumptions.assumeTrue(binary.canExecute(), "ecs-sim binary not found at " + binary.getAbsolutePath());
        int mgmt = freePort();
        int s3 = freePort();
        int second = twoS3 ? freePort() : -1;
        Path log = Files.createTempFile("ecs-sim-", ".log");
        List<String> command = new ArrayList<>(List.of(binary.getAbsolutePath(), "--mgmt-addr", "127.0.0.1:" + mgmt,
                "--s3-addr", "127.0.0.1:" + s3));
        if (twoS3) {
            command.addAll(List.of("--control", "--s3-second-addr", "127.0.0.1:" + second));
        }
        if (s3Tls) {
            command.add("--s3-tls");
        }
        if (namespaceDefault) {
            command.addAll(List.of("--namespace", "default"));
        }
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        EcsSimProcess sim = new EcsSimProcess(p, mgmt, s3, second, s3Tls, log);
        try {
            sim.awaitPort(mgmt);
            sim.awaitPort(s3);
            if (twoS3) {
                sim.awaitPort(second);
            }
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
        return (s3Tls ? "https" : "http") + "://127.0.0.1:" + s3Port;
    }

    /** @return the second S3 listener's URL (only with {@link #startWithTwoS3Listeners}) */
    String secondS3Url() {
        return (s3Tls ? "https" : "http") + "://127.0.0.1:" + secondS3Port;
    }

    /** @return {@code 127.0.0.1:PORT} of the first S3 listener, as the request log names it */
    String s3Listener() {
        return "127.0.0.1:" + s3Port;
    }

    /** @return {@code 127.0.0.1:PORT} of the second S3 listener */
    String secondS3Listener() {
        return "127.0.0.1:" + secondS3Port;
    }

    /** @return {@code 127.0.0.1:PORT} of the management listener */
    String mgmtListener() {
        return "127.0.0.1:" + mgmtPort;
    }

    /**
     * @return the emulator's request log ({@code /_sim/log}), oldest first: one map per request
     *         with {@code api}, {@code method}, {@code path}, {@code query}, {@code status} and
     *         {@code listener} (needs the control plane)
     */
    List<Map<String, String>> requestLog() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mgmtUrl() + "/_sim/log")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /_sim/log: HTTP " + r.statusCode());
        }
        List<Map<String, String>> records = new ArrayList<>();
        Matcher record = RECORD.matcher(r.body());
        while (record.find()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher field = FIELD.matcher(record.group());
            while (field.find()) {
                fields.put(field.group(1), field.group(3) != null ? field.group(3) : field.group(2));
            }
            records.add(fields);
        }
        return records;
    }

    /** Forgets the request log. */
    void clearRequestLog() throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(mgmtUrl() + "/_sim/log")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("DELETE /_sim/log: HTTP " + r.statusCode());
        }
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
