package io.ecscloudstack.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's request log ({@code /_sim/log} on its management port): cleared before a step,
 * read after it, so each step can say how many ECS requests it took; and its clock
 * ({@code /_sim/clock/advance}), moved forward past a key's grace or a retention.
 */
final class SimLog {
    private static final Pattern API = Pattern.compile("\"api\"\\s*:\\s*\"(mgmt|s3)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI log;
    private final URI clock;

    SimLog(String mgmtUrl) {
        String base = mgmtUrl.replaceAll("/+$", "");
        this.log = URI.create(base + "/_sim/log");
        this.clock = URI.create(base + "/_sim/clock/advance");
    }

    /** Moves the emulator's clock forward (key expiry, object-lock retention, token lifetimes). */
    void advanceClock(java.time.Duration by) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(clock)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"secs\": " + by.toSeconds() + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("cannot advance the emulator's clock: HTTP " + response.statusCode() + " "
                    + response.body());
        }
    }

    /** Requests of one step, by API. */
    record Counts(int mgmt, int s3) {
        int total() {
            return mgmt + s3;
        }

        @Override
        public String toString() {
            return total() + " ECS " + (total() == 1 ? "request" : "requests") + " (" + mgmt + " mgmt, " + s3 + " S3)";
        }
    }

    /** Forgets every request so far. */
    void reset() throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(log).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("cannot clear the emulator's request log: HTTP " + response.statusCode()
                    + " (is ecs-sim running with --control?)");
        }
    }

    /** @return the requests since the last reset, which it then clears */
    Counts take() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(log).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("cannot read the emulator's request log: HTTP " + response.statusCode());
        }
        int mgmt = 0;
        int s3 = 0;
        Matcher m = API.matcher(response.body());
        while (m.find()) {
            if (m.group(1).equals("mgmt")) {
                mgmt++;
            } else {
                s3++;
            }
        }
        reset();
        return new Counts(mgmt, s3);
    }
}
