package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the shipped schema scripts and applying a table prefix. */
class JdbcSchemaInitializerTests {

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void everyScriptCreatesBothTablesConditionallyUnderThePrefix(JdbcDialect dialect) {
        List<String> statements = JdbcSchemaInitializer.statements(dialect, "app_wf_");
        assertThat(statements).isNotEmpty().allSatisfy(statement -> {
            // safe to run again: everything is created if missing, an earlier schema's index dropped if there,
            // a column of a later schema added if missing
            assertThat(statement).matches("(?is)(create .* if not exists .*|drop index if exists .*|alter table \\S+ add column if not exists .*)")
                    .doesNotContain("weft_").doesNotContain("--");
        });
        assertThat(String.join("\n", statements)).contains("app_wf_run (", "app_wf_journal (");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Weft_", "weft; drop table x;", "1weft_", "weft-"})
    void unsafePrefixIsRejected(String prefix) {
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcSchemaInitializer.statements(JdbcDialect.H2, prefix))
                .withMessageContaining("prefix");
    }
}
