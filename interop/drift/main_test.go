package main

import (
	"testing"

	"github.com/centrifugal/centrifuge"
)

// The parsed values must equal the compiled ones for every name the package exports today.
func TestParsedValuesEqualTheCompiledPackage(t *testing.T) {
	report, err := read()
	if err != nil {
		t.Fatal(err)
	}
	errors := map[string]*centrifuge.Error{
		"ErrorInternal": centrifuge.ErrorInternal, "ErrorUnauthorized": centrifuge.ErrorUnauthorized,
		"ErrorUnknownChannel": centrifuge.ErrorUnknownChannel, "ErrorPermissionDenied": centrifuge.ErrorPermissionDenied,
		"ErrorMethodNotFound": centrifuge.ErrorMethodNotFound, "ErrorAlreadySubscribed": centrifuge.ErrorAlreadySubscribed,
		"ErrorLimitExceeded": centrifuge.ErrorLimitExceeded, "ErrorBadRequest": centrifuge.ErrorBadRequest,
		"ErrorNotAvailable": centrifuge.ErrorNotAvailable, "ErrorTokenExpired": centrifuge.ErrorTokenExpired,
		"ErrorExpired": centrifuge.ErrorExpired, "ErrorTooManyRequests": centrifuge.ErrorTooManyRequests,
		"ErrorUnrecoverablePosition": centrifuge.ErrorUnrecoverablePosition,
		"ErrorConcurrentPagination":  centrifuge.ErrorConcurrentPagination,
	}
	disconnects := map[string]centrifuge.Disconnect{
		"DisconnectConnectionClosed": centrifuge.DisconnectConnectionClosed, "DisconnectShutdown": centrifuge.DisconnectShutdown,
		"DisconnectServerError": centrifuge.DisconnectServerError, "DisconnectExpired": centrifuge.DisconnectExpired,
		"DisconnectSubExpired": centrifuge.DisconnectSubExpired, "DisconnectSlow": centrifuge.DisconnectSlow,
		"DisconnectWriteError": centrifuge.DisconnectWriteError, "DisconnectInsufficientState": centrifuge.DisconnectInsufficientState,
		"DisconnectForceReconnect": centrifuge.DisconnectForceReconnect, "DisconnectNoPong": centrifuge.DisconnectNoPong,
		"DisconnectTooManyRequests": centrifuge.DisconnectTooManyRequests, "DisconnectStateInvalidated": centrifuge.DisconnectStateInvalidated,
		"DisconnectInvalidToken": centrifuge.DisconnectInvalidToken, "DisconnectBadRequest": centrifuge.DisconnectBadRequest,
		"DisconnectStale": centrifuge.DisconnectStale, "DisconnectForceNoReconnect": centrifuge.DisconnectForceNoReconnect,
		"DisconnectConnectionLimit": centrifuge.DisconnectConnectionLimit, "DisconnectChannelLimit": centrifuge.DisconnectChannelLimit,
		"DisconnectInappropriateProtocol": centrifuge.DisconnectInappropriateProtocol, "DisconnectPermissionDenied": centrifuge.DisconnectPermissionDenied,
		"DisconnectNotAvailable": centrifuge.DisconnectNotAvailable, "DisconnectTooManyErrors": centrifuge.DisconnectTooManyErrors,
	}
	unsubscribes := map[string]uint32{
		"UnsubscribeCodeClient": centrifuge.UnsubscribeCodeClient, "UnsubscribeCodeDisconnect": centrifuge.UnsubscribeCodeDisconnect,
		"UnsubscribeCodeServer": centrifuge.UnsubscribeCodeServer, "UnsubscribeCodeInsufficient": centrifuge.UnsubscribeCodeInsufficient,
		"UnsubscribeCodeExpired": centrifuge.UnsubscribeCodeExpired, "UnsubscribeCodeStateInvalidated": centrifuge.UnsubscribeCodeStateInvalidated,
	}
	seen := map[string]bool{}
	for _, value := range report.Values {
		seen[value.Name] = true
		switch value.Kind {
		case "error":
			if compiled, ok := errors[value.Name]; ok && (compiled.Code != value.Code || compiled.Message != value.Message || compiled.Temporary != value.Temporary) {
				t.Errorf("%s parsed as %+v, compiled %+v", value.Name, value, *compiled)
			}
		case "disconnect":
			if compiled, ok := disconnects[value.Name]; ok && (compiled.Code != value.Code || compiled.Reason != value.Message) {
				t.Errorf("%s parsed as %+v, compiled %+v", value.Name, value, compiled)
			}
		case "unsubscribe":
			if compiled, ok := unsubscribes[value.Name]; ok && compiled != value.Code {
				t.Errorf("%s parsed as %d, compiled %d", value.Name, value.Code, compiled)
			}
		}
	}
	for _, names := range []map[string]bool{keys(errors), keys(disconnects), keys(unsubscribes)} {
		for name := range names {
			if !seen[name] {
				t.Errorf("the parser missed %s", name)
			}
		}
	}
}

func keys[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// The SDK's code table is read whole: every event constant the compiled package would use.
func TestSDKCodesAreRead(t *testing.T) {
	report, err := read()
	if err != nil {
		t.Fatal(err)
	}
	if report.SDK.Version == "" || len(report.SDK.Codes) < 16 {
		t.Fatalf("centrifuge-go codes.go read as %+v", report.SDK)
	}
	seen := map[string]bool{}
	for _, code := range report.SDK.Codes {
		seen[code.Constant] = true
	}
	for _, name := range []string{"connectingNoPing", "disconnectedDisconnectCalled", "disconnectBadProtocol", "disconnectedStateInvalidated", "unsubscribedStateInvalidated", "subscribingTransportClosed"} {
		if !seen[name] {
			t.Errorf("the parser missed %s", name)
		}
	}
}
