package interop;

import dev.codebook.codes.RegisteredCode;
import dev.codebook.codes.SdkEventAnswer;
import dev.codebook.codes.SdkEvents;
import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ClientState;
import io.github.centrifugal.centrifuge.ConnectedEvent;
import io.github.centrifugal.centrifuge.ConnectingEvent;
import io.github.centrifugal.centrifuge.DisconnectedEvent;
import io.github.centrifugal.centrifuge.EventListener;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.ReplyError;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.github.centrifugal.centrifuge.SubscribingEvent;
import io.github.centrifugal.centrifuge.Subscription;
import io.github.centrifugal.centrifuge.SubscriptionErrorEvent;
import io.github.centrifugal.centrifuge.SubscriptionEventListener;
import io.github.centrifugal.centrifuge.SubscriptionState;
import io.github.centrifugal.centrifuge.SubscriptionSubscribeError;
import io.github.centrifugal.centrifuge.UnsubscribedEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Drives the running Centrifugo with centrifuge-java 0.4.1 and checks each code that arrives
 * through the installed Java binding ({@code dev.codebook:codebook-codes}): the code must be
 * registered in the family the scenario names with its exact wire message (or, where the scenario
 * says so, be unregistered and classified by its range), and codebook's action must agree with
 * what the SDK did next, as its own events show.
 *
 * <p>Prints one JSON row per scenario on standard output, like interop/python/scenarios.py;
 * xtask/src/test_suite/interop.rs runs it after the Python runner and before the JS runner (which
 * ends by stopping the server). Environment: CENTRIFUGO_WS, CENTRIFUGO_API, CENTRIFUGO_API_KEY,
 * CENTRIFUGO_SECRET.
 */
public final class Scenarios {
    private static final String SDK = "centrifuge-java 0.4.1";
    private static final String WS_URL = required("CENTRIFUGO_WS");
    private static final String API_URL = required("CENTRIFUGO_API");
    private static final String API_KEY = required("CENTRIFUGO_API_KEY");
    private static final String SECRET = required("CENTRIFUGO_SECRET");
    private static final Duration TIMEOUT = Duration.ofSeconds(8);
    /** How long the SDK gets to show what it does after a code arrived (a reconnect takes 50 ms). */
    private static final long SETTLE_MS = 700;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private Scenarios() {}

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    /** One event of the SDK, in the order it raised them; an error reply keeps its temporary flag. */
    private record Seen(String event, int code, String reason, boolean temporary) {
        Seen(String event, int code, String reason) {
            this(event, code, reason, false);
        }

        boolean is(String... names) {
            return List.of(names).contains(event);
        }
    }

    /** Records every client and subscription event the SDK raises, from its own threads. */
    private static final class Recorder {
        final List<Seen> events = new CopyOnWriteArrayList<>();

        EventListener client() {
            return new EventListener() {
                @Override
                public void onConnecting(Client client, ConnectingEvent event) {
                    events.add(new Seen("connecting", event.getCode(), event.getReason()));
                }

                @Override
                public void onConnected(Client client, ConnectedEvent event) {
                    events.add(new Seen("connected", 0, ""));
                }

                @Override
                public void onDisconnected(Client client, DisconnectedEvent event) {
                    events.add(new Seen("disconnected", event.getCode(), event.getReason()));
                }
            };
        }

        SubscriptionEventListener subscription() {
            return new SubscriptionEventListener() {
                @Override
                public void onSubscribing(Subscription subscription, SubscribingEvent event) {
                    events.add(new Seen("subscribing", event.getCode(), event.getReason()));
                }

                @Override
                public void onSubscribed(Subscription subscription, SubscribedEvent event) {
                    events.add(new Seen("subscribed", 0, ""));
                }

                @Override
                public void onUnsubscribed(Subscription subscription, UnsubscribedEvent event) {
                    events.add(new Seen("unsubscribed", event.getCode(), event.getReason()));
                }

                @Override
                public void onError(Subscription subscription, SubscriptionErrorEvent event) {
                    // A refused subscribe arrives as SubscriptionSubscribeError wrapping the reply.
                    if (event.getError() instanceof SubscriptionSubscribeError refused && refused.getError() instanceof ReplyError reply) {
                        events.add(new Seen("error reply", reply.getCode(), reply.getMessage(), reply.isTemporary()));
                    } else {
                        events.add(new Seen("subscription error: " + event.getError(), -1, ""));
                    }
                }
            };
        }

