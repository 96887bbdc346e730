package io.ecscloudstack.uifixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's CloudStack conventions, without ECS: the session rules and the response and
 * error format. (The ECS commands themselves are exercised by the browser suite, through the
 * real plug-in and ecs-sim.)
 */
class ApiStandInTest {
    private ApiStandIn standIn;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        standIn = ApiStandIn.start(0, null);
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private HttpResponse<String> get(String query, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(standIn.origin() + "/client/api?" + query));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(standIn.origin() + "/client/api"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "command=login&response=json&domain=%2F&username=admin&password=" + password))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<?> res, String name) {
        List<String> set = res.headers().allValues("Set-Cookie");
        for (String c : set) {
            if (c.startsWith(name + "=")) {
                return c.substring(name.length() + 1, c.indexOf(';'));
            }
        }
        throw new AssertionError("no cookie " + name + " in " + set);
    }

    @Test
    void callsWithoutSessionAreRefusedInCloudStacksFormat() throws Exception {
        HttpResponse<String> res = get("command=listBuckets&response=json", null);
        assertEquals(401, res.statusCode());
        assertEquals("{\"listbucketsresponse\":{\"uuidList\":[],\"errorcode\":401,\"errortext\":"
                + "\"unable to verify user credentials and/or request signature\"}}", res.body());
    }

    @Test
    void loginSetsTheSessionCookieAndSessionKeyWhichCallsNeedTogether() throws Exception {
        assertEquals(401, login("wrong").statusCode());
        HttpResponse<String> ok = login(ApiStandIn.PASSWORD);
        assertEquals(200, ok.statusCode());
        String session = cookie(ok, "JSESSIONID");
        String key = cookie(ok, "sessionkey");
        assertTrue(ok.body().contains("\"sessionkey\":\"" + key + "\""), ok.body());

        HttpResponse<String> noKey = get("command=listObjectStoragePools&response=json", "JSESSIONID=" + session);
        assertEquals(401, noKey.statusCode(), "the cookie alone is not enough");
        HttpResponse<String> noCookie = get("command=listObjectStoragePools&response=json&sessionkey=" + key, null);
        assertEquals(401, noCookie.statusCode(), "the key alone is not enough");

        HttpResponse<String> both = get("command=listObjectStoragePools&response=json&sessionkey=" + key,
                "JSESSIONID=" + session);
        assertEquals(200, both.statusCode());
        assertEquals("{\"listobjectstoragepoolsresponse\":{}}", both.body(), "an empty list, as CloudStack");

        HttpResponse<String> unknown = get("command=deployVirtualMachine&response=json&sessionkey=" + key,
                "JSESSIONID=" + session);
        assertEquals(432, unknown.statusCode());
        HttpResponse<String> missing = get("command=createBucket&response=json&sessionkey=" + key,
                "JSESSIONID=" + session);
        assertEquals(431, missing.statusCode());
        assertTrue(missing.body().contains("\"cserrorcode\":4350"), missing.body());
        assertTrue(missing.body().contains("due to missing parameter name"), missing.body());
    }

    @Test
    void jsonStringsCannotBreakOut() {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("k", "a\"b\\c\n</script>\u0001");
        value.put("n", java.util.Arrays.asList(1, true, null));
        assertEquals("{\"k\":\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0001\",\"n\":[1,true,null]}",
                Json.write(value));
    }
}
