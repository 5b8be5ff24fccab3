package io.tollgate.shared.ldap;

import com.unboundid.util.StaticUtils;

import java.text.ParseException;
import java.time.Instant;

/** LDAP generalized time (RFC 4517, e.g. {@code 20991231235959Z}), as directories store dates such as a licence's end. */
public final class GeneralizedTime {
    private GeneralizedTime() {
    }

    /**
     * The instant {@code value} names, or null when there is no value.
     *
     * @throws IllegalArgumentException when {@code value} is not a generalized time
     */
    public static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return StaticUtils.decodeGeneralizedTime(value).toInstant();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not an LDAP generalized time: " + value, e);
        }
    }
}
