package io.ecscloudstack.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads a bucket's tags the way a chargeback or recovery script would: straight from the ECS
 * Management API ({@code GET /login}, {@code GET /object/bucket/{b}/info}, {@code GET /logout}),
 * independently of the driver that wrote them.
 */
final class EcsTags {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    private EcsTags(String base, String token) {
        this.base = base;
        this.token = token;
    }

    static EcsTags login(String mgmtUrl, String user, String password) throws IOException, InterruptedException {
        String base = mgmtUrl.replaceAll("/+$", "");
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.discarding());
        String token = r.headers().firstValue("X-SDS-AUTH-TOKEN").orElse(null);
        if (r.statusCode() != 200 || token == null) {
            throw new IOException("ECS login: HTTP " + r.statusCode());
        }
        return new EcsTags(base, token);
    }

    /** @return the bucket's tags, key to value, in ECS's order */
    Map<String, String> bucketTags(String bucket, String namespace) throws Exception {
        String path = "/object/bucket/" + URLEncoder.encode(bucket, StandardCharsets.UTF_8) + "/info?namespace="
                + URLEncoder.encode(namespace, StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("X-SDS-AUTH-TOKEN", token).header("Accept", "application/xml").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("bucket info of " + bucket + ": HTTP " + r.statusCode());
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList tags = factory.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()))
                .getElementsByTagName("Tag");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < tags.getLength(); i++) {
            Element tag = (Element) tags.item(i);
            out.put(text(tag, "Key"), text(tag, "Value"));
        }
        return out;
    }

    void logout() throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(base + "/logout")).header("X-SDS-AUTH-TOKEN", token).GET()
                .build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }
}
