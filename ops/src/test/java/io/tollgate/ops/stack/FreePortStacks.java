package io.tollgate.ops.stack;

import io.tollgate.cli.ServiceSpec;
import io.tollgate.testkit.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@link StackConfig} for a whole stack on free ports in a new temporary data directory (tests, benches). */
public final class FreePortStacks {
    private FreePortStacks() {
    }

    public static StackConfig config(Path root, String node, String tempPrefix) throws IOException {
        StackConfig config = new StackConfig();
        config.root = root;
        config.dataDir = Files.createTempDirectory(tempPrefix);
        config.node = node;
        config.kafkaPort = FreePorts.find();
        config.kafkaControllerPort = FreePorts.find();
        config.redisPort = FreePorts.find();
        config.ldapPort = FreePorts.find();
        config.upstreamPort = FreePorts.find();
        config.idpPort = FreePorts.find();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            config.ports.put(spec.module(), FreePorts.find());
            config.adminPorts.put(spec.module(), FreePorts.find());
        }
        return config;
    }
}
