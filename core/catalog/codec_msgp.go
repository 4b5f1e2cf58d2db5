//go:build !hearthlean

package catalog

// The catalogue codec of ordinary builds is the msgp-generated reference.
// Builds tagged hearthlean (the wasm engine) use the generated lean codec
// instead, see codec_lean.go; they leave out catalog_gen.go, whose import of
// the msgp runtime would cost every reader about 250 KB of brotli.

// unmarshalLimited decodes b within lim: prescan first, since the
// generated decoder trusts array headers. msgp copies what it reads
// whether or not the caller gives up b.
func unmarshalLimited(b []byte, lim Limits, _ bool) (*Catalogue, error) {
	l, err := prescan(b, lim)
	if err != nil {
		return nil, formatError(b, err)
	}
	var d document
	rest, err := d.UnmarshalMsg(b)
	switch {
	case err != nil:
		return nil, formatError(b, corrupt(err))
	case len(rest) != 0:
		return nil, formatError(b, trailing(len(rest)))
	}
	if err := l.decoded(&d); err != nil {
		return nil, err
	}
	return d.catalogue()
}

// marshalMsg appends the encoding of d to b.
func marshalMsg(d *document, b []byte) ([]byte, error) { return d.MarshalMsg(b) }
