package io.ecscloudstack.uifixture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ecscloudstack.harness.CloudStackHarness;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;

/**
 * TEST FIXTURE, NOT CLOUDSTACK: a stand-in for CloudStack's HTTP API at {@code /client/api}
 * answering the commands the ECS UI page uses, in CloudStack's JSON format, behind CloudStack's
 * session rules ({@code login} sets a {@code JSESSIONID} cookie and a {@code sessionkey} cookie;
 * every later call needs both the cookie and the {@code sessionkey} parameter). Each command runs
 * through {@link CloudStackHarness}, the ECS plug-in, JNI and the Rust driver.
 *
 * <p>It also serves, on the same origin as CloudStack's UI would: the built page under
 * {@code /client/plugins/ecs/}, a {@code /client/config.json} holding the page's plugins entry,
 * and at {@code /client/} a minimal host page (login, then the page in an iframe, as the UI's
 * plugin view shows it). Only loopback addresses are served.
 */
public final class ApiStandIn implements AutoCloseable {
    /** What the fixture says about itself, in every page and on start. */
    public static final String BANNER = "TEST FIXTURE: a stand-in for CloudStack's API (not CloudStack)";
    /** The credentials the stand-in accepts. */
    public static final String USERNAME = "admin";
    /** The credentials the stand-in accepts. */
    public static final String PASSWORD = "password";
    /** Where the page is served, as the operator would unpack it into the UI's folder. */
    public static final String PAGE_PATH = "/client/plugins/ecs/";

