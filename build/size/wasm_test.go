package size

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPackageOf(t *testing.T) {
	tests := map[string]string{
		"runtime.mallocgc":                                      "runtime",
		"internal_strconv.formatBits":                           "internal_strconv",
		"github.com_hearth_dev_hearth_core_wire.__Reader_.lead": "github.com_hearth_dev_hearth_core_wire",
		"slices.pdqsortCmpFunc_go.shape.struct___Topic_string":  "slices",
		"golang.org_x_text_unicode_norm.Form.String":            "golang.org_x_text_unicode_norm",
		"":                "?",
		"wasm_export_run": "wasm_export_run",
	}
	for in, want := range tests {
		require.Equal(t, want, packageOf(in), in)
	}
}

func TestPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm binary")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(src, []byte("package main\n\nimport \"strconv\"\n\nfunc main() { println(strconv.Quote(\"x\")) }\n"), 0o644))
	out := filepath.Join(dir, "x.wasm")
	cmd := exec.Command("go", "build", "-o", out, src)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	wasm, err := os.ReadFile(out)
	require.NoError(t, err)

	pkgs, err := Packages(wasm)
	require.NoError(t, err)
	require.Equal(t, "runtime", pkgs[0].Name, "the runtime is the largest")
	names := map[string]int{}
	total := 0
	for _, p := range pkgs {
		names[p.Name] = p.Bytes
		total += p.Bytes
		require.Positive(t, p.Funcs)
	}
	require.Contains(t, names, "strconv")
	require.Contains(t, names, "main")
	require.Less(t, total, len(wasm))
	require.Greater(t, total, len(wasm)/3, "code is most of a Go wasm binary")

	stripped := filepath.Join(dir, "s.wasm")
	cmd = exec.Command("go", "build", "-ldflags=-s -w", "-o", stripped, src)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	b, err = cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	wasm, err = os.ReadFile(stripped)
	require.NoError(t, err)
	_, err = Packages(wasm)
	require.ErrorIs(t, err, ErrWasm, "no names without the name section")

	_, err = Packages([]byte("not wasm"))
	require.ErrorIs(t, err, ErrWasm)
	_, err = Packages(append([]byte("\x00asm\x01\x00\x00\x00\x0a\xff"), 1))
	require.ErrorIs(t, err, ErrWasm, "a truncated section")
}
