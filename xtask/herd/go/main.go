// Command herd is the herd simulation on the Go binding: `cargo xtask herd` runs it and compares
// it with the Rust and TypeScript runs. The algorithm is the same in xtask/src/herd.rs and
// xtask/herd/herd.mjs.
//
//	go run . '<scenario as JSON>'
//
// scenario: {"family", "code", "clients", "capacity_per_tick", "seed" (null: real randomness)}.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"time"

	"github.com/codebook-dev/codebook/bindings/go/codebook"
)

const tickMs = 100

type scenario struct {
	Family          string  `json:"family"`
	Code            uint16  `json:"code"`
	Clients         int     `json:"clients"`
	CapacityPerTick int     `json:"capacity_per_tick"`
	Seed            *uint32 `json:"seed"`
}

type result struct {
	ZeroDelays         int       `json:"zero_delays"`
	TerminalReconnects int       `json:"terminal_reconnects"`
	GaveUp             int       `json:"gave_up"`
	Stopped            int       `json:"stopped"`
	Arrivals           []int     `json:"arrivals"`
	FirstDelays        []float64 `json:"first_delays"`
	ReconnectedAt      []float64 `json:"reconnected_at"`
	ElapsedMs          float64   `json:"elapsed_ms"`
}

// classification is what the simulation needs of a family's answer for the code.
func classification(family string, code uint16) (codebook.BackoffHint, codebook.Behaviour, codebook.Action, error) {
	switch family {
	case "streaming-session":
		c := codebook.ClassifyStreamingSession(code)
		return c.Backoff, c.Behaviour, c.Action, nil
	case "centrifugo-disconnect":
		c := codebook.ClassifyCentrifugoDisconnect(code)
		return c.Backoff, c.Behaviour, c.Action, nil
	case "centrifugo-error":
		c := codebook.ClassifyCentrifugoError(code)
		return c.Backoff, c.Behaviour, c.Action, nil
	}
	return codebook.BackoffHint{}, 0, 0, fmt.Errorf("unknown family %q", family)
}

func simulate(s scenario) (result, error) {
	hint, behaviour, action, err := classification(s.Family, s.Code)
	if err != nil {
		return result{}, err
	}
	n := s.Clients
	res := result{Arrivals: []int{}, FirstDelays: make([]float64, n), ReconnectedAt: make([]float64, n)}
	for i := range n {
		res.FirstDelays[i], res.ReconnectedAt[i] = -1, -1
	}
	attempts := make([]uint32, n)
	var sources []*codebook.Mulberry32
	if s.Seed != nil {
		sources = make([]*codebook.Mulberry32, n)
		for i := range n {
			sources[i] = codebook.NewMulberry32(*s.Seed + uint32(i))
		}
	}
	var buckets [][]uint64
	closed := func(client int, now uint64, tick int) error {
		if !action.TriesAgain() {
			res.Stopped++
			return nil
		}
		if behaviour == codebook.BehaviourTerminal {
			res.TerminalReconnects++
		}
		var random uint32
		if sources == nil {
			random = codebook.RandomUint32()
		} else {
			random = sources[client].Uint32()
		}
		delay, ok := hint.DelayMs(attempts[client], now, random)
		if !ok {
			res.GaveUp++
			return nil
		}
		if delay == 0 {
			res.ZeroDelays++
		}
		if attempts[client] == 0 {
			res.FirstDelays[client] = float64(delay)
		}
		attempts[client]++
		at := now + uint64(delay)
		bucket := int(at / tickMs)
		if bucket <= tick {
			return fmt.Errorf("a retry after %d ms lands in the tick being processed", delay)
		}
		for len(buckets) <= bucket {
			buckets = append(buckets, nil)
		}
		buckets[bucket] = append(buckets[bucket], at<<20|uint64(client))
		return nil
	}
	for client := range n {
		if err := closed(client, 0, -1); err != nil {
			return res, err
		}
	}
	for tick := 0; tick < len(buckets); tick++ {
		keys := buckets[tick]
		res.Arrivals = append(res.Arrivals, len(keys))
		slices.Sort(keys)
		buckets[tick] = nil
		admitted := 0
		for _, key := range keys {
			at, client := key>>20, int(key&(1<<20-1))
			if s.CapacityPerTick == 0 || admitted < s.CapacityPerTick {
				admitted++
				res.ReconnectedAt[client] = float64(at)
			} else if err := closed(client, at, tick); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: herd '<scenario as JSON>'")
		os.Exit(2)
	}
	var s scenario
	if err := json.Unmarshal([]byte(os.Args[1]), &s); err != nil || s.Clients <= 0 || s.Clients >= 1<<20 {
		fmt.Fprintf(os.Stderr, "bad scenario %s: %v\n", os.Args[1], err)
		os.Exit(2)
	}
	started := time.Now()
	res, err := simulate(s)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res.ElapsedMs = math.Round(float64(time.Since(started).Microseconds())) / 1000
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
