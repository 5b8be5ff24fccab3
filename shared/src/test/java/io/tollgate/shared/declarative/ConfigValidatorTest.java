package io.tollgate.shared.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.PlanRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValidatorTest {
    private static final ConfigValidator VALIDATOR = new ConfigValidator();

    private static final String VALID = """
            apis:
              - name: mobile
                pathPrefix: /mobile/
                upstreams: [http://127.0.0.1:9000, https://backend.example.test/base]
                scopes: {GET: read, HEAD: read, "*": write}
                requiredGroup: mobile-users
            plans:
              - id: basic
                api: mobile
                name: Basic
                scopes: [read]
                limits: {perMinute: 60, appPerMinute: 600, monthlyQuota: 100000}
                maxDevices: 3
                requiresApproval: true
                requiredGroup: null
                grants: [password, refresh_token]
                refreshReuse: 30s
                sessionLifetime: 1d
            """;

    @Test
    void aValidFileBecomesTheRecordsItDescribes() {
        JsonNode doc = ConfigValidator.read(VALID);
        assertThat(VALIDATOR.validate(doc)).isEmpty();

        DeclarativeConfig config = VALIDATOR.check(doc);

        assertThat(config.apis()).containsExactly(new ApiRecord("mobile", "/mobile/",
                List.of("http://127.0.0.1:9000", "https://backend.example.test/base"),
                Map.of("GET", "read", "HEAD", "read", "*", "write"), "mobile-users", false, false));
        assertThat(config.plans()).containsExactly(new PlanRecord("basic", "mobile", "Basic", Set.of("read"), 60, 0,
                0, 3, true, Set.of("password", "refresh_token"), 30, 86400, 600, 100000, null));
    }

    @Test
    void everySchemaErrorNamesItsPathAndLine() {
        String yaml = """
                apis:
                  - name: Mobile App
                    pathPrefix: mobile
                    upstreams: [ftp://127.0.0.1:9000]
                    scopes: {get: read}
                    colour: blue
                plans:
                  - id: basic
                    api: mobile
                    name: Basic
                    scopes: [read]
                    limits:
                      perMinute: -1
                    grants: [password, implicit]
                    refreshReuse: soon
                  - api: mobile
                    name: No id
                    scopes: []
                    grants: [password]
                """;

        List<ConfigError> errors = VALIDATOR.validate(ConfigValidator.read(yaml));

        assertThat(errors).extracting(e -> e.line() + " " + e.path()).contains(
                "2 /apis/0/name",
                "3 /apis/0/pathPrefix",
                "4 /apis/0/upstreams/0",
                "5 /apis/0/scopes",
                "6 /apis/0/colour",
                "13 /plans/0/limits/perMinute",
                "14 /plans/0/grants/1",
                "15 /plans/0/refreshReuse",
                "16 /plans/1");
        assertThat(errors).filteredOn(e -> e.path().equals("/plans/0/limits/perMinute")).singleElement()
                .satisfies(e -> assertThat(e.format("tollgate.yaml"))
                        .startsWith("tollgate.yaml:13: /plans/0/limits/perMinute: ").contains("0"));
        assertThat(errors).filteredOn(e -> e.path().equals("/plans/1")).extracting(ConfigError::message)
                .anySatisfy(m -> assertThat(m).contains("id"));
        assertThat(errors).filteredOn(e -> e.path().equals("/apis/0/colour")).extracting(ConfigError::message)
                .singleElement().asString().contains("colour");
        // in the order of the file
        assertThat(errors).extracting(ConfigError::line).isSorted();
    }

    @Test
    void aPlanOfAnApiMissingFromTheFileAndDuplicatesAreErrors() {
        String yaml = """
                apis:
                  - name: mobile
                    pathPrefix: /mobile/
                    upstreams: [http://127.0.0.1:9000]
                    scopes: {"*": read}
                  - name: mobile
                    pathPrefix: /mobile/
                    upstreams: [http://127.0.0.1:9001]
                    scopes: {"*": read}
                plans:
                  - {id: basic, api: mobile, name: Basic, scopes: [read], grants: [password]}
                  - {id: basic, api: web, name: Web, scopes: [read], grants: [password]}
                """;

        assertThat(VALIDATOR.validate(ConfigValidator.read(yaml))).extracting(e -> e.line() + " " + e.path() + ": " + e.message())
                .containsExactly(
                        "6 /apis/1/name: duplicate API name 'mobile' (first at /apis/0/name)",
                        "7 /apis/1/pathPrefix: duplicate path prefix '/mobile/' (first at /apis/0/pathPrefix)",
                        "12 /plans/1/api: no API 'web' in this file",
                        "12 /plans/1/id: duplicate plan id 'basic' (first at /plans/0/id)");
    }

    @Test
    void aSyntaxErrorOrADuplicateKeyIsOneErrorWithItsLine() {
        assertThatThrownBy(() -> ConfigValidator.read("apis:\n  - name: a\n    name: b\n"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> {
                            assertThat(err.line()).isEqualTo(3);
                            assertThat(err.message()).contains("name");
                        }));
        assertThatThrownBy(() -> ConfigValidator.read("apis: [\n  {name: a\n"))
                .isInstanceOfSatisfying(InvalidConfigException.class,
                        e -> assertThat(e.errors()).singleElement().extracting(ConfigError::line).isNotEqualTo(0));
    }

    @Test
    void notAnObjectIsAnErrorAtTheRoot() {
        assertThat(VALIDATOR.validate(ConfigValidator.read("- a\n- b\n"))).extracting(ConfigError::path)
                .containsExactly("");
        assertThat(VALIDATOR.validate(ConfigValidator.read(""))).isNotEmpty();
    }

    @Test
    void anExportReadsBackAsTheSameRecords() {
        DeclarativeConfig demo = DeclarativeConfig.of(List.of(new ApiRecord("mobile", "/mobile/",
                        List.of("http://127.0.0.1:9000"), Map.of("GET", "read", "*", "write"), null, true, true)),
                List.of(DemoRegistry.BASIC, DemoRegistry.PREMIUM, new PlanRecord("gold", "mobile", "Gold",
                        Set.of("read"), 1, 2, 3, 4, true, Set.of("client_credentials"), 90, 7200, 5, 6, "gold-users")));

        JsonNode json = demo.toJson();

        assertThat(VALIDATOR.validate(json)).isEmpty();
        assertThat(DeclarativeConfig.fromJson(json)).isEqualTo(demo);
        assertThat(json.at("/plans/1/refreshReuse").asText()).isEqualTo("90s");
        assertThat(json.at("/plans/1/sessionLifetime").asText()).isEqualTo("2h");
    }
}
