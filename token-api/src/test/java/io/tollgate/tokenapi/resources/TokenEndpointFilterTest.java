package io.tollgate.tokenapi.resources;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which token requests the filter answers itself; every other one is Jersey's (405, 406, unparsable types). */
class TokenEndpointFilterTest {
    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8", "application/x-www-form-urlencoded;charset=ISO-8859-1"})
    void takesTheFormTypeBareOrWithParametersThatParse(String contentType) {
        assertThat(TokenEndpointFilter.isForm(contentType)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"application/json", "application/x-www-form-urlencodedx",
            " application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=\"",
            "application/x-www-form-urlencoded; ="})
    void leavesEveryOtherTypeToJersey(String contentType) {
        assertThat(TokenEndpointFilter.isForm(contentType)).isFalse();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"*/*", "application/json", "Application/JSON"})
    void takesNoAcceptOrOneThatNamesJsonOrAnything(String accept) {
        assertThat(TokenEndpointFilter.acceptsJson(accept)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/html", "application/json;q=0", "application/xml, */*;q=0.1"})
    void leavesEveryOtherAcceptToJersey(String accept) {
        assertThat(TokenEndpointFilter.acceptsJson(accept)).isFalse();
    }
}
