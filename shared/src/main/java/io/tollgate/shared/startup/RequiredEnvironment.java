package io.tollgate.shared.startup;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes environment variables into a service's YAML as Dropwizard does ({@code ${NAME}}, {@code ${NAME:-default}},
 * {@code $${NAME}} for a literal), and refuses the file when a {@code ${NAME}} without a default names a variable that
 * is not set: the production templates mark their required values that way. Every missing variable is named at once
 * (a {@code ${NAME}} inside another variable's default counts as required too).
 */
public final class RequiredEnvironment extends EnvironmentVariableSubstitutor {
    /** {@code ${NAME}} with no default, not escaped as {@code $${NAME}}. */
    private static final Pattern REQUIRED = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_.]*)}");

    private final UnaryOperator<String> environment;

    public RequiredEnvironment() {
        this(System::getenv);
    }

    /** With {@code environment} as the variables' source (a name to its value, null when unset). */
    public RequiredEnvironment(UnaryOperator<String> environment) {
        super(false);
        this.environment = environment;
        setVariableResolver(environment::apply);
    }

    @Override
    public String replace(String source) {
        if (source == null) {
            return null;
        }
        Set<String> missing = new LinkedHashSet<>();
        Matcher m = REQUIRED.matcher(source);
        while (m.find()) {
            if (environment.apply(m.group(1)) == null) {
                missing.add(m.group(1));
            }
        }
        if (!missing.isEmpty()) {
            throw new StartupRefusal((missing.size() == 1 ? "environment variable " : "environment variables ")
                    + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not set (the configuration requires " + (missing.size() == 1 ? "it" : "them") + ")");
        }
        return super.replace(source);
    }
}
