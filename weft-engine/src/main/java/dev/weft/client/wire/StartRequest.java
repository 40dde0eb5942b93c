package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.StartOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /workflows}: start a run of {@code type}, under {@code id} when given.
 *
 * @param input the workflow's input, {@code null} when absent
 */
public record StartRequest(@Nullable String type, @Nullable JsonNode input,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String id) {

    public StartRequest {
        input = WireFields.absentIfNull(input);
    }

    /** The type to start; refused when missing or blank. */
    public String requiredType() {
        return WireFields.required(type, "type");
    }

    /** The start options; refused when the id is not one the engine accepts. */
    public StartOptions options() {
        StartOptions.Builder options = StartOptions.builder();
        if (id != null) {
            try {
                options.id(id);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("id", "Field \"id\" is not a valid workflow id: " + e.getMessage());
            }
        }
        return options.build();
    }
}
