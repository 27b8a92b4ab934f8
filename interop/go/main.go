// Command interop drives a running Centrifugo with the official centrifuge-go SDK and checks each
// code that arrives against the codebook Go binding: the binding must know the code, return its
// exact wire message, and its action must agree with what the SDK did (reconnected or not,
// resubscribed or not), observed from the SDK's own state events. It prints one JSON line per
// scenario; `cargo xtask test` (xtask/src/interop.rs) starts the server and prints the table.
//
// Environment: CENTRIFUGO_WS, CENTRIFUGO_API, CENTRIFUGO_API_KEY, CENTRIFUGO_SECRET.
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/centrifugal/centrifuge-go"
	"github.com/codebook-dev/codebook/bindings/go/codebook"
)

const sdk = "centrifuge-go v0.12.1"

var (
	wsURL  = os.Getenv("CENTRIFUGO_WS")
	apiURL = os.Getenv("CENTRIFUGO_API")
	apiKey = os.Getenv("CENTRIFUGO_API_KEY")
	secret = os.Getenv("CENTRIFUGO_SECRET")
)

// row is one checked observation.
type row struct {
	SDK      string   `json:"sdk"`
	Scenario string   `json:"scenario"`
	Arrived  string   `json:"arrived"`
	Codebook string   `json:"codebook"`
	SDKDid   string   `json:"sdk_did"`
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
}

var rows []row

// answer is what the binding says about a number in one family.
type answer struct {
	family  string
	known   bool
	name    string
	message string
	// varies and knownTexts describe a code whose text the SDK builds at run time.
	varies     string
	knownTexts []string
	// lookup is the family's Lookup<T>Message, as a number.
	lookup func(string) (uint16, bool)
	action codebook.Action
	label  string
}

