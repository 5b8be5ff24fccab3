package io.tollgate.ops.stack;

import io.tollgate.cli.ServiceSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tollgate-stack --idp}: which provider runs, which YAML each service gets, what the services are told. */
class StackMainIdpTest {
    private static StackConfig parse(String... args) {
        StackMain main = new StackMain(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void ldapIsTheDefaultAndEveryServiceRunsLocalYml() {
        StackConfig config = parse("--root", "/repo");
        assertThat(config.idp).isEqualTo(StackConfig.Idp.LDAP);
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(config.serviceConfig(spec)).isEqualTo(Path.of("/repo", spec.module(), "config", "local.yml"));
        }
    }

    @Test
    void httpRunsTokenApiAndPolicyWorkerOnHttpIdpYmlAndTellsThemWhereTheProviderIs() {
        StackConfig config = parse("--root", "/repo", "--idp", "HTTP", "--idp-port", "19100");
        assertThat(config.idp).isEqualTo(StackConfig.Idp.HTTP);
        assertThat(config.serviceConfig(ServiceSpec.named("token-api"))).isEqualTo(Path.of("/repo/token-api/config/http-idp.yml"));
        assertThat(config.serviceConfig(ServiceSpec.named("policy-worker")))
                .isEqualTo(Path.of("/repo/policy-worker/config/http-idp.yml"));
        assertThat(config.serviceConfig(ServiceSpec.named("gateway"))).isEqualTo(Path.of("/repo/gateway/config/local.yml"));
        assertThat(config.serviceEnvironment())
                .containsEntry("TOLLGATE_IDP_URL", "http://127.0.0.1:19100/credentials/check")
                .containsEntry("TOLLGATE_IDP_PROFILE_URL", "http://127.0.0.1:19100/users/{sub}");
    }

    @Test
    void anUnknownProviderIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new StackMain(System.out));
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("--idp", "kerberos", "--check")).isEqualTo(2);
        assertThat(err.toString()).contains("--idp (TOLLGATE_IDP) is ldap or http, not 'kerberos'");
    }
}
