import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;

/** pgjdbc with its default settings: DDL, parameters (server-prepared after five runs), a rolled-back transaction. */
public class JdbcClientCheck {
    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/luma";
        try (Connection c = DriverManager.getConnection(url, "luma", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE jdbc_items (id int PRIMARY KEY, name text, price float8, at timestamp)");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO jdbc_items VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 6; i++) {
                    p.setInt(1, i);
                    p.setString(2, "item " + i);
                    p.setDouble(3, i * 1.5);
                    p.setTimestamp(4, Timestamp.valueOf("2024-01-0" + i + " 10:00:00"));
                    System.out.println("inserted " + p.executeUpdate());
                }
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                System.out.println("deleted " + s.executeUpdate("DELETE FROM jdbc_items WHERE id <= 3"));
            }
            c.rollback();
            c.setAutoCommit(true);
            try (PreparedStatement p = c.prepareStatement("SELECT id, name, price, at FROM jdbc_items WHERE id >= ? ORDER BY id")) {
                p.setInt(1, 5);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        System.out.println(r.getInt(1) + "|" + r.getString(2) + "|" + r.getDouble(3) + "|" + r.getTimestamp(4));
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM jdbc_items")) {
                r.next();
                System.out.println("count " + r.getLong(1));
            }
            System.out.println(c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseMajorVersion());
        }
    }
}
