package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the README's property table true: it lists exactly the {@code weft.*} and
 * {@code management.endpoint.weft.*} properties of the configuration metadata that the build generates from the properties classes, and the value hints
 * an IDE offers are there.
 */
class ReadmePropertiesTests {

    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `((?:weft|management\\.endpoint\\.weft)\\.[a-z0-9.-]+)` \\|",
            Pattern.MULTILINE);

    @Test
    void readmeListsEveryPropertyOfTheMetadataAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = TABLE_ROW.matcher(Files.readString(readme()));
        while (row.find()) {
            documented.add(row.group(1));
        }

        Set<String> declared = new TreeSet<>();
        for (JsonNode property : metadata().path("properties")) {
            String name = property.path("name").asString();
            if (name.startsWith("weft.") || name.startsWith("management.endpoint.weft.")) {
                declared.add(name);
            }
        }

        assertThat(declared).as("weft.* properties in the configuration metadata")
                .contains("weft.lease", "management.endpoint.weft.show-values", "management.endpoint.weft.roles");
        assertThat(documented).as("properties in the README's table").isEqualTo(declared);
    }

    @Test
    void metadataHintsThePlatformsAndSchemaModes() throws IOException {
        Set<String> hinted = new TreeSet<>();
        for (JsonNode hint : metadata().path("hints")) {
            for (JsonNode value : hint.path("values")) {
                hinted.add(hint.path("name").asString() + "=" + value.path("value").asString());
            }
        }

        assertThat(hinted).contains("weft.jdbc.platform=postgresql", "weft.jdbc.platform=mariadb", "weft.jdbc.platform=h2",
                "weft.jdbc.initialize-schema=embedded", "weft.jdbc.initialize-schema=always",
                "weft.jdbc.initialize-schema=never");
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream json = ReadmePropertiesTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(json).as("the generated configuration metadata").isNotNull();
            return JsonMapper.builder().build().readTree(json);
        }
    }

    /** The repository's README, found from the module's directory (where Surefire runs) or the root. */
    private static Path readme() {
        Path fromModule = Path.of("..", "README.md");
        return Files.exists(fromModule) ? fromModule : Path.of("README.md");
    }
}
