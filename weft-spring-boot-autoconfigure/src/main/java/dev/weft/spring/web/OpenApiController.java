package dev.weft.spring.web;

import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API's OpenAPI description, the one path anybody may read. */
@RestController
@RequestMapping(WeftApi.BASE_PATH)
public class OpenApiController {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @GetMapping("/openapi.yaml")
    public ResponseEntity<byte[]> openApi() throws IOException {
        try (InputStream in = OpenApiController.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the jar");
            }
            return ResponseEntity.ok().contentType(YAML).body(in.readAllBytes());
        }
    }
}
