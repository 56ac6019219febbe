package dev.costmeter.faults.cluster;

/** One supervised process of the cluster, as the fault executor handles it. */
public interface ProcessControl {

    /** SIGKILL; the supervisor restarts it unless it is held down. */
    void kill();

    /** The supervisor stops restarting it until {@link #release()}. */
    void holdDown();

    /** Lifts {@link #holdDown()}: it is started again if it is down. */
    void release();

    /** SIGSTOP. */
    void pause();

    /** SIGCONT. */
    void resume();

    /** A graceful stop, then a start. */
    void restart() throws Exception;

    boolean isAlive();
}
