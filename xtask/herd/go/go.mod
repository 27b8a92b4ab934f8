module codebook.local/herd

go 1.22

require github.com/codebook/codebook/bindings/go v0.0.0

replace github.com/codebook/codebook/bindings/go => ../../../bindings/go
