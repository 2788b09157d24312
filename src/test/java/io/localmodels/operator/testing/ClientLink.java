package io.localmodels.operator.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Whether the client of the request being dispatched on this thread is still connected. {@link FakeOllamaServer}
 * sets it for each request; under MockWebServer (which cannot tell) the client always counts as connected.
 */
public final class ClientLink {

    private static final ThreadLocal<ClientLink> CURRENT = new ThreadLocal<>();
    private static final int POLL_MILLIS = 5;

    private final Socket socket;
    private final BufferedInputStream in;
    private boolean gone;

    ClientLink(Socket socket, BufferedInputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /** True unless the current request's client has closed its connection; blocks at most a few milliseconds. */
    public static boolean stillConnected() {
        ClientLink link = CURRENT.get();
        return link == null || link.connected();
    }

    void bind() {
        CURRENT.set(this);
    }

    static void unbind() {
        CURRENT.remove();
    }

    /** Reads ahead one byte with a short timeout: EOF or a reset means the client left; a timeout means it waits. */
    boolean connected() {
        if (gone || socket.isClosed()) {
            return false;
        }
        try {
            socket.setSoTimeout(POLL_MILLIS);
            in.mark(1);
            if (in.read() == -1) {
                gone = true;
            } else {
                in.reset(); // a byte of the client's next request: keep it for the request reader
            }
        } catch (SocketTimeoutException e) {
            // nothing to read: the client is still waiting for the answer
        } catch (IOException e) {
            gone = true;
        } finally {
            try {
                socket.setSoTimeout(0);
            } catch (IOException e) {
                gone = true;
            }
        }
        return !gone;
    }
}
