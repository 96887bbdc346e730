package org.apache.cloudstack.storage.datastore.driver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The ECS Management API calls the upstream ECS plug-in (CloudStack PR #12124) makes, with its
 * wire formats, so a test can leave ECS exactly as that plug-in leaves it. Test code only.
 */
final class EcsMgmtApi {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    private EcsMgmtApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** {@code GET /login} with Basic auth, as upstream does. */
    static EcsMgmtApi login(String mgmtUrl, String user, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(mgmtUrl + "/login"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
        String token = r.headers().firstValue("X-SDS-AUTH-TOKEN").orElse(null);
        if (r.statusCode() != 200 || token == null) {
            throw new IOException("login: HTTP " + r.statusCode() + " " + r.body());
        }
        return new EcsMgmtApi(mgmtUrl, token);
    }

    /** M2 {@code POST /object/users} ({@code user_create_param}). */
    void createUser(String user, String namespace) throws IOException, InterruptedException {
        send("POST", "/object/users", "application/xml", "<user_create_param><user>" + user + "</user><namespace>"
                + namespace + "</namespace><tags></tags></user_create_param>");
    }

    /** M4 {@code POST /object/user-secret-keys/{user}} with a client-made secret (upstream: a dashless UUID). */
    void createSecretKey(String user, String namespace, String secret) throws IOException, InterruptedException {
        send("POST", "/object/user-secret-keys/" + user, "application/xml", "<user_secret_key_create><namespace>"
                + namespace + "</namespace><secretkey>" + secret + "</secretkey></user_secret_key_create>");
    }

    /** M3 {@code GET /object/user-secret-keys/{user}}: the raw XML answer. */
    String secretKeys(String user) throws IOException, InterruptedException {
        return send("GET", "/object/user-secret-keys/" + user, null, null);
    }

    /** M5 {@code POST /object/bucket} ({@code object_bucket_create}, quota in GB as upstream sends it). */
    void createBucket(String name, String namespace, String owner, long blockSizeGb, long notificationSizeGb,
            boolean encryption) throws IOException, InterruptedException {
        send("POST", "/object/bucket", "application/xml", "<object_bucket_create><blockSize>" + blockSizeGb
                + "</blockSize><notificationSize>" + notificationSizeGb + "</notificationSize><name>" + name
                + "</name><head_type>s3</head_type><namespace>" + namespace + "</namespace><owner>" + owner
                + "</owner><is_encryption_enabled>" + encryption + "</is_encryption_enabled></object_bucket_create>");
    }

    /** M8 {@code PUT /object/bucket/{name}/policy}: upstream's public-read template. */
    void putPublicReadPolicy(String bucket, String namespace) throws IOException, InterruptedException {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicReadGetObject\","
                + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::" + bucket + "/*\"]}]}";
        send("PUT", "/object/bucket/" + bucket + "/policy?namespace=" + namespace, "application/json", policy);
    }

    /** Versioning as upstream's S3 {@code PUT ?versioning} leaves it (set here through the emulator's mgmt route). */
    void enableVersioning(String bucket, String namespace) throws IOException, InterruptedException {
        send("PUT", "/object/bucket/" + bucket + "/versioning?namespace=" + namespace, "application/xml",
                "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
    }

    /** {@code GET /object/bucket/{name}/info}: the raw XML answer. */
    String bucketInfo(String bucket, String namespace) throws IOException, InterruptedException {
        return send("GET", "/object/bucket/" + bucket + "/info?namespace=" + namespace, null, null);
    }

    private String send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("X-SDS-AUTH-TOKEN", token);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
