package dev.costmeter.local;

import dev.costmeter.local.demo.DemoView;
import dev.costmeter.local.demo.DemoWorkload;
import dev.costmeter.local.security.StackPrincipal;
import dev.costmeter.schemas.control.VerifyKeys;

/** The demo workload and its live view beside a running stack; closed before the stack stops. */
final class Demo implements AutoCloseable {

    private final DemoWorkload workload;
    private final DemoView view;
    private final Thread screen;

    private Demo(DemoWorkload workload, DemoView view) {
        this.workload = workload;
        this.view = view;
        this.screen = new Thread(this::refreshLoop, "demo-view");
        screen.setDaemon(true);
    }

    static Demo start(LocalStack stack) {
        VerifyKeys keys = stack.controlKeys().verifyKeys();
        // Secure: the services as the service principal (usage, outcomes, control); the view as the operator (alerts too).
        DemoWorkload workload = new DemoWorkload(stack.bootstrapServers(), stack.registryUrl(), keys,
                stack.clientSecurity(StackPrincipal.SERVICE)).start();
        Demo demo = new Demo(workload, new DemoView(stack.bootstrapServers(), stack.registryUrl(), stack.meteringUrl(), workload,
                stack.clientSecurity(StackPrincipal.OPERATOR)));
        demo.screen.start();
        return demo;
    }

    private void refreshLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                view.refresh(System.out);
                Thread.sleep(3_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        screen.interrupt();
        try {
            screen.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workload.close();
        view.close();
    }
}
