module codebook.local/herd

go 1.22

require github.com/codebook-dev/codebook/bindings/go/codebook v0.0.0

replace github.com/codebook-dev/codebook/bindings/go/codebook => ../../../bindings/go/codebook
