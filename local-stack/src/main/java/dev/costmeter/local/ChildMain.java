package dev.costmeter.local;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every process the local stack starts: {@code ChildMain <parent pid> <main class> [args...]}.
 * It exits when the supervisor dies, however it dies, so a killed launcher never leaves a broker or
 * an app behind holding its ports; then it runs the real main class.
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ChildMain <parent pid> <main class> [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    System.err.println("Supervisor " + parentPid + " is gone; stopping.");
                    // System.exit runs the child's own shutdown hooks, so it still stops gracefully.
                    System.exit(0);
                }),
                () -> {
                    System.err.println("Supervisor " + parentPid + " is not running; not starting.");
                    System.exit(1);
                });
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
