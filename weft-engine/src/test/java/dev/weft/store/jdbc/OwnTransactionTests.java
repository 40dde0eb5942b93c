package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A write in a transaction of its own: outside a Spring transaction on a pool connection of its own, inside one on that transaction's. */
class OwnTransactionTests {

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private JdbcTemplate jdbc;

    @BeforeEach
    void createTable() {
        dataSource.setURL("jdbc:h2:mem:own-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table t (id int primary key)");
    }

    private static int insert(Connection connection, int id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("insert into t (id) values (?)")) {
            statement.setInt(1, id);
            return statement.executeUpdate();
        }
    }

    private int rows() {
        return jdbc.queryForObject("select count(*) from t", Integer.class);
    }

    @Test
    void aWriteOutsideATransactionCommitsAndAFailedOneIsTranslatedAndChangesNothing() {
        int inserted = OwnTransaction.run(jdbc, connection -> insert(connection, 1));
        assertThat(inserted).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);

        assertThatThrownBy(() -> OwnTransaction.run(jdbc, connection -> insert(connection, 1)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aWriteOnAPoolWithoutAutoCommitIsCommittedByItself() {
        DataSource manual = new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                connection.setAutoCommit(false);
                return connection;
            }
        };

        OwnTransaction.run(new JdbcTemplate(manual), connection -> insert(connection, 2));

        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aWriteInsideASpringTransactionUsesItsConnection() {
        AtomicInteger taken = new AtomicInteger();
        DataSource counting = new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                taken.incrementAndGet();
                return super.getConnection();
            }
        };
        JdbcTemplate countingJdbc = new JdbcTemplate(counting);
        TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(counting));

        transactions.executeWithoutResult(status -> OwnTransaction.run(countingJdbc, connection -> insert(connection, 3)));
        assertThat(taken).hasValue(1);

        OwnTransaction.run(countingJdbc, connection -> insert(connection, 4));
        assertThat(taken).hasValue(2);
        assertThat(rows()).isEqualTo(2);
    }
}
