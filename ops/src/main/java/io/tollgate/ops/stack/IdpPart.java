package io.tollgate.ops.stack;

/** The demo HTTP identity provider ({@link DemoIdentityProvider}) as a stack part, in the launcher's JVM. */
final class IdpPart extends InProcessPart<DemoIdentityProvider> {
    IdpPart(StackConfig config) {
        super("http-idp", config);
    }

    @Override
    protected DemoIdentityProvider open() throws Exception {
        DemoUsers users = DemoUsers.demo();
        if (config.benchUsers > 0) {
            users.addBenchUsers(config.benchUsers);
        }
        return DemoIdentityProvider.start(config.host, config.idpPort, users);
    }

    @Override
    public boolean healthy() {
        return UpstreamPart.Http.status(config.idpBaseUrl() + "/health") == 200;
    }

    @Override
    public String endpoint() {
        return config.idpUrl() + " (profiles " + config.idpProfileUrl() + ")";
    }

    /** The running provider (tests take it down, slow it, disable users); null before start and after stop. */
    DemoIdentityProvider provider() {
        return running();
    }
}
