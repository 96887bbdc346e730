package io.ecscloudstack.ecs;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Assumptions;

/**
 * A live {@code ecs-sim} child process (the binary named by {@code -Decs.sim.path}) on ports the
 * kernel picks: it is started with {@code --mgmt-addr 127.0.0.1:0 --s3-addr 127.0.0.1:0} and its
 * URLs are read from the lines it prints once listening. Tests are skipped, with the reason, when
 * the property or the binary is missing.
 */
final class EcsSim implements AutoCloseable {
    private static final String MGMT_LINE = "ecs-sim management API:";
    private static final String S3_LINE = "ecs-sim S3 API:";

    private final Process process;
    private final String mgmtUrl;
    private final String s3Url;
    private final StringBuilder output;

    private EcsSim(Process process, String mgmtUrl, String s3Url, StringBuilder output) {
        this.process = process;
        this.mgmtUrl = mgmtUrl;
        this.s3Url = s3Url;
        this.output = output;
    }

    /** Starts the emulator and waits (up to 30 s) until it reports both URLs. */
    static EcsSim start() throws IOException, InterruptedException {
        String path = System.getProperty("ecs.sim.path");
        Assumptions.assumeTrue(path != null && !path.isBlank() && !path.contains("${"),
                "set -Decs.sim.path to the ecs-sim binary to run the live tests");
        File binary = new File(path);
        Assumptions.assumeTrue(binary.canExecute(), "ecs-sim binary not found at " + binary.getAbsolutePath());
        Process process = new ProcessBuilder(List.of(binary.getAbsolutePath(), "--mgmt-addr", "127.0.0.1:0",
                "--s3-addr", "127.0.0.1:0"))
                .redirectErrorStream(true)
                .start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<String[]> urls = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, output, urls), "ecs-sim-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String[] found = urls.get(30, TimeUnit.SECONDS);
            return new EcsSim(process, found[0], found[1], output);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("ecs-sim did not report its URLs: " + e + "\n" + snapshot(output), e);
        }
    }

    /** Drains the process output (so it never blocks on a full pipe) and reports the URLs. */
    private static void readOutput(Process process, StringBuilder output, CompletableFuture<String[]> urls) {
        String mgmt = null;
        String s3 = null;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (line.startsWith(MGMT_LINE)) {
                    mgmt = line.substring(MGMT_LINE.length()).trim();
                } else if (line.startsWith(S3_LINE)) {
                    s3 = line.substring(S3_LINE.length()).trim();
                }
                if (mgmt != null && s3 != null && !urls.isDone()) {
                    urls.complete(new String[] {mgmt, s3});
                }
            }
            urls.completeExceptionally(new IOException("ecs-sim exited"));
        } catch (IOException e) {
            urls.completeExceptionally(e);
        }
    }

    private static String snapshot(StringBuilder output) {
        synchronized (output) {
            return output.toString();
        }
    }

    String mgmtUrl() {
        return mgmtUrl;
    }

    String s3Url() {
        return s3Url;
    }

    /** @return store details for the default seed (root/ChangeMe, namespace ns1) */
    Map<String, String> details() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("mgmt_url", mgmtUrl);
        details.put("sa_user", "root");
        details.put("sa_password", "ChangeMe");
        details.put("namespace", "ns1");
        details.put("s3_public_url", s3Url);
        return details;
    }

    /** @return what the emulator printed so far */
    String output() {
        return snapshot(output);
    }

    @Override
    public void close() {
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
    }
}