// classify asks the Go binding; a number above 65535 is never a code (no wrapping to uint16).
func classify(family string, code uint32) (answer, bool) {
	if code > 0xFFFF {
		return answer{}, false
	}
	n := uint16(code)
	a := answer{family: family}
	switch family {
	case "centrifugo-disconnect":
		c := codebook.ClassifyCentrifugoDisconnect(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
	case "centrifugo-error":
		c := codebook.ClassifyCentrifugoError(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
	case "centrifugo-unsubscribe":
		c := codebook.ClassifyCentrifugoUnsubscribe(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
	case "centrifuge-sdk-disconnected":
		c := codebook.ClassifyCentrifugeSdkDisconnected(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
	case "centrifuge-sdk-connecting":
		c := codebook.ClassifyCentrifugeSdkConnecting(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
	case "centrifuge-sdk-unsubscribed":
		c := codebook.ClassifyCentrifugeSdkUnsubscribed(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
	case "centrifuge-sdk-subscribing":
		c := codebook.ClassifyCentrifugeSdkSubscribing(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
	case "centrifuge-js-error":
		c := codebook.ClassifyCentrifugeJsError(n)
		a.known, a.name, a.message, a.action, a.label = c.Known, c.Code.String(), c.Code.Message(), c.Action, c.Segment.Label
		a.varies, a.knownTexts = c.Code.MessageVaries(), c.Code.KnownMessages()
		a.lookup = func(text string) (uint16, bool) {
			found, ok := codebook.LookupCentrifugeJsErrorMessage(text)
			return uint16(found), ok
		}
	default:
		return answer{}, false
	}
	return a, true
}

// familyOf is the family whose codes an SDK event carries, as the binding's event helper decides
// it from the event's uint32 code.
func familyOf(event string, code uint32) string {
	helper := map[string]func(uint32) (codebook.SdkEventAnswer, bool){
		"connecting":   codebook.ClassifyConnectingEvent,
		"disconnected": codebook.ClassifyDisconnectedEvent,
		"subscribing":  codebook.ClassifySubscribingEvent,
		"unsubscribed": codebook.ClassifyUnsubscribedEvent,
	}[event]
	answer, ok := helper(code)
	if !ok {
		return "(no code)"
	}
	return answer.Family
}

type observation struct {
	event  string
	code   uint32
	reason string
}

type check struct {
	registered       bool
	reasonFromCaller bool
	differs          string
}

func record(scenario, via string, seen observation, sdkAgain bool, sdkDid string, c check) {
	family := familyOf(seen.event, seen.code)
	r := row{SDK: sdk, Scenario: scenario, Arrived: fmt.Sprintf("%s %d %q", via, seen.code, seen.reason), SDKDid: sdkDid, Problems: []string{}}
	a, ok := classify(family, seen.code)
	switch {
	case !ok:
		r.Problems = append(r.Problems, fmt.Sprintf("%d is not a code of %s", seen.code, family))
	case c.registered && !a.known:
		r.Problems = append(r.Problems, fmt.Sprintf("%d is not registered in %s", seen.code, family))
	case c.registered && !c.reasonFromCaller:
		r.Problems = append(r.Problems, textProblems(a, seen.code, seen.reason, nil, false)...)
	case !c.registered && a.known:
		r.Problems = append(r.Problems, fmt.Sprintf("%d was expected to be unregistered in %s", seen.code, family))
	}
	if ok {
		name := a.name
		if !a.known {
			name = "(" + a.label + ")"
		}
		r.Codebook = fmt.Sprintf("%s %s: %s", family, name, a.action)
		again := a.action.TriesAgain()
		if c.differs != "" {
			r.SDKDid += " [differs on purpose: " + c.differs + "]"
			if again == sdkAgain {
				r.Problems = append(r.Problems, "expected to differ from the SDK ("+c.differs+"), but both agree")
			}
		} else if again != sdkAgain {
			r.Problems = append(r.Problems, fmt.Sprintf("codebook says %s, the SDK %s", a.action, sdkDid))
		}
	}
	r.OK = len(r.Problems) == 0
	rows = append(rows, r)
}

func fail(scenario string, err error) {
	rows = append(rows, row{SDK: sdk, Scenario: scenario, Arrived: "-", Codebook: "-", SDKDid: "-", Problems: []string{err.Error()}})
}

func token(user string, claims map[string]any, key string) string {
	part := func(v any) string {
		data, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(data)
	}
	all := map[string]any{"sub": user}
	for k, v := range claims {
		all[k] = v
	}
	body := part(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." + part(all)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(body))
	return body + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func api(method string, params any) error {
	body, _ := json.Marshal(params)
	request, _ := http.NewRequest(http.MethodPost, apiURL+"/"+method, bytes.NewReader(body))
	request.Header.Set("X-API-Key", apiKey)
	request.Header.Set("Content-Type", "application/json")
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	text, _ := io.ReadAll(response.Body)
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("API %s: %d %s", method, response.StatusCode, text)
	}
	return nil
}

// watched is a client whose state events arrive on channels.
type watched struct {
	client    *centrifuge.Client
	connected chan struct{}
	ended     chan observation
}

func newClient(tok string) *watched {
	w := &watched{
		client:    centrifuge.NewJsonClient(wsURL, centrifuge.Config{Token: tok}),
		connected: make(chan struct{}, 8),
		ended:     make(chan observation, 8),
	}
	w.client.OnConnected(func(centrifuge.ConnectedEvent) { w.connected <- struct{}{} })
	w.client.OnConnecting(func(e centrifuge.ConnectingEvent) {
		if e.Code != 0 {
			w.ended <- observation{"connecting", e.Code, e.Reason}
		}
	})
	w.client.OnDisconnected(func(e centrifuge.DisconnectedEvent) {
		w.ended <- observation{"disconnected", e.Code, e.Reason}
	})
	return w
}

func (w *watched) waitConnected() error {
	select {
	case <-w.connected:
		return nil
	case seen := <-w.ended:
		return fmt.Errorf("not connected: %s %d %q", seen.event, seen.code, seen.reason)
	case <-time.After(8 * time.Second):
		return fmt.Errorf("not connected within 8 s")
	}
}

func (w *watched) waitEnded() (observation, error) {
	select {
	case seen := <-w.ended:
		return seen, nil
	case <-time.After(8 * time.Second):
		return observation{}, fmt.Errorf("the connection did not end within 8 s")
	}
}

func did(seen observation) (bool, string) {
	if seen.event == "connecting" {
		return true, "reconnected (connecting)"
	}
	return false, "stopped (disconnected)"
}

func connectFailure(scenario, tok string) error {
	w := newClient(tok)
	defer w.client.Close()
	if err := w.client.Connect(); err != nil {
		return err
	}
	seen, err := w.waitEnded()
	if err != nil {
		return err
	}
	again, what := did(seen)
	record(scenario, seen.event+" event", seen, again, what, check{registered: true})
	return nil
}

func serverDisconnect(scenario, user string, params map[string]any, c check) error {
	w := newClient(token(user, nil, secret))
	defer w.client.Close()
	if err := w.client.Connect(); err != nil {
		return err
	}
	if err := w.waitConnected(); err != nil {
		return err
	}
	params["user"] = user
	if err := api("disconnect", params); err != nil {
		return err
	}
	seen, err := w.waitEnded()
	if err != nil {
		return err
	}
	again, what := did(seen)
	record(scenario, "close frame", seen, again, what, c)
	return nil
}

func subscription(user, channel string, act func() error) (observation, error) {
	w := newClient(token(user, nil, secret))
	defer w.client.Close()
	if err := w.client.Connect(); err != nil {
		return observation{}, err
	}
	if err := w.waitConnected(); err != nil {
		return observation{}, err
	}
	sub, err := w.client.NewSubscription(channel)
	if err != nil {
		return observation{}, err
	}
	subscribed := make(chan struct{}, 1)
	ended := make(chan observation, 4)
	sub.OnSubscribed(func(centrifuge.SubscribedEvent) { subscribed <- struct{}{} })
	sub.OnSubscribing(func(e centrifuge.SubscribingEvent) {
		if e.Code != 0 {
			ended <- observation{"subscribing", e.Code, e.Reason}
		}
	})
	sub.OnUnsubscribed(func(e centrifuge.UnsubscribedEvent) { ended <- observation{"unsubscribed", e.Code, e.Reason} })
	if err := sub.Subscribe(); err != nil {
		return observation{}, err
	}
	if act != nil {
		select {
		case <-subscribed:
		case <-time.After(8 * time.Second):
			return observation{}, fmt.Errorf("not subscribed to %s", channel)
		}
		if err := act(); err != nil {
			return observation{}, err
		}
	}
	select {
	case seen := <-ended:
		return seen, nil
	case <-subscribed:
		return observation{}, fmt.Errorf("subscribed to %s", channel)
	case <-time.After(8 * time.Second):
		return observation{}, fmt.Errorf("the subscription to %s did not end within 8 s", channel)
	}
}

func subscriptionRow(scenario, via string, seen observation) {
	again, what := seen.event == "subscribing", "stopped (unsubscribed)"
	if again {
		what = "resubscribes (subscribing)"
	}
	record(scenario, via, seen, again, what, check{registered: true})
}

// observed is what another runner saw (one JSON line on stdin in `check` mode).
type observed struct {
	Scenario string `json:"scenario"`
	Observed *struct {
		Family           string `json:"family"`
		Code             uint32 `json:"code"`
		Reason           string `json:"reason"`
		Registered       bool   `json:"registered"`
		ReasonFromCaller bool   `json:"reason_from_caller"`
		SDKAgain         bool   `json:"sdk_again"`
		Differs          bool   `json:"differs"`
		// ExpectedText is what a text built at run time must be (nil: not known in advance);
		// KnownText says it must be one the code lists.
		ExpectedText *string `json:"expected_text"`
		KnownText    bool    `json:"known_text"`
	} `json:"observed"`
}

// textProblems checks the text that arrived with a registered code: the exact fixed message, or
// for a code whose text the SDK builds at run time, the expected or a known text, which the
// family's lookup by message must lead back to the code.
func textProblems(a answer, code uint32, reason string, expected *string, mustBeKnown bool) []string {
	if a.varies == "" {
		if a.message != reason {
			return []string{fmt.Sprintf("Go binding says %q, wire said %q", a.message, reason)}
		}
		return nil
	}
	var problems []string
	if a.message != "" {
		problems = append(problems, fmt.Sprintf("Message() of a varying code is %q, want \"\"", a.message))
	}
	if expected != nil && *expected != reason {
		problems = append(problems, fmt.Sprintf("the SDK sent %q, expected %q", reason, *expected))
	}
	known := slices.Contains(a.knownTexts, reason)
	if mustBeKnown && !known {
		problems = append(problems, fmt.Sprintf("%q is not a known message of %s", reason, a.name))
	}
	if known && a.lookup != nil {
		if found, ok := a.lookup(reason); !ok || uint32(found) != code {
			problems = append(problems, fmt.Sprintf("the lookup of %q finds %d, want %d", reason, found, code))
		}
	}
	return problems
}

// crossCheck answers, with the Go binding, what the centrifuge-js runner saw: one verdict line per
// observation (same scenario name), so every arrived code is checked by both bindings.
func crossCheck() {
	decoder := json.NewDecoder(os.Stdin)
	encoder := json.NewEncoder(os.Stdout)
	for decoder.More() {
		var o observed
		if err := decoder.Decode(&o); err != nil {
			fmt.Fprintln(os.Stderr, "check:", err)
			os.Exit(1)
		}
		if o.Observed == nil {
			continue
		}
		seen := o.Observed
		verdict := row{SDK: "Go binding", Scenario: o.Scenario, Problems: []string{}}
		a, ok := classify(seen.Family, seen.Code)
		switch {
		case !ok:
			verdict.Problems = append(verdict.Problems, fmt.Sprintf("%d is not a code of %s", seen.Code, seen.Family))
		case seen.Registered && !a.known:
			verdict.Problems = append(verdict.Problems, fmt.Sprintf("%d is not registered in %s", seen.Code, seen.Family))
		case seen.Registered && !seen.ReasonFromCaller:
			verdict.Problems = append(verdict.Problems, textProblems(a, seen.Code, seen.Reason, seen.ExpectedText, seen.KnownText)...)
		case !seen.Registered && a.known:
			verdict.Problems = append(verdict.Problems, fmt.Sprintf("%d was expected to be unregistered in %s", seen.Code, seen.Family))
		}
		if ok && (a.action.TriesAgain() == seen.SDKAgain) == seen.Differs {
			verdict.Problems = append(verdict.Problems, fmt.Sprintf("Go binding says %s, which %s the SDK", a.action, map[bool]string{true: "agrees with", false: "disagrees with"}[seen.Differs]))
		}
		verdict.Codebook = fmt.Sprintf("%s: %s", seen.Family, a.action)
		verdict.OK = len(verdict.Problems) == 0
		_ = encoder.Encode(verdict)
	}
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "check" {
		crossCheck()
		return
	}
	scenarios := []struct {
		name string
		run  func(name string) error
	}{
		{"invalid token", func(name string) error { return connectFailure(name, "not-a-jwt") }},
		{"token signed with another key", func(name string) error {
			return connectFailure(name, token("go-mallory", nil, "another-key"))
		}},
		{"second connection over the per-user limit", func(name string) error {
			holder := newClient(token("go-limited", nil, secret))
			defer holder.client.Close()
			if err := holder.client.Connect(); err != nil {
				return err
			}
			if err := holder.waitConnected(); err != nil {
				return err
			}
			return connectFailure(name, token("go-limited", nil, secret))
		}},
		{"API disconnect 3011, empty reason", func(name string) error {
			return serverDisconnect(name, "go-3011", map[string]any{"disconnect": map[string]any{"code": 3011, "reason": ""}}, check{registered: true, reasonFromCaller: true})
		}},
		{"API disconnect 4500, empty reason", func(name string) error {
			// centrifuge-go applies the range rule whatever the reason: it agrees with codebook here.
			return serverDisconnect(name, "go-4500", map[string]any{"disconnect": map[string]any{"code": 4500, "reason": ""}}, check{})
		}},
		{"subscribe to an unknown namespace", func(name string) error {
			seen, err := subscription("go-subscriber", "nowhere:news", nil)
			if err != nil {
				return err
			}
			subscriptionRow(name, "error reply", seen)
			return nil
		}},
		{"server API unsubscribe", func(name string) error {
			seen, err := subscription("go-evicted", "go-room", func() error {
				return api("unsubscribe", map[string]any{"user": "go-evicted", "channel": "go-room"})
			})
			if err != nil {
				return err
			}
			subscriptionRow(name, "Unsubscribe push", seen)
			return nil
		}},
	}
	for _, scenario := range scenarios {
		if err := scenario.run(scenario.name); err != nil {
			fail(scenario.name, err)
		}
	}
	encoder := json.NewEncoder(os.Stdout)
	for _, r := range rows {
		_ = encoder.Encode(r)
	}
}
