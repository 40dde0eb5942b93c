package dev.weft.spring.web;

import dev.weft.client.wire.ApiError;
import dev.weft.client.wire.WireFormat;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the API's answers, the records of {@code dev.weft.client.wire}, with {@link WireFormat}'s
 * mapper rather than the application's, so the application's Jackson settings cannot change the
 * wire format. Registered ahead of the application's converters; it takes no other type, and
 * reads nothing (request bodies go through {@link JsonBodyReader}, which bounds them first).
 */
public final class WireMessageConverter extends AbstractHttpMessageConverter<Object> {

    private static final String WIRE_PACKAGE = ApiError.class.getPackageName();

    private final JsonMapper mapper = WireFormat.mapper();

    public WireMessageConverter() {
        super(MediaType.APPLICATION_JSON);
    }

    @Override
    protected boolean supports(Class<?> type) {
        return type.getPackageName().equals(WIRE_PACKAGE);
    }

    @Override
    public boolean canRead(Class<?> type, @Nullable MediaType mediaType) {
        return false;
    }

    @Override
    protected Object readInternal(Class<?> type, HttpInputMessage input) {
        throw new HttpMessageNotReadableException("The API's bodies are read by JsonBodyReader", input);
    }

    @Override
    protected void writeInternal(Object body, HttpOutputMessage output) throws IOException {
        output.getBody().write(mapper.writeValueAsBytes(body));
    }
}
