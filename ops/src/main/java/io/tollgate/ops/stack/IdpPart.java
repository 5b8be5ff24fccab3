package io.tollgate.ops.stack;

/** The demo HTTP identity provider ({@link DemoIdentityProvider}) as a stack part, in the launcher's JVM. */
final class IdpPart implements Part {
    private final StackConfig config;
    private DemoIdentityProvider provider;

    IdpPart(StackConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "http-idp";
    }

    @Override
    public void start() throws Exception {
        DemoUsers users = DemoUsers.demo();
        if (config.benchUsers > 0) {
            users.addBenchUsers(config.benchUsers);
        }
        provider = DemoIdentityProvider.start(config.host, config.idpPort, users);
    }

    @Override
    public boolean healthy() {
        return UpstreamPart.Http.status(config.idpBaseUrl() + "/health") == 200;
    }

    @Override
    public String endpoint() {
        return config.idpUrl() + " (profiles " + config.idpProfileUrl() + ")";
    }

    @Override
    public String log() {
        return "(in-process)";
    }

    /** The running provider (tests take it down, slow it, disable users); null before start and after stop. */
    DemoIdentityProvider provider() {
        return provider;
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
            provider = null;
        }
    }
}
