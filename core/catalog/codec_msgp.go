//go:build !hearthlean

package catalog

// The catalogue encoder of ordinary builds is the msgp-generated
// reference. Builds tagged hearthlean (the wasm engine) use the generated
// lean codec instead, see codec_lean.go; they leave out catalog_gen.go,
// whose import of the msgp runtime would cost every reader about 250 KB of
// brotli. Both decode with the lean codec (decode).

// marshalMsg appends the encoding of d to b.
func marshalMsg(d *document, b []byte) ([]byte, error) { return d.MarshalMsg(b) }
