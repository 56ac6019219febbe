package dev.costmeter.local;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals the JDK cannot send itself (it knows SIGTERM and SIGKILL only): sent with {@code kill}. */
final class Signals {

    private Signals() {
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}, ...) to {@code pid}; false when it could not. */
    static boolean send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
