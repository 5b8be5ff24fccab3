package io.tollgate.ops.e2e;

import io.tollgate.ops.stack.DemoUpstream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/**
 * The demo upstream over HTTPS as a process of its own (so it can live on another host):
 * {@code TlsUpstreamMain <address> <port> <PKCS#12 key store> <store password>}. Runs until killed.
 */
public final class TlsUpstreamMain {
    private TlsUpstreamMain() {
    }

    public static void main(String[] args) throws Exception {
        char[] password = args[3].toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        DemoUpstream.startTls(args[0], Integer.parseInt(args[1]), tls);
        System.out.println("demo upstream on https://" + args[0] + ":" + args[1]);
        Thread.currentThread().join();
    }
}
