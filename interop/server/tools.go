//go:build tools

// Package server pins the Centrifugo release the interop suite builds and runs.
package server

import _ "github.com/centrifugal/centrifugo/v6"