        /** The index of the first event after {@code after} that matches, waiting up to the timeout. */
        int await(int after, Predicate<Seen> wanted, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = after + 1; i < events.size(); i++) {
                    if (wanted.test(events.get(i))) {
                        return i;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no " + what + " within " + TIMEOUT.toSeconds() + " s; events: " + events);
        }

        /** Whether any event after the one at {@code index} is one of {@code names}. */
        boolean after(int index, String... names) {
            return events.subList(index + 1, events.size()).stream().anyMatch(event -> event.is(names));
        }
    }

    private static Options options(String token) {
        Options options = new Options();
        options.setToken(token);
        options.setMinReconnectDelay(50);
        options.setMaxReconnectDelay(200);
        return options;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An HS256 connection token for {@code user}, signed with the server's secret. */
    private static String token(String user) throws GeneralSecurityException {
        String header = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64Url(("{\"sub\":" + json(user) + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String body = header + "." + claims;
        return body + "." + base64Url(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Calls the server API; fails unless it answers 200 without an error. */
    private static void api(String method, String params) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(API_URL + "/" + method))
                .timeout(TIMEOUT)
                .header("X-API-Key", API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(params))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().contains("\"error\"")) {
            throw new IllegalStateException("API " + method + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A JSON string literal. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String row(String scenario, String arrived, String codebook, String sdkDid, List<String> problems) {
        List<String> quoted = problems.stream().map(Scenarios::json).toList();
        return "{\"sdk\":" + json(SDK) + ",\"scenario\":" + json(scenario) + ",\"arrived\":" + json(arrived)
                + ",\"codebook\":" + json(codebook) + ",\"sdk_did\":" + json(sdkDid) + ",\"ok\":" + problems.isEmpty()
                + ",\"problems\":[" + String.join(",", quoted) + "]}";
    }

    /** Whether the scenario expects the arrived number to be registered (with its exact message). */
    private enum Expect {
        REGISTERED,
        UNREGISTERED
    }

    /**
     * Asks the Java binding's SDK event helpers about what arrived ({@code SdkEvents}: the event's
     * code is read in the family that answers for it, the server's numbers in the server's family)
     * and returns the row: the answer must come from {@code family} (registered with the wire
     * message, or unregistered as the scenario expects), and codebook's action must try again
     * exactly when the SDK did.
     */
    private static String check(String scenario, String family, Seen seen, Expect expect, boolean sdkAgain, String sdkDid,
            List<String> problems) {
        String via = seen.is("error reply") ? seen.event() : seen.event() + " event";
        String arrived = via + " " + seen.code() + " " + json(seen.reason());
        Optional<SdkEventAnswer> answered = seen.is("error reply")
                ? SdkEvents.classifyErrorReply(seen.code())
                : SdkEvents.BY_EVENT.get(seen.event()).apply((long) seen.code(), seen.reason());
        if (answered.isEmpty()) {
            problems.add(seen.code() + " is no code of a " + seen.event() + " event");
            return row(scenario, arrived, "-", sdkDid, problems);
        }
        SdkEventAnswer answer = answered.get();
        if (!answer.family().id().equals(family)) {
            problems.add("the helper read " + seen.code() + " in " + answer.family().id() + ", expected " + family);
        }
        Optional<RegisteredCode> known = answer.known();
        if (expect == Expect.REGISTERED && known.isEmpty()) {
            problems.add(seen.code() + " is not registered in " + answer.family().id());
        } else if (expect == Expect.REGISTERED && !known.get().info().texts().contains(seen.reason())) {
            problems.add("binding says " + known.get().info().texts() + ", wire said " + json(seen.reason()));
        } else if (expect == Expect.UNREGISTERED && known.isPresent()) {
            problems.add(seen.code() + " was expected to be unregistered in " + answer.family().id());
        }
        if (seen.is("error reply") && seen.temporary() != answer.behaviour().isTemporary()) {
            problems.add("the reply says temporary=" + seen.temporary() + ", the binding " + answer.behaviour().isTemporary());
        }
        if (answer.action().triesAgain() != sdkAgain) {
            problems.add("codebook says " + answer.action().wire() + ", the SDK " + sdkDid);
        }
        String name = known.map(RegisteredCode::codeName).orElse("(" + answer.classification().segment().label() + ")");
        return row(scenario, arrived, answer.family().id() + " " + name + ": " + answer.action().wire(), sdkDid, problems);
    }

    /** The client ended its connection with a close code: it either stopped or reconnected. */
    private static boolean isEnd(Seen seen) {
        return seen.is("disconnected") || (seen.is("connecting") && seen.code() != 0);
    }

    /** After an end, whether the client went on: still not disconnected, or connecting again. */
    private static boolean reconnected(Client client, Recorder recorder, int end) {
        return client.getState() != ClientState.DISCONNECTED || recorder.events.get(end).is("connecting")
                || recorder.after(end, "connecting", "connected");
    }

    private static void close(Client client) throws InterruptedException {
        client.disconnect();
        client.close(TIMEOUT.toMillis());
    }

    /** A connection the server refuses: the SDK's disconnected (or connecting) event carries the code. */
    private static String invalidToken(String scenario) throws Exception {
        Recorder recorder = new Recorder();
        Client client = new Client(WS_URL, options("not-a-jwt"), recorder.client());
        try {
            client.connect();
            int end = recorder.await(-1, Scenarios::isEnd, "disconnected event");
            Thread.sleep(SETTLE_MS);
            boolean again = reconnected(client, recorder, end);
            return check(scenario, "centrifugo-disconnect", recorder.events.get(end), Expect.REGISTERED, again,
                    again ? "reconnected" : "stopped (disconnected)", new ArrayList<>());
        } finally {
            close(client);
        }
    }

    /** The server API closes a connected client with {@code code} and an empty reason. */
    private static String apiDisconnect(String scenario, String user, int code, Expect expect) throws Exception {
        Recorder recorder = new Recorder();
        Client client = new Client(WS_URL, options(token(user)), recorder.client());
        try {
            client.connect();
            int connected = recorder.await(-1, seen -> seen.is("connected"), "connected event");
            api("disconnect", "{\"user\":" + json(user) + ",\"disconnect\":{\"code\":" + code + ",\"reason\":\"\"}}");
            int end = recorder.await(connected, Scenarios::isEnd, "disconnected event");
            Thread.sleep(SETTLE_MS);
            boolean again = reconnected(client, recorder, end);
            return check(scenario, "centrifugo-disconnect", recorder.events.get(end), expect, again,
                    again ? "reconnected" : "stopped (disconnected)", new ArrayList<>());
        } finally {
            close(client);
        }
    }

    /** The app's own disconnect() on a live connection: the SDK reports its own code 0. */
    private static String appDisconnect(String scenario, String user) throws Exception {
        Recorder recorder = new Recorder();
        Client client = new Client(WS_URL, options(token(user)), recorder.client());
        try {
            client.connect();
            int connected = recorder.await(-1, seen -> seen.is("connected"), "connected event");
            client.disconnect();
            int end = recorder.await(connected, Scenarios::isEnd, "disconnected event");
            Thread.sleep(SETTLE_MS);
            boolean again = reconnected(client, recorder, end);
            return check(scenario, "centrifuge-sdk-disconnected", recorder.events.get(end), Expect.REGISTERED, again,
                    again ? "reconnected" : "stopped (disconnected)", new ArrayList<>());
        } finally {
            close(client);
        }
    }

    /**
     * A subscribe the server refuses with an error reply: the reply's code is checked, and the
     * SDK's unsubscribed event must carry the same code and text.
     */
    private static String refusedSubscription(String scenario, String user, String channel) throws Exception {
        Recorder recorder = new Recorder();
        Client client = new Client(WS_URL, options(token(user)), recorder.client());
        try {
            Subscription subscription = client.newSubscription(channel, recorder.subscription());
            client.connect();
            subscription.subscribe();
            Seen reply = recorder.events.get(recorder.await(-1,
                    seen -> seen.is("error reply", "subscribed") || seen.event().startsWith("subscription error"), "error reply"));
            if (!reply.is("error reply")) {
                throw new AssertionError("expected an error reply for " + channel + ", got " + reply);
            }
            int endIndex = recorder.await(-1,
                    seen -> seen.is("unsubscribed", "subscribed") || (seen.is("subscribing") && seen.code() != 0), "unsubscribed event");
            Seen end = recorder.events.get(endIndex);
            Thread.sleep(SETTLE_MS);
            boolean again = subscription.getState() != SubscriptionState.UNSUBSCRIBED || !end.is("unsubscribed")
                    || recorder.after(endIndex, "subscribing", "subscribed");
            List<String> problems = new ArrayList<>();
            if (end.code() != reply.code() || !end.reason().equals(reply.reason())) {
                problems.add("the SDK's " + end.event() + " event says " + end.code() + " " + json(end.reason())
                        + ", the reply " + reply.code() + " " + json(reply.reason()));
            }
            return check(scenario, "centrifugo-error", reply, Expect.REGISTERED, again,
                    again ? "resubscribes" : "stopped (unsubscribed)", problems);
        } finally {
            close(client);
        }
    }

    /** The server API unsubscribes a subscribed user: the Unsubscribe push reaches the subscription. */
    private static String serverUnsubscribe(String scenario, String user, String channel) throws Exception {
        Recorder recorder = new Recorder();
        Client client = new Client(WS_URL, options(token(user)), recorder.client());
        try {
            Subscription subscription = client.newSubscription(channel, recorder.subscription());
            client.connect();
            subscription.subscribe();
            int subscribed = recorder.await(-1, seen -> seen.is("subscribed"), "subscribed event");
            api("unsubscribe", "{\"user\":" + json(user) + ",\"channel\":" + json(channel) + "}");
            int endIndex = recorder.await(subscribed,
                    seen -> seen.is("unsubscribed") || (seen.is("subscribing") && seen.code() != 0), "unsubscribed event");
            Seen end = recorder.events.get(endIndex);
            Thread.sleep(SETTLE_MS);
            boolean again = subscription.getState() != SubscriptionState.UNSUBSCRIBED || !end.is("unsubscribed")
                    || recorder.after(endIndex, "subscribing", "subscribed");
            return check(scenario, "centrifugo-unsubscribe", end, Expect.REGISTERED, again,
                    again ? "resubscribed" : "stopped (unsubscribed)", new ArrayList<>());
        } finally {
            close(client);
        }
    }

    /** A scenario's body: its row. */
    @FunctionalInterface
    private interface Body {
        String run(String scenario) throws Exception;
    }

    /** A scenario and its body; anything the body throws becomes the scenario's row. */
    private record Scenario(String name, Body body) {
        String row() {
            try {
                return body.run(name);
            } catch (Exception | AssertionError e) {
                return failed(name, e);
            }
        }
    }

    private static String failed(String scenario, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return row(scenario, "-", "-", "-", List.of(trace.toString()));
    }

    public static void main(String[] args) throws InterruptedException {
        List<Scenario> scenarios = List.of(
                new Scenario("invalid token", Scenarios::invalidToken),
                new Scenario("forbidden channel", name -> refusedSubscription(name, "java-forbidden", "locked:room")),
                new Scenario("unknown namespace", name -> refusedSubscription(name, "java-unknown", "nowhere:room")),
                new Scenario("API unsubscribe", name -> serverUnsubscribe(name, "java-unsubscribed", "java-news")),
                // centrifuge-java applies the range rules whatever the reason (centrifuge-js would
                // reconnect after 4500 here): it agrees with codebook both ways.
                new Scenario("API disconnect 4500, empty reason", name -> apiDisconnect(name, "java-4500", 4500, Expect.UNREGISTERED)),
                new Scenario("API disconnect 4000, empty reason", name -> apiDisconnect(name, "java-4000", 4000, Expect.UNREGISTERED)),
                new Scenario("app calls disconnect()", name -> appDisconnect(name, "java-own")));
        // Each scenario has its own client and user, so they run side by side (their settle times
        // overlap); the rows come out in the order above.
        ExecutorService pool = Executors.newFixedThreadPool(scenarios.size());
        List<Future<String>> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            rows.add(pool.submit(scenario::row));
        }
        for (int i = 0; i < scenarios.size(); i++) {
            String name = scenarios.get(i).name();
            try {
                System.out.println(rows.get(i).get(4 * TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                System.out.println(failed(name, e));
            }
        }
        System.out.flush();
        pool.shutdownNow();
        // The SDK's OkHttp threads may linger after close(); the rows are out, so end here.
        System.exit(0);
    }
}
