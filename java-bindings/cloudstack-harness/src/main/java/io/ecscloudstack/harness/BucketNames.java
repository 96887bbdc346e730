package io.ecscloudstack.harness;

import java.util.regex.Pattern;

/** The checks of the AWS SDK's {@code BucketNameUtils.validateBucketName}, which allocBucket applies. */
final class BucketNames {
    private static final Pattern IPV4 = Pattern.compile("^(\\d+\\.){3}\\d+$");

    private BucketNames() {
    }

    /**
     * @param name a candidate bucket name
     * @return null if valid, else why not
     */
    static String problem(String name) {
        if (name == null) {
            return "Bucket name cannot be null";
        }
        if (name.length() < 3 || name.length() > 63) {
            return "Bucket name should be between 3 and 63 characters long";
        }
        if (IPV4.matcher(name).matches()) {
            return "Bucket name must not be formatted as an IP Address";
        }
        char previous = '\0';
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return "Bucket name should not contain uppercase characters";
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                return "Bucket name should not contain white space";
            }
            if (c == '.') {
                if (previous == '\0') {
                    return "Bucket name should not begin with a period";
                }
                if (previous == '.') {
                    return "Bucket name should not contain two adjacent periods";
                }
                if (previous == '-') {
                    return "Bucket name should not contain dashes next to periods";
                }
            } else if (c == '-') {
                if (previous == '.') {
                    return "Bucket name should not contain dashes next to periods";
                }
                if (previous == '\0') {
                    return "Bucket name should not begin with a '-'";
                }
            } else if ((c < '0' || c > '9') && (c < 'a' || c > 'z')) {
                return "Bucket name should not contain '" + c + "'";
            }
            previous = c;
        }
        if (previous == '.' || previous == '-') {
            return "Bucket name should not end with '-' or '.'";
        }
        return null;
    }
}
