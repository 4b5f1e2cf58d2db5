package main

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	small := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(small, "hearth.js"), []byte("console.log('hearth')"), 0o644))
	big := t.TempDir()
	// 20 KB of incompressible bytes break the loader's 10 KB budget.
	noise := make([]byte, 20<<10)
	rand.Read(noise)
	require.NoError(t, os.WriteFile(filepath.Join(big, "hearth.js"), noise, 0o644))

	tests := []struct {
		name string
		dir  string
		want int
		out  string
	}{
		{"within budget", small, 0, "loader (hearth.js)"},
		{"over budget", big, 1, "OVER by"},
		{"empty", t.TempDir(), 2, ""},
		{"missing", filepath.Join(small, "nope"), 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			require.Equal(t, tt.want, run(tt.dir, &stdout, &stderr), stderr.String())
			require.Contains(t, stdout.String(), tt.out)
		})
	}
}

func TestRunPackages(t *testing.T) {
	var stdout, stderr strings.Builder
	bad := filepath.Join(t.TempDir(), "x.wasm")
	require.NoError(t, os.WriteFile(bad, []byte("\x00asm\x01\x00\x00\x00"), 0o644))
	require.Equal(t, 2, runPackages(bad, 10, &stdout, &stderr))
	require.Contains(t, stderr.String(), "without -ldflags=-s")
	require.Equal(t, 2, runPackages(filepath.Join(t.TempDir(), "missing.wasm"), 10, &stdout, &stderr))
}
