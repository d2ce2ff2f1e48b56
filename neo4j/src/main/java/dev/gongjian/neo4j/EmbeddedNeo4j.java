package dev.gongjian.neo4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community in-process with only the Bolt connector, on loopback, for gongjian's
 * development and tests. Configured by environment variables (see {@link #usage()}); prints one
 * line starting with {@code READY} once Bolt answers a handshake, and shuts the store down cleanly
 * on SIGTERM or SIGINT.
 */
public final class EmbeddedNeo4j {
    private EmbeddedNeo4j() {}

    static String usage() {
        return String.join("\n",
            "gongjian-neo4j: Neo4j Community " + neo4jVersion() + " in-process, Bolt only.",
            "Environment:",
            "  NEO4J_BOLT_HOST     listen and advertised host       (default 127.0.0.1)",
            "  NEO4J_BOLT_PORT     Bolt port                        (default 7687)",
            "  NEO4J_DATA_DIR      store and logs directory         (default .data/neo4j)",
            "  NEO4J_PAGECACHE     page cache size, e.g. 512m, 2g   (default 2g)",
            "  NEO4J_TX_TIMEOUT    transaction timeout, e.g. 60s    (default 120s)",
            "  NEO4J_INDEX_WORKERS threads that populate new indexes (default: every core)",
            "JVM heap is set by the launcher (neo4jctl: NEO4J_HEAP, default 2g).");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println(usage());
            return;
        }
        if (Runtime.version().feature() < 17) {
            fail("Java 17 or newer is required, this is Java " + Runtime.version());
        }
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = parseInt("NEO4J_BOLT_PORT", env("NEO4J_BOLT_PORT", "7687"), 1, 65535);
        Path dataDir = Path.of(env("NEO4J_DATA_DIR", ".data/neo4j")).toAbsolutePath();
        long pageCache = parseBytes("NEO4J_PAGECACHE", env("NEO4J_PAGECACHE", "2g"));
        Duration txTimeout = parseDuration("NEO4J_TX_TIMEOUT", env("NEO4J_TX_TIMEOUT", "120s"));
        // Neo4j populates a new index with a quarter of the cores (one, on a small machine): a
        // store built by the offline importer gets all its indexes at once, which then take
        // twice as long as they need on two cores.
        int indexWorkers = parseInt("NEO4J_INDEX_WORKERS",
            env("NEO4J_INDEX_WORKERS", String.valueOf(Runtime.getRuntime().availableProcessors())), 1, 1024);

        ensurePortFree(host, port);
        Files.createDirectories(dataDir);

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dataDir)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
            .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
            .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(host))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(HttpsConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
            .setConfig(GraphDatabaseSettings.transaction_timeout, txTimeout)
            .setConfig(GraphDatabaseSettings.udc_enabled, false)
            .setConfig(GraphDatabaseInternalSettings.index_population_workers, indexWorkers)
            .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("gongjian-neo4j: shutting down");
            try {
                dbms.shutdown();
            } finally {
                System.out.println("gongjian-neo4j: stopped cleanly");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
            fail("database " + db.databaseName() + " did not become available within 2 minutes");
        }
        waitForBolt(host, port, Duration.ofMinutes(1));
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(Locale.ROOT, "READY bolt://%s:%d neo4j %s data=%s started_in_ms=%d pid=%d%n",
            host, port, neo4jVersion(), dataDir, millis, ProcessHandle.current().pid());
        System.out.flush();
        stopped.await();
    }

    /** Bolt answers when a handshake gets a version back. */
    static void waitForBolt(String host, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                // Magic preamble, then four proposed versions: 5.x (range), 4.4, none, none.
                out.write(new byte[] {
                    0x60, 0x60, (byte) 0xB0, 0x17,
                    0, 4, 4, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0});
                out.flush();
                int version = new DataInputStream(s.getInputStream()).readInt();
                if (version != 0) {
                    return;
                }
                last = new IOException("Bolt handshake refused every proposed version");
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        fail("Bolt did not answer on " + host + ":" + port + ": " + (last == null ? "timeout" : last.getMessage()));
    }

    static void ensurePortFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            // As Neo4j binds: sockets of an earlier run still closing (TIME_WAIT, FIN_WAIT) must
            // not stop a restart on the same port.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (BindException e) {
            fail("port " + port + " on " + host + " is already in use (is another Neo4j running? set NEO4J_BOLT_PORT)");
        } catch (IOException e) {
            fail("cannot bind " + host + ":" + port + ": " + e.getMessage());
        }
    }

    static String neo4jVersion() {
        String v = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        return v == null ? "unknown" : v;
    }

    static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    /** Parses an integer from min to max, the value of the environment variable name. */
    static int parseInt(String name, String s, int min, int max) {
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail(name + " must be a number from " + min + " to " + max + ", got '" + s + "'");
        return 0;
    }

    /** Parses sizes like 512m, 2g, 1048576. */
    static long parseBytes(String name, String s) {
        String t = s.toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            default -> { }
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n > 0) {
                return n * mult;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail(name + " must be a size such as 512m or 2g, got '" + s + "'");
        return 0;
    }

    /** Parses durations like 500ms, 60s, 5m. */
    static Duration parseDuration(String name, String s) {
        String t = s.toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            fail(name + " must be a duration such as 60s or 5m, got '" + s + "'");
            return Duration.ZERO;
        }
    }

    static void fail(String message) {
        System.err.println("gongjian-neo4j: " + message);
        System.err.flush();
        System.exit(2);
    }
}
