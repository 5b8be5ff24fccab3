package io.tollgate.shared.startup;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequiredEnvironmentTest {
    private static RequiredEnvironment with(Map<String, String> env) {
        return new RequiredEnvironment(env::get);
    }

    @Test
    void substitutesSetVariablesAndDefaults() {
        String yaml = "host: ${TG_HOST}\nport: ${TG_PORT:-6379}\nliteral: $${TG_HOST}\n";
        assertThat(with(Map.of("TG_HOST", "redis-1")).replace(yaml))
                .isEqualTo("host: redis-1\nport: 6379\nliteral: ${TG_HOST}\n");
    }

    @Test
    void anEmptyValueIsSetAndADefaultIsNeverRequired() {
        assertThat(with(Map.of("TG_A", "")).replace("a: '${TG_A}'\nb: ${TG_B:-}\n")).isEqualTo("a: ''\nb: \n");
    }

    @Test
    void everyUnsetRequiredVariableIsNamedOnce() {
        String yaml = "a: ${TG_A}\nb: ${TG_B:-x}\nc: ${TG_C}\nd: ${TG_A}\nescaped: $${TG_D}\n";
        assertThatThrownBy(() -> with(Map.of()).replace(yaml))
                .isInstanceOf(StartupRefusal.class)
                .hasMessage("environment variables TG_A, TG_C are not set (the configuration requires them)");
        assertThatThrownBy(() -> with(Map.of("TG_A", "1")).replace(yaml))
                .hasMessage("environment variable TG_C is not set (the configuration requires it)");
    }
}
