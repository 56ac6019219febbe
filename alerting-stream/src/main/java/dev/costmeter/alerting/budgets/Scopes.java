package dev.costmeter.alerting.budgets;

/**
 * Scope names, in the syntax shared by budget policies and kill switches. A rule always acts on the
 * narrowest of them that explains a breach.
 */
public final class Scopes {

    private Scopes() {
    }

    public static String tenant(String tenantId) {
        return "tenant:" + tenantId;
    }

    public static String route(String route) {
        return "route:" + route;
    }

    /** {@code prompt:<route>@<version>}; a version already written {@code name@vN} is kept after the route. */
    public static String prompt(String route, String promptVersion) {
        return "prompt:" + route + "@" + promptVersion;
    }

    public static String taskClass(String taskClass) {
        return "task_class:" + taskClass;
    }

    public static String taskDefault(String taskClass) {
        return "task_default:" + taskClass;
    }

    public static String task(String taskId) {
        return "task:" + taskId;
    }

    public static String endUser(String tenantId, String endUserId) {
        return "end_user:" + tenantId + "/" + endUserId;
    }

    public static String model(String provider, String model) {
        return "model:" + provider + "/" + model;
    }

    /** True for scopes a kill switch can name (a task class or a model cannot be switched off). */
    public static boolean switchable(String scope) {
        return scope.startsWith("tenant:") || scope.startsWith("route:") || scope.startsWith("prompt:")
                || scope.startsWith("task:") || scope.startsWith("end_user:");
    }
}
