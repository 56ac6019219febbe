package dev.costmeter.client.killswitch;

/**
 * Told when a scope's switch changes, on the client's consumer thread: return quickly and do not
 * throw (an exception is logged and ignored).
 */
@FunctionalInterface
public interface SwitchListener {

    /**
     * @param scope the scope, e.g. {@code route:chat}
     * @param decision what calls in that scope alone now get; {@link Decision#ALLOW} when lifted
     */
    void onChange(String scope, Decision decision);
}
