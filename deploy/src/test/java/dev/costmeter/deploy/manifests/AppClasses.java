package dev.costmeter.deploy.manifests;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an app's classes for the checks: from the test classpath when the module is a dependency,
 * else from the sibling module's build output ({@code ../<module>/target/classes}), which the
 * reactor builds before this module. alerting-stream is read the second way until deploy's pom
 * depends on it; its own dependencies (streams-runtime, schemas, Kafka) are on this classpath.
 */
final class AppClasses {

    private static ClassLoader siblings;

    private AppClasses() {
    }

    static Class<?> load(String className) throws ClassNotFoundException {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException notOnClasspath) {
            return Class.forName(className, true, siblingLoader());
        }
    }

    private static synchronized ClassLoader siblingLoader() throws ClassNotFoundException {
        if (siblings == null) {
            Path classes = DeployFiles.repositoryRoot().resolve("alerting-stream/target/classes");
            if (!Files.isDirectory(classes)) {
                throw new ClassNotFoundException("alerting-stream is neither on the test classpath nor built at "
                        + classes + ": run ./mvnw -pl alerting-stream -am package first");
            }
            try {
                siblings = new URLClassLoader(new URL[] {classes.toUri().toURL()}, AppClasses.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return siblings;
    }
}
