package codebook

// adapters maps a family id to its adapter. In the bindings this file is generated, one adapter
// per family of the registry; here, where no registry is compiled in, the map is empty so that
// `go vet` can type-check vectors_test.go.
var adapters = map[string]adapter{}

// sdkEventHelpers maps an SDK event to its generated helper (empty here, like adapters).
var sdkEventHelpers = map[string]func(uint32) (SdkEventAnswer, bool){}
