package dev.costmeter.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent start-up steps at the same time and waits for all of them; the first that
 * fails interrupts the others and its exception is thrown as it was.
 */
final class ParallelSteps {

    /** One step, e.g. start a component and wait until it is healthy. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private ParallelSteps() {
    }

    static void run(List<Step> steps) throws Exception {
        if (steps.size() == 1) {
            steps.get(0).run();
            return;
        }
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "costmeter-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(threads);
            List<Future<Void>> running = new ArrayList<>();
            for (Step step : steps) {
                running.add(done.submit(() -> {
                    step.run();
                    return null;
                }));
            }
            for (int i = 0; i < steps.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    running.forEach(f -> f.cancel(true));
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
