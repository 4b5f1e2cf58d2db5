//go:build hearthlean

package bridge

// The message codec of builds tagged hearthlean (the wasm engine): the lean
// codec of wire.go, which accepts and produces the same bytes as the
// msgp-generated one without linking the msgp runtime. See codec_msgp.go.

func decodeRequest(r *Request, b []byte) ([]byte, error) { return readRequest(r, b) }

func encodeResponse(resp *Response) ([]byte, error) { return appendResponse(nil, resp), nil }