    private static final String API_PATH = "/client/api";
    private static final String SESSION_COOKIE = "JSESSIONID";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "woff2", "font/woff2");

    private final HttpServer server;
    private final CloudStackHarness cs;
    private final Api api;
    private final Path page;
    private final SecureRandom random = new SecureRandom();
    /** JSESSIONID → sessionkey. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    private ApiStandIn(HttpServer server, CloudStackHarness cs, Path page) {
        this.server = server;
        this.cs = cs;
        this.api = new Api(cs);
        this.page = page;
    }

    /**
     * Starts the stand-in on 127.0.0.1.
     *
     * @param port the port, 0 for a free one
     * @param page the built page's folder (its {@code index.html}), or null to serve none
     * @return the running stand-in
     * @throws IOException if the port cannot be bound
     */
    public static ApiStandIn start(int port, Path page) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        CloudStackHarness cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        ApiStandIn standIn = new ApiStandIn(server, cs, page == null ? null : page.toAbsolutePath().normalize());
        server.createContext("/", standIn::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "api-thread");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return standIn;
    }

    /** @return the origin, e.g. {@code http://127.0.0.1:8080} */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the harness behind the API (its DAOs and journal) */
    public CloudStackHarness harness() {
        return cs;
    }

    @Override
    public void close() {
        server.stop(0);
        api.close();
    }

    // ---- HTTP -------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            ex.getResponseHeaders().add("X-Test-Fixture", BANNER);
            if (path.equals(API_PATH) || path.equals(API_PATH + "/")) {
                handleApi(ex);
            } else if (path.equals("/") || path.equals("/client")) {
                ex.getResponseHeaders().add("Location", "/client/");
                send(ex, 302, "text/plain", new byte[0]);
            } else if (path.equals("/client/") || path.equals("/client/index.html")) {
                send(ex, 200, TYPES.get("html"), hostPage().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/client/config.json")) {
                send(ex, 200, TYPES.get("json"), configJson().getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith(PAGE_PATH) && page != null) {
                serveFile(ex, path.substring(PAGE_PATH.length()));
            } else {
                send(ex, 404, "text/plain; charset=utf-8", ("not found: " + path).getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            System.err.println("ui-fixture: " + e);
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void serveFile(HttpExchange ex, String relative) throws IOException {
        String name = relative.isEmpty() ? "index.html" : URLDecoder.decode(relative, StandardCharsets.UTF_8);
        Path file = page.resolve(name).normalize();
        if (!file.startsWith(page) || !Files.isRegularFile(file)) {
            send(ex, 404, "text/plain; charset=utf-8", ("not found: " + relative).getBytes(StandardCharsets.UTF_8));
            return;
        }
        String fileName = file.getFileName().toString();
        String ext = fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.') + 1) : "";
        send(ex, 200, TYPES.getOrDefault(ext.toLowerCase(Locale.ROOT), "application/octet-stream"),
                Files.readAllBytes(file));
    }

    private static Map<String, String> params(HttpExchange ex) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        parseForm(ex.getRequestURI().getRawQuery(), p);
        if ("POST".equalsIgnoreCase(ex.getRequestMethod())) {
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type == null || type.startsWith("application/x-www-form-urlencoded")) {
                parseForm(new String(readAll(ex.getRequestBody()), StandardCharsets.UTF_8), p);
            }
        }
        return p;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static void parseForm(String raw, Map<String, String> into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            into.put(k, v);
        }
    }

    private static String cookie(HttpExchange ex, String name) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(name)) {
                    return kv[1];
                }
            }
        }
        return null;
    }

    private String token() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private void handleApi(HttpExchange ex) throws IOException {
        Map<String, String> p = params(ex);
        String command = p.getOrDefault("command", "");
        String responseName = command.isEmpty() ? "errorresponse" : command.toLowerCase(Locale.ROOT) + "response";
        try {
            if (!"json".equalsIgnoreCase(p.get("response"))) {
                throw ApiException.param("this test fixture answers response=json only");
            }
            Map<String, Object> body;
            switch (command) {
                case "login" -> body = login(ex, p);
                case "logout" -> {
                    String session = cookie(ex, SESSION_COOKIE);
                    if (session != null) {
                        sessions.remove(session);
                    }
                    expireCookies(ex);
                    body = new LinkedHashMap<>(Map.of("description", "success"));
                }
                default -> {
                    authenticate(ex, p);
                    body = api.call(command, p);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(responseName, body);
            send(ex, 200, TYPES.get("json"), Json.write(out).getBytes(StandardCharsets.UTF_8));
        } catch (ApiException e) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("uuidList", List.of());
            err.put("errorcode", e.errorCode());
            if (e.csErrorCode() != 0) {
                err.put("cserrorcode", e.csErrorCode());
            }
            err.put("errortext", e.getMessage());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(responseName, err);
            send(ex, e.errorCode(), TYPES.get("json"), Json.write(out).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void authenticate(HttpExchange ex, Map<String, String> p) {
        String session = cookie(ex, SESSION_COOKIE);
        String expected = session == null ? null : sessions.get(session);
        if (expected == null || !expected.equals(p.get("sessionkey"))) {
            throw new ApiException(ApiException.UNAUTHORIZED, 0,
                    "unable to verify user credentials and/or request signature");
        }
    }

    private Map<String, Object> login(HttpExchange ex, Map<String, String> p) {
        if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
            throw new ApiException(ApiException.UNAUTHORIZED, 0, "Please use HTTP POST to authenticate");
        }
        String domain = p.getOrDefault("domain", "/");
        if (!USERNAME.equals(p.get("username")) || !PASSWORD.equals(p.get("password"))
                || !(domain.isEmpty() || domain.equals("/") || domain.equalsIgnoreCase("ROOT"))) {
            throw new ApiException(ApiException.UNAUTHORIZED, 0,
                    "Failed to authenticate user " + p.get("username") + " in domain " + domain
                            + "; please provide valid credentials");
        }
        String session = token();
        String sessionKey = token();
        sessions.put(session, sessionKey);
        var headers = ex.getResponseHeaders();
        headers.add("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/client; HttpOnly; SameSite=Lax");
        headers.add("Set-Cookie", "sessionkey=" + sessionKey + "; Path=/client; SameSite=Lax");
        headers.add("Set-Cookie", "userid=" + api.userUuid() + "; Path=/client; SameSite=Lax");
        headers.add("Set-Cookie", "account=" + Api.ACCOUNT_NAME + "; Path=/client; SameSite=Lax");
        headers.add("Set-Cookie", "username=" + USERNAME + "; Path=/client; SameSite=Lax");
        headers.add("Set-Cookie", "domainid=" + api.domainUuid() + "; Path=/client; SameSite=Lax");
        headers.add("Set-Cookie", "role=Admin; Path=/client; SameSite=Lax");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeout", "1800");
        out.put("sessionkey", sessionKey);
        out.put("username", USERNAME);
        out.put("userid", api.userUuid());
        out.put("domainid", api.domainUuid());
        out.put("type", "1");
        out.put("account", Api.ACCOUNT_NAME);
        out.put("firstname", "Admin");
        out.put("lastname", "User");
        out.put("registered", "false");
        return out;
    }

    private static void expireCookies(HttpExchange ex) {
        for (String name : List.of(SESSION_COOKIE, "sessionkey", "userid", "account", "username", "domainid",
                "role")) {
            ex.getResponseHeaders().add("Set-Cookie", name + "=; Path=/client; Max-Age=0");
        }
    }

    // ---- the UI around the page -------------------------------------------------------

    /** @return the entry an operator adds to the UI's config.json {@code plugins} list */
    public static String pluginEntry() {
        return "{ \"name\": \"ECS object storage\", \"icon\": \"cloud-server-outlined\","
                + " \"path\": \"plugins/ecs/index.html\" }";
    }

    private static String configJson() {
        return "{\n  \"_comment\": \"" + BANNER + "\",\n  \"apiBase\": \"/client/api\",\n  \"plugins\": [\n    "
                + pluginEntry() + "\n  ]\n}\n";
    }

    private static String hostPage() {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>CloudStack API stand-in (test fixture)</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>
                  body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", Roboto, sans-serif; background: #f0f2f5; }
                  header { background: #001529; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: center; }
                  header strong { font-size: 16px; }
                  .fixture { background: #fffbe6; border-bottom: 1px solid #ffe58f; padding: 4px 16px; }
                  form { margin: 48px auto; max-width: 320px; background: #fff; padding: 24px; border-radius: 4px; }
                  label { display: block; margin-top: 8px; }
                  input { width: 100%; box-sizing: border-box; padding: 4px 8px; }
                  button { margin-top: 16px; padding: 4px 16px; }
                  iframe { width: 100%; height: calc(100vh - 70px); border: 0; display: block; }
                  #error { color: #cf1322; }
                </style></head>
                <body>
                <header><strong>CloudStack</strong><span>Plugins &rsaquo; ECS object storage</span></header>
                <div class="fixture">__BANNER__. It plays the UI's part only as far as the ECS page needs:
                  log in, then the page from <code>config.json</code>'s <code>plugins</code> entry in an iframe.</div>
                <form id="login">
                  <h2>Log in</h2>
                  <label>Username <input id="username" name="username" autocomplete="username" value="admin"></label>
                  <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
                  <button type="submit">Log in</button>
                  <p id="error" role="alert"></p>
                </form>
                <iframe id="plugin" title="ECS object storage" hidden></iframe>
                <script>
                  const form = document.getElementById('login');
                  const frame = document.getElementById('plugin');
                  async function show() {
                    const config = await (await fetch('config.json')).json();
                    form.hidden = true;
                    frame.hidden = false;
                    frame.src = config.plugins[0].path;
                  }
                  if (document.cookie.split('; ').some(c => c.startsWith('sessionkey='))) { show(); }
                  form.addEventListener('submit', async (e) => {
                    e.preventDefault();
                    const body = new URLSearchParams({ command: 'login', response: 'json', domain: '/',
                      username: form.username.value, password: form.password.value });
                    const res = await fetch('api', { method: 'POST', body });
                    const json = await res.json();
                    if (res.ok) { show(); } else { document.getElementById('error').textContent = json.loginresponse.errortext; }
                  });
                </script>
                </body></html>
                """.replace("__BANNER__", BANNER);
    }

    // ---- main -------------------------------------------------------------------------

    /**
     * {@code ApiStandIn [--port N] [--page DIR]}: starts the stand-in, prints
     * {@code ui-fixture: listening on <origin>} on stdout and serves until the process ends
     * (SIGTERM, SIGINT or end of standard input).
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        Path pagePath = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--page" -> pagePath = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ApiStandIn [--port N] [--page DIR]");
                    System.exit(2);
                }
            }
        }
        ApiStandIn standIn = start(port, pagePath);
        System.err.println(BANNER);
        System.out.println("ui-fixture: listening on " + standIn.origin());
        System.out.flush();
        // The stand-in runs until its parent closes our standard input (or kills us).
        try {
            while (System.in.read() >= 0) {
                // discard
            }
        } catch (IOException e) {
            // the parent went away
        }
        standIn.close();
        // The native runtime's worker threads stay attached to the JVM; end it explicitly.
        System.exit(0);
    }
}
