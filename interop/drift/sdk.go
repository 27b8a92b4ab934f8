package main

// Keeps centrifuge-go in go.mod: the drift check reads its source (codes.go) from the module cache.
import _ "github.com/centrifugal/centrifuge-go"
