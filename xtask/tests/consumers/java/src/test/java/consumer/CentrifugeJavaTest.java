package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.codebook.codes.CentrifugeSdkDisconnected;
import dev.codebook.codes.CentrifugoDisconnect;
import dev.codebook.codes.CentrifugoError;
import dev.codebook.codes.SdkEventAnswer;
import dev.codebook.codes.SdkEvents;
import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ClientState;
import io.github.centrifugal.centrifuge.DisconnectedEvent;
import io.github.centrifugal.centrifuge.ErrorEvent;
import io.github.centrifugal.centrifuge.EventListener;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.ReplyError;
import io.github.centrifugal.centrifuge.internal.protocol.Protocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The real centrifuge-java 0.4.1 SDK, its disconnect and error events mapped through the Java
 * binding. A stand-in server (OkHttp's mock server on 127.0.0.1, a free port) speaks Centrifugo's
 * protobuf protocol just far enough for the SDK to raise each event itself: it answers the connect
 * command and then closes with 3500 "invalid token", or fails the first connect with the temporary
 * error 100; the app's own disconnect then yields the SDK's code 0. The binding's answer must
 * agree with what the SDK did.
 */
class CentrifugeJavaTest {
    private static final long TIMEOUT_SECONDS = 10;

    /** Answers the SDK's commands: a connect result, or the scenario's error or close. */
    private static final class StandIn extends WebSocketListener {
        private final String mode;
        final AtomicInteger connects = new AtomicInteger();

        StandIn(String mode) {
            this.mode = mode;
        }

        @Override
        public void onMessage(WebSocket socket, ByteString bytes) {
            try {
                InputStream in = new ByteArrayInputStream(bytes.toByteArray());
                Protocol.Command command;
                while ((command = Protocol.Command.parseDelimitedFrom(in)) != null) {
                    if (!command.hasConnect()) {
                        continue;
                    }
                    int attempt = connects.incrementAndGet();
                    Protocol.Reply.Builder reply = Protocol.Reply.newBuilder().setId(command.getId());
                    if (mode.equals("temporary-error") && attempt == 1) {
                        reply.setError(Protocol.Error.newBuilder().setCode(100).setMessage("internal server error").setTemporary(true));
                    } else {
                        reply.setConnect(Protocol.ConnectResult.newBuilder().setClient("client-" + attempt).setVersion("6.9.1"));
                    }
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    reply.build().writeDelimitedTo(out);
                    socket.send(ByteString.of(out.toByteArray()));
                    if (mode.equals("close-3500")) {
                        socket.close(3500, "invalid token");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onClosing(WebSocket socket, int code, String reason) {
            socket.close(code, reason); // complete the close handshake the SDK started
        }

        @Override
        public void onFailure(WebSocket socket, Throwable t, Response response) {
            // The SDK hung up; nothing to answer.
        }
    }

    private static MockWebServer serve(StandIn standIn) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().withWebSocketUpgrade(standIn);
            }
        });
        server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        return server;
    }

    private static Options fastReconnects() {
        Options options = new Options();
        options.setMinReconnectDelay(50);
        options.setMaxReconnectDelay(200);
        return options;
    }

    @Test
    void aTerminalDisconnectMapsToInvalidTokenAndTheSdkStaysDown() throws Exception {
        StandIn standIn = new StandIn("close-3500");
        try (MockWebServer server = serve(standIn)) {
            CompletableFuture<DisconnectedEvent> disconnected = new CompletableFuture<>();
            Client client = new Client("ws://127.0.0.1:" + server.getPort() + "/connection/websocket", fastReconnects(), new EventListener() {
                @Override
                public void onDisconnected(Client c, DisconnectedEvent event) {
                    disconnected.complete(event);
                }
            });
            client.connect();
            DisconnectedEvent event = disconnected.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // The event as the SDK gave it; the server's 3500 is read in the server's family.
            SdkEventAnswer classified = SdkEvents.classifyDisconnectedEvent(event.getCode(), event.getReason()).orElseThrow();
            assertEquals(CentrifugoDisconnect.family(), classified.family());
            assertEquals(java.util.Optional.of(CentrifugoDisconnect.INVALID_TOKEN), classified.known());
            assertEquals(event.getReason(), CentrifugoDisconnect.INVALID_TOKEN.message());
            assertTrue(classified.behaviour().isTerminal());
            assertFalse(classified.action().triesAgain());
            Thread.sleep(300);
            assertEquals(ClientState.DISCONNECTED, client.getState(), "the SDK agrees: no reconnect");
            assertEquals(1, standIn.connects.get());
            client.disconnect();
            client.close(TIMEOUT_SECONDS * 1000);
            System.out.println("disconnect " + event.getCode() + " \"" + event.getReason() + "\": " + classified.action().wire());
        }
    }

    @Test
    void aTemporaryConnectErrorMapsToInternalAndTheSdkRetries() throws Exception {
        StandIn standIn = new StandIn("temporary-error");
        try (MockWebServer server = serve(standIn)) {
            CompletableFuture<ErrorEvent> errored = new CompletableFuture<>();
            CompletableFuture<DisconnectedEvent> disconnected = new CompletableFuture<>();
            Client client = new Client("ws://127.0.0.1:" + server.getPort() + "/connection/websocket", fastReconnects(), new EventListener() {
                @Override
                public void onError(Client c, ErrorEvent event) {
                    errored.complete(event);
                }

                @Override
                public void onDisconnected(Client c, DisconnectedEvent event) {
                    disconnected.complete(event);
                }

            });
            client.connect();
            ErrorEvent event = errored.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ReplyError error = assertInstanceOf(ReplyError.class, event.getError());
            // The ErrorEvent goes in as it is: the reply is found under getError().
            SdkEventAnswer classified = SdkEvents.classifyError(event).orElseThrow();
            assertEquals(java.util.Optional.of(CentrifugoError.INTERNAL), classified.known());
            assertEquals(error.isTemporary(), classified.behaviour().isTemporary());
            assertTrue(classified.action().triesAgain() && classified.backoff().isPresent());
            // The SDK agrees: it keeps trying instead of giving up.
            assertEquals(ClientState.CONNECTING, client.getState());
            client.disconnect();
            // The app's own disconnect: the SDK reports its code 0, which the SDK family names.
            DisconnectedEvent own = disconnected.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            SdkEventAnswer mine = SdkEvents.classifyDisconnectedEvent(own.getCode(), own.getReason()).orElseThrow();
            assertEquals(java.util.Optional.of(CentrifugeSdkDisconnected.DISCONNECT_CALLED), mine.known());
            assertEquals(CentrifugeSdkDisconnected.DISCONNECT_CALLED.message(), own.getReason());
            client.close(TIMEOUT_SECONDS * 1000);
            System.out.println("error " + error.getCode() + " \"" + error.getMessage() + "\": " + classified.action().wire());
        }
    }
}
