package dev.costmeter.local;

import java.nio.file.Path;

/**
 * Picks the launcher's logging configuration, and its children's, before anything logs. Each runnable
 * names its own configuration ({@code logback.configurationFile}) instead of relying on the one
 * {@code logback.xml} found on the classpath: the launcher's classpath holds costctl's too, and logback
 * warns, at length, when it finds two.
 */
final class LauncherLogging {

    static final String LAUNCHER_CONFIG = "costmeter-launcher-logback.xml";
    static final String CHILD_CONFIG = "costmeter-child-logback.xml";
    /** Read by {@link ChildProcess}: the configuration the children run with (unset: logback's own lookup). */
    static final String CHILD_CONFIG_PROPERTY = "costmeter.child.logback";
    /** Read by {@value #LAUNCHER_CONFIG}: where the launcher's own log file goes. */
    static final String LOG_DIR_PROPERTY = "costmeter.log.dir";
    private static final String LOGBACK_CONFIG_PROPERTY = "logback.configurationFile";

    private LauncherLogging() {
    }

    /** Must run first in {@code main}: logback reads these properties when the first logger is made. */
    static void configure(String[] args) {
        if (System.getProperty(LOGBACK_CONFIG_PROPERTY) == null) {
            System.setProperty(LOGBACK_CONFIG_PROPERTY, LAUNCHER_CONFIG);
        }
        if (System.getProperty(CHILD_CONFIG_PROPERTY) == null) {
            System.setProperty(CHILD_CONFIG_PROPERTY, CHILD_CONFIG);
        }
        System.setProperty(LOG_DIR_PROPERTY, logDir(args).toString());
    }

    /** The log directory of the data directory the arguments name; the full parse comes later, after logging is set. */
    static Path logDir(String[] args) {
        Path dataDir = Path.of(".costmeter");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--data-dir")) {
                dataDir = Path.of(args[i + 1]);
            }
        }
        return StackConfig.defaults(dataDir).logDir();
    }
}
