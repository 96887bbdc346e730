package io.ecscloudstack.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the demo's steps one by one: prints each step's story, its ECS requests and duration,
 * stops at the first failure naming the step, and prints a summary at the end. The output
 * matches the Rust path's ({@code ecsctl demo}).
 */
final class Steps {
    /** A step's work: returns the lines that tell what happened, throws when it failed. */
    @FunctionalInterface
    interface Work {
        List<String> run() throws Exception;
    }

    /** Thrown when a step failed; its message names the step. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Done(String name, SimLog.Counts counts, long millis) {
    }

    private static final String INDENT = "        ";

    private final SimLog log;
    private final int total;
    private final List<Done> done = new ArrayList<>();
    private final long started = System.nanoTime();

    Steps(SimLog log, int total) {
        this.log = log;
        this.total = total;
    }

    /** Runs one step. */
    void run(String name, Work work) throws StepFailed {
        int number = done.size() + 1;
        System.out.printf("[%2d/%d] %s%n", number, total, name);
        long start = System.nanoTime();
        try {
            log.reset();
            List<String> lines = work.run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            SimLog.Counts counts = log.take();
            for (String line : lines) {
                System.out.println(INDENT + line);
            }
            System.out.println(INDENT + "ok: " + counts + ", " + millis + " ms");
            done.add(new Done(name, counts, millis));
        } catch (Exception e) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println(INDENT + "FAILED after " + millis + " ms: " + e.getMessage());
            throw new StepFailed("demo failed at step " + number + " (" + name + "): " + e.getMessage(), e);
        }
    }

    /** Prints the summary table. */
    void summary(String path) {
        System.out.println();
        System.out.println("summary (" + path + "):");
        int requests = 0;
        for (int i = 0; i < done.size(); i++) {
            Done d = done.get(i);
            requests += d.counts().total();
            System.out.printf("  %2d. %-62s %4d requests %5d ms%n", i + 1, d.name(), d.counts().total(), d.millis());
        }
        long totalMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("  %d steps passed, %d ECS requests, %d ms in total%n", done.size(), requests, totalMillis);
    }
}
