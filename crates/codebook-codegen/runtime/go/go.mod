// Only so `gofmt -l`, `go vet` and `go build` read the runtime where it sits; the shipped module
// and its path are generated into bindings/go/codebook/go.mod.
module codebook.invalid/runtime

go 1.22
