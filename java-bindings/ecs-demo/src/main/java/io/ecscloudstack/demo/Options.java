package io.ecscloudstack.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/** The command line of the demo's helper programs: {@code --name value} pairs, and the store details. */
final class Options {
    private Options() {
    }

    /** @return the {@code --name value} pairs by name, without the dashes; a lone last word is ignored */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /**
     * The object store's details from {@code --mgmt-url}, {@code --s3-url} and the optional
     * {@code --sa-user} (root), {@code --sa-password} (ChangeMe) and {@code --namespace} (ns1).
     */
    static Map<String, String> storeDetails(Map<String, String> options) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("mgmt_url", options.get("mgmt-url"));
        details.put("sa_user", options.getOrDefault("sa-user", "root"));
        details.put("sa_password", options.getOrDefault("sa-password", "ChangeMe"));
        details.put("namespace", options.getOrDefault("namespace", "ns1"));
        details.put("s3_public_url", options.get("s3-url"));
        return details;
    }
}
