package dev.costmeter.deploy.manifests;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values read from the modules' pom.xml files: what a build produces and under which name. */
final class Poms {

    private static final Pattern PARENT_VERSION = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>",
            Pattern.DOTALL);
    private static final Pattern ARTIFACT_ID = Pattern.compile("</parent>.*?<artifactId>([^<]+)</artifactId>",
            Pattern.DOTALL);

    private Poms() {
    }

    /** The version every module inherits from the root pom. */
    static String projectVersion() {
        String root = DeployFiles.read(DeployFiles.repositoryRoot().resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>costmeter-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(root);
        if (!version.find()) {
            throw new IllegalStateException("No costmeter-parent version in the root pom");
        }
        return version.group(1);
    }

    static String artifactId(String module) {
        return find(ARTIFACT_ID, pom(module), module + " artifactId");
    }

    /** The module's version: its parent's, as every costmeter module inherits it. */
    static String version(String module) {
        return find(PARENT_VERSION, pom(module), module + " parent version");
    }

    /** A {@code <properties>} value, with {@code ${project.version}} resolved. */
    static String property(String module, String name) {
        String value = find(Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">"),
                pom(module), module + " property " + name);
        return value.replace("${project.version}", version(module));
    }

    private static String pom(String module) {
        Path pom = DeployFiles.repositoryRoot().resolve(module).resolve("pom.xml");
        return DeployFiles.read(pom);
    }

    private static String find(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("No " + what);
        }
        return m.group(1).trim();
    }
}
