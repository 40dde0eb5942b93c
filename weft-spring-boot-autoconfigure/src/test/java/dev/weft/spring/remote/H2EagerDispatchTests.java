package dev.weft.spring.remote;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Eager dispatch to remote workers on H2. */
class H2EagerDispatchTests extends EagerDispatchScenarios {

    @Override
    protected DataSource dataSource() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:eager-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }
}
