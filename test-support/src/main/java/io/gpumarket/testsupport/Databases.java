package io.gpumarket.testsupport;

import java.sql.DriverManager;
import java.sql.SQLException;

/** Creates databases on a running PostgreSQL server. */
public final class Databases {
    private Databases() {}

    /**
     * Drops (if present) and creates database {@code name} on the server behind {@code anyDbUrl};
     * returns the JDBC URL of the new database.
     */
    public static String recreate(String anyDbUrl, String user, String password, String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database names are lower-case identifiers: " + name);
        }
        try (var c = DriverManager.getConnection(anyDbUrl, user, password); var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        int slash = anyDbUrl.lastIndexOf('/');
        int query = anyDbUrl.indexOf('?', slash);
        return anyDbUrl.substring(0, slash + 1) + name + (query < 0 ? "" : anyDbUrl.substring(query));
    }
}
