// Command serverapi drives Centrifugo's server API over HTTP and gRPC (with the client generated
// from the server's own proto package, internal/apiproto, copied from the pinned module by
// `cargo xtask interop`) and prints one JSON observation per line: the code, message and HTTP or
// gRPC status each call answered, in the default and the transport error mode. It decides
// nothing: the suite checks every observation against the registry.
//
// With the argument `livecheck` it makes the traffic the live-check scenario reads from the
// metrics instead: one connection closed with 3500 (invalid token) and one disconnected through
// the server API with the unregistered code 4444.
package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/centrifugal/centrifuge-go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"codebook.local/interop/serverapi/apiproto"
)

// observation is one answer of the server API.
type observation struct {
	Scenario string `json:"scenario"`
	Protocol string `json:"protocol"` // http or grpc
	Mode     string `json:"mode"`     // default or transport
	Code     uint32 `json:"code"`
	Message  string `json:"message"`
	// HTTPStatus is the response status (http), GRPCStatus the status number of the call (grpc).
	HTTPStatus int    `json:"http_status,omitempty"`
	GRPCStatus uint32 `json:"grpc_status"`
	Problem    string `json:"problem,omitempty"`
}

var (
	apiURL  = os.Getenv("CENTRIFUGO_API")
	apiKey  = os.Getenv("CENTRIFUGO_API_KEY")
	grpcAt  = os.Getenv("CENTRIFUGO_GRPC")
	wsURL   = os.Getenv("CENTRIFUGO_WS")
	secret  = os.Getenv("CENTRIFUGO_SECRET")
	printer = json.NewEncoder(os.Stdout)
)

// call is one server API request, written once for both protocols.
type call struct {
	scenario string
	method   string
	body     string
	grpc     func(ctx context.Context, client apiproto.CentrifugoApiClient) (*apiproto.Error, error)
}

var calls = []call{
	{"publish to an unknown namespace", "publish", `{"channel":"missing:news","data":{}}`,
		func(ctx context.Context, c apiproto.CentrifugoApiClient) (*apiproto.Error, error) {
			r, err := c.Publish(ctx, &apiproto.PublishRequest{Channel: "missing:news", Data: apiproto.Raw(`{}`)})
			return r.GetError(), err
		}},
	{"rpc with no such method", "rpc", `{"method":"no_such_method"}`,
		func(ctx context.Context, c apiproto.CentrifugoApiClient) (*apiproto.Error, error) {
			r, err := c.RPC(ctx, &apiproto.RPCRequest{Method: "no_such_method"})
			return r.GetError(), err
		}},
	{"publish without a channel", "publish", `{"channel":"","data":{}}`,
		func(ctx context.Context, c apiproto.CentrifugoApiClient) (*apiproto.Error, error) {
			r, err := c.Publish(ctx, &apiproto.PublishRequest{Channel: "", Data: apiproto.Raw(`{}`)})
			return r.GetError(), err
		}},
	{"presence where presence is off", "presence", `{"channel":"news"}`,
		func(ctx context.Context, c apiproto.CentrifugoApiClient) (*apiproto.Error, error) {
			r, err := c.Presence(ctx, &apiproto.PresenceRequest{Channel: "news"})
			return r.GetError(), err
		}},
	{"history from a position the stream lost", "history", `{"channel":"kept:feed","limit":10,"since":{"offset":5,"epoch":"gone"}}`,
		func(ctx context.Context, c apiproto.CentrifugoApiClient) (*apiproto.Error, error) {
			r, err := c.History(ctx, &apiproto.HistoryRequest{Channel: "kept:feed", Limit: 10, Since: &apiproto.StreamPosition{Offset: 5, Epoch: "gone"}})
			return r.GetError(), err
		}},
}

