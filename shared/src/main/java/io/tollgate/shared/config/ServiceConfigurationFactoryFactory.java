package io.tollgate.shared.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;

/**
 * Reads every service's YAML: Dropwizard's YAML factory on a copy of the service's object mapper that refuses
 * unknown keys at every depth, in Dropwizard's format (the path of the key and the valid names nearest to it);
 * a top-level key the service no longer reads ({@link ServiceConfiguration#movedKeys()}) is refused with where
 * its setting went instead. A misspelt key would otherwise leave its setting at the default without a word. The
 * mapper that reads request bodies is not this copy and keeps its own rules.
 */
public class ServiceConfigurationFactoryFactory<C extends ServiceConfiguration>
        extends DefaultConfigurationFactoryFactory<C> {

    @Override
    protected ObjectMapper configureObjectMapper(ObjectMapper objectMapper) {
        return objectMapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).addHandler(new MovedKeys());
    }

    /** A moved top-level key refused with its pointer; any other unknown key left to Jackson's refusal. */
    private static final class MovedKeys extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                JsonDeserializer<?> deserializer, Object beanOrClass, String key) throws JsonMappingException {
            if (beanOrClass instanceof ServiceConfiguration configuration) {
                String now = configuration.movedKeys().get(key);
                if (now != null) {
                    throw JsonMappingException.wrapWithPath(JsonMappingException.from(parser,
                            "the top-level \"" + key + "\" key is now " + now), beanOrClass, key);
                }
            }
            return false;
        }
    }
}
