package io.tollgate.tokenapi.mail;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The portal's mail transport, chosen in YAML by {@code type: smtp | file}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SmtpMailSenderFactory.class, name = "smtp"),
        @JsonSubTypes.Type(value = FileOutboxMailSenderFactory.class, name = "file")
})
public interface MailSenderFactory {
    MailSender build();
}
