package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestNewServer: a client can hold a connection neither by sending its
// headers slowly nor by leaving a kept-alive connection idle.
func TestNewServer(t *testing.T) {
	h := http.NotFoundHandler()
	srv := newServer(h)
	require.NotNil(t, srv.Handler)
	require.Equal(t, 10*time.Second, srv.ReadHeaderTimeout)
	require.Equal(t, idleTimeout, srv.IdleTimeout)
	require.Positive(t, srv.IdleTimeout, "zero would fall back to ReadTimeout, which is zero: no limit")
}