func viaHTTP(c call, mode string) observation {
	o := observation{Scenario: c.scenario, Protocol: "http", Mode: mode}
	request, _ := http.NewRequest(http.MethodPost, apiURL+"/"+c.method, bytes.NewBufferString(c.body))
	request.Header.Set("X-API-Key", apiKey)
	request.Header.Set("Content-Type", "application/json")
	if mode == "transport" {
		request.Header.Set("X-Centrifugo-Error-Mode", "transport")
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		o.Problem = err.Error()
		return o
	}
	defer response.Body.Close()
	text, _ := io.ReadAll(response.Body)
	o.HTTPStatus = response.StatusCode
	var answer struct {
		Code    uint32 `json:"code"`
		Message string `json:"message"`
		Error   *struct {
			Code    uint32 `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(text, &answer); err != nil {
		o.Problem = fmt.Sprintf("answer is not JSON: %q", text)
		return o
	}
	if mode == "transport" {
		o.Code, o.Message = answer.Code, answer.Message
	} else if answer.Error != nil {
		o.Code, o.Message = answer.Error.Code, answer.Error.Message
	} else {
		o.Problem = fmt.Sprintf("no error in the answer: %s", text)
	}
	return o
}

func viaGRPC(client apiproto.CentrifugoApiClient, c call, mode string) observation {
	o := observation{Scenario: c.scenario, Protocol: "grpc", Mode: mode}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "apikey "+apiKey)
	if mode == "transport" {
		ctx = metadata.AppendToOutgoingContext(ctx, "x-centrifugo-error-mode", "transport")
	}
	replyError, err := c.grpc(ctx, client)
	switch {
	case err != nil:
		s := status.Convert(err)
		o.GRPCStatus = uint32(s.Code())
		o.Message = s.Message()
		// The transport error carries the server API error as a detail.
		for _, detail := range s.Details() {
			if e, ok := detail.(*apiproto.Error); ok {
				o.Code = e.Code
				if e.Message != s.Message() {
					o.Problem = fmt.Sprintf("status message %q, detail message %q", s.Message(), e.Message)
				}
			}
		}
		if o.Code == 0 {
			o.Problem = "the status carries no server API error detail: " + err.Error()
		}
	case replyError != nil:
		o.Code, o.Message = replyError.Code, replyError.Message
	default:
		o.Problem = "the call succeeded"
	}
	return o
}

func serverAPI() error {
	conn, err := grpc.NewClient(grpcAt, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	client := apiproto.NewCentrifugoApiClient(conn)
	for _, mode := range []string{"default", "transport"} {
		for _, c := range calls {
			if err := printer.Encode(viaHTTP(c, mode)); err != nil {
				return err
			}
			if err := printer.Encode(viaGRPC(client, c, mode)); err != nil {
				return err
			}
		}
	}
	return nil
}

func token(user string) string {
	part := func(v any) string {
		data, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(data)
	}
	body := part(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." + part(map[string]any{"sub": user})
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return body + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// closedWith connects with tok, runs act once connected (when act is set) and returns the code
// of the first disconnect the client reports.
func closedWith(tok string, act func() error) (uint, error) {
	client := centrifuge.NewJsonClient(wsURL, centrifuge.Config{Token: tok})
	defer client.Close()
	connected := make(chan struct{}, 1)
	ended := make(chan uint, 1)
	client.OnConnected(func(centrifuge.ConnectedEvent) {
		select {
		case connected <- struct{}{}:
		default:
		}
	})
	client.OnConnecting(func(e centrifuge.ConnectingEvent) {
		if e.Code >= 3000 {
			select {
			case ended <- uint(e.Code):
			default:
			}
		}
	})
	client.OnDisconnected(func(e centrifuge.DisconnectedEvent) {
		select {
		case ended <- uint(e.Code):
		default:
		}
	})
	if err := client.Connect(); err != nil {
		return 0, err
	}
	if act != nil {
		select {
		case <-connected:
		case <-time.After(5 * time.Second):
			return 0, fmt.Errorf("not connected within 5 s")
		}
		if err := act(); err != nil {
			return 0, err
		}
	}
	select {
	case code := <-ended:
		return code, nil
	case <-time.After(5 * time.Second):
		return 0, fmt.Errorf("no disconnect within 5 s")
	}
}

func liveCheckTraffic() error {
	code, err := closedWith("not-a-jwt", nil)
	if err != nil {
		return fmt.Errorf("invalid token: %w", err)
	}
	fmt.Printf("{\"traffic\":\"invalid token\",\"code\":%d}\n", code)
	code, err = closedWith(token("live-check"), func() error {
		body := `{"user":"live-check","disconnect":{"code":4444,"reason":"custom reason"}}`
		request, _ := http.NewRequest(http.MethodPost, apiURL+"/disconnect", bytes.NewBufferString(body))
		request.Header.Set("X-API-Key", apiKey)
		response, err := http.DefaultClient.Do(request)
		if err != nil {
			return err
		}
		defer response.Body.Close()
		if response.StatusCode != http.StatusOK {
			return fmt.Errorf("disconnect answered %d", response.StatusCode)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("server API disconnect: %w", err)
	}
	fmt.Printf("{\"traffic\":\"server API disconnect\",\"code\":%d}\n", code)
	return nil
}

func main() {
	run := serverAPI
	if len(os.Args) > 1 && os.Args[1] == "livecheck" {
		run = liveCheckTraffic
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "serverapi:", err)
		os.Exit(1)
	}
}
