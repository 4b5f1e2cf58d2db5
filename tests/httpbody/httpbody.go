// Package httpbody reads HTTP bodies for tests that compare what servers
// send: [Decode] undoes the Content-Encodings Hearth's files are sent in,
// and [Get] asks a handler for a file as Chromium does.
//
//	enc, body := httpbody.Get(t, handler, "/catalogue.msgpack")
package httpbody

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/require"
)

// Chromium is the Accept-Encoding Chromium sends.
const Chromium = "gzip, deflate, br, zstd"

// Decode returns body without the content encoding header names: none, gzip
// or br. Any other encoding, or a body that does not decode, fails the test.
func Decode(t testing.TB, header http.Header, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch enc := header.Get("Content-Encoding"); enc {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(r)
		require.NoError(t, err)
		r = zr
	case "br":
		r = brotli.NewReader(r)
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b
}

// Get sends h a GET of path with Chromium's Accept-Encoding, requires 200,
// and returns the Content-Encoding of the answer and its decoded body.
func Get(t testing.TB, h http.Handler, path string) (string, []byte) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Header.Set("Accept-Encoding", Chromium)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code)
	return w.Header().Get("Content-Encoding"), Decode(t, w.Header(), w.Body.Bytes())
}
