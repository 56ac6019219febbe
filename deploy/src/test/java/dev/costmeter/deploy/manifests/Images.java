package dev.costmeter.deploy.manifests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parts of an image reference: {@code [registry/]repository[:tag][@digest]}. */
final class Images {

    /** Our images: {@code costmeter/<name>}, built by {@code deploy/docker/<name>.Dockerfile}. */
    static final String OWN_PREFIX = "costmeter/";

    // The tag is after the last ':' that follows the last '/', so a registry port is not a tag.
    private static final Pattern REFERENCE = Pattern.compile("^([^@]+?)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$");

    private Images() {
    }

    static String repository(String image) {
        return matcher(image).group(1);
    }

    /** The tag, or null when there is none. */
    static String tag(String image) {
        return matcher(image).group(2);
    }

    static String digest(String image) {
        return matcher(image).group(3);
    }

    static boolean isOwn(String image) {
        return image.startsWith(OWN_PREFIX);
    }

    /** The Dockerfile name stem of one of our images: {@code costmeter/connect:1} → {@code connect}. */
    static String ownName(String image) {
        return repository(image).substring(OWN_PREFIX.length());
    }

    private static Matcher matcher(String image) {
        Matcher m = REFERENCE.matcher(image.trim());
        if (!m.matches() || m.group(1).endsWith("/")) {
            throw new IllegalArgumentException("Not an image reference: " + image);
        }
        return m;
    }
}
