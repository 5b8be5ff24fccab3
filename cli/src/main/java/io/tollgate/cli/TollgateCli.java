package io.tollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.shared.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bin/tollgate} (in a checkout {@code ops/tollgate}): the operator and auditor command line. Global options may come before or after
 * the sub-command; every one defaults from the environment names of the local stack.
 */
@Command(name = "tollgate", mixinStandardHelpOptions = true, version = "tollgate 0.1.0",
        description = "Operate and audit Tollgate: revoke, block users, list token families, approve, APIs and "
                + "plans as data (apply, diff, export), rebuild, health, audit, signing keys.",
        subcommands = {RevokeUserCommand.class, RevokeClientCommand.class, FamiliesCommand.class, ApproveCommand.class,
                RejectCommand.class, BlockUserCommand.class, UnblockUserCommand.class, UsersCommand.class,
                ApplyCommand.class, DiffCommand.class, ExportCommand.class,
                RebuildProjectionCommand.class, HealthCommand.class, AuditCommand.class, HashPasswordCommand.class,
                KeysCommand.class, KafkaSetupCommand.class,
                CommandLine.HelpCommand.class})
public final class TollgateCli {
    private final Map<String, String> env;
    private final Console console;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--token-api", scope = ScopeType.INHERIT, description = "token-api base URL (env TOLLGATE_ISSUER).")
    String tokenApi;

    @Option(names = "--kafka", scope = ScopeType.INHERIT, description = "Kafka bootstrap servers (env TOLLGATE_KAFKA_BOOTSTRAP).")
    String kafka;

    @Option(names = "--kafka-config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Kafka client properties for a secured cluster (security.protocol, ssl.*, sasl.*), as "
                    + "kafka-console-consumer's --consumer.config (env TOLLGATE_KAFKA_CONFIG).")
    java.nio.file.Path kafkaConfig;

    @Option(names = "--redis-host", scope = ScopeType.INHERIT, description = "Redis host (env TOLLGATE_REDIS_HOST).")
    String redisHost;

    @Option(names = "--redis-port", scope = ScopeType.INHERIT, description = "Redis port (env TOLLGATE_REDIS_PORT).")
    Integer redisPort;

    @Option(names = "--health-url", scope = ScopeType.INHERIT,
            description = "Override a service's health URL, e.g. --health-url gateway=http://10.0.0.5:8001/healthcheck.")
    Map<String, String> healthUrls = new LinkedHashMap<>();

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "JSON instead of tables.")
    boolean json;

    public TollgateCli(Map<String, String> env, Console console) {
        this.env = Map.copyOf(env);
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), System.console()).execute(args));
    }

    /** The configured command line: expected failures print one clear line and exit with their code. */
    public static CommandLine commandLine(Map<String, String> env, Console console) {
        CommandLine cmd = new CommandLine(new TollgateCli(env, console));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof CliException cli) {
                err.println("tollgate: " + cli.getMessage());
                err.flush();
                return cli.exitCode();
            }
            StringBuilder message = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                message.append(": ").append(c.getMessage());
            }
            err.println("tollgate: " + message);
            err.flush();
            return 1;
        });
        return cmd;
    }

    String env(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    String tokenApi() {
        String base = tokenApi != null ? tokenApi : env("TOLLGATE_ISSUER", "http://127.0.0.1:"
                + env("TOLLGATE_TOKEN_API_PORT", "8080"));
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** --kafka, else the client properties file's bootstrap.servers, else TOLLGATE_KAFKA_BOOTSTRAP. */
    String kafka() {
        if (kafka != null) {
            return kafka;
        }
        String fromFile = kafkaClientProperties().getProperty("bootstrap.servers");
        return fromFile != null && !fromFile.isBlank() ? fromFile : env("TOLLGATE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    }

    /** The Kafka client properties file (--kafka-config or TOLLGATE_KAFKA_CONFIG), empty without one. */
    java.util.Properties kafkaClientProperties() {
        java.util.Properties props = new java.util.Properties();
        String file = kafkaConfig != null ? kafkaConfig.toString() : env("TOLLGATE_KAFKA_CONFIG", null);
        if (file == null) {
            return props;
        }
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
            props.load(in);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new CliException("cannot read the Kafka client properties " + file + ": " + e.getMessage());
        }
        return props;
    }

    String redisHost() {
        return redisHost != null ? redisHost : env("TOLLGATE_REDIS_HOST", "127.0.0.1");
    }

    int redisPort() {
        return redisPort != null ? redisPort : Integer.parseInt(env("TOLLGATE_REDIS_PORT", "6379"));
    }

    /** Health URL of each service: the admin port of the local stack unless overridden. */
    Map<String, String> healthUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (ServiceSpec s : ServiceSpec.ALL) {
            urls.put(s.module(), "http://127.0.0.1:" + env(s.adminPortEnv(), Integer.toString(s.adminPort())) + "/healthcheck");
        }
        healthUrls.forEach((name, url) -> {
            ServiceSpec.named(name);
            urls.put(name, url);
        });
        return urls;
    }

    /** Base URL of revocation-stream's admin connector (its tasks). */
    String revocationAdmin() {
        return healthUrls().get("revocation-stream").replaceFirst("/healthcheck$", "");
    }

    /** The operator's password: TOLLGATE_OPERATOR_PASSWORD, else a prompt on the terminal. Never echoed or logged. */
    char[] operatorPassword(String operator) {
        String fromEnv = env.get("TOLLGATE_OPERATOR_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        if (console == null) {
            throw new CliException("no operator password: set TOLLGATE_OPERATOR_PASSWORD or run on a terminal to be prompted");
        }
        char[] password = console.readPassword("password for operator %s: ", operator);
        if (password == null || password.length == 0) {
            throw new CliException("no operator password given");
        }
        return password;
    }

    /** The terminal, or null when there is none (input or output redirected). */
    Console console() {
        return console;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static ObjectMapper mapper() {
        return Json.mapper();
    }

    /** A command's result: {@code asJson} as JSON with {@code --json}, else the line {@code asText}. */
    void result(Object asJson, String asText) {
        if (json) {
            printJson(asJson);
        } else {
            out().println(asText);
            out().flush();
        }
    }

    void printJson(Object value) {
        try {
            out().println(mapper().writeValueAsString(value));
            out().flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("cannot write JSON: " + e.getMessage());
        }
    }
}
