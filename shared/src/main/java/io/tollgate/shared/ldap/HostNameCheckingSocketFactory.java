package io.tollgate.shared.ldap;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * TLS sockets that check, during the handshake, that the server's certificate names the host connected to: the
 * JDK's endpoint identification with the {@code LDAPS} rules (RFC 6125 names; an IP address must be an IP subject
 * alternative name). It serves LDAPS (the socket UnboundID connects) and StartTLS (the socket it layers over the
 * plain connection, given the host name) alike.
 *
 * <p>Why not UnboundID's {@code HostNameSSLSocketVerifier}: its connection-option hook runs only for LDAPS, never
 * after StartTLS, and (UnboundID 7.0.3) it passed a certificate for {@code ldap.elsewhere.test} on
 * {@code 127.0.0.1} in {@code LdapDirectoryFactoryTlsIT}. The delegate must make plain JDK sockets: UnboundID's
 * {@code SSLUtil} socket wrapper does not pass the endpoint identification algorithm on.
 */
final class HostNameCheckingSocketFactory extends SSLSocketFactory {
    static final String ENDPOINT_IDENTIFICATION = "LDAPS";

    private final SSLSocketFactory delegate;

    HostNameCheckingSocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    private Socket checked(Socket socket) {
        if (socket instanceof SSLSocket tls) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(ENDPOINT_IDENTIFICATION);
            tls.setSSLParameters(parameters);
        }
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return checked(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return checked(delegate.createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return checked(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return checked(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return checked(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return checked(delegate.createSocket(address, port, localAddress, localPort));
    }
}
