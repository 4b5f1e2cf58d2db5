package text

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAnalyzer_Tokens(t *testing.T) {
	tests := []struct {
		name, lang, in string
		want           []string
	}{
		{"english stems and drops stop words", "en", "The generics are released", []string{"generic", "releas"}},
		{"zero language is english", "", "Testing concurrent code", []string{"test", "concurr", "code"}},
		{"possessive and contraction", "en-US", "Go's compiler doesn't panic", []string{"go", "compil", "panic"}},
		{"numbers and hashes dropped, versions kept", "en", "Go 1.22 on arm64 and x86, commit 13326b42c2a1 v2", []string{"go", "arm64", "x86", "commit", "v2"}},
		{"punctuation splits words", "en", "encoding/json-v2: faster!", []string{"encod", "json", "v2", "faster"}},
		{"french", "fr", "Les développeurs aiment les générateurs", []string{"développeur", "aiment", "géner"}},
		{"german has stop words but no stemmer", "de", "Die Entwickler und der Server", []string{"entwickler", "server"}},
		{"unknown language keeps plain lowercase words", "xx", "Hello Worlds", []string{"hello", "worlds"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, NewAnalyzer(tt.lang).Tokens(tt.in))
		})
	}
}

func TestNewAnalyzer_Language(t *testing.T) {
	for in, want := range map[string]string{
		"": "en", "en": "en", "en-GB": "en", "pt_BR": "pt", "french": "fr", "Spanish": "es", "german": "de", "nb-NO": "nb",
	} {
		require.Equal(t, want, NewAnalyzer(in).Language(), in)
	}
	require.True(t, NewAnalyzer("fr").Stems())
	require.False(t, NewAnalyzer("de").Stems())
}

func TestAnalyzer_Analyze(t *testing.T) {
	var words, stems []string
	NewAnalyzer("en").Analyze("Released generics", func(w, s string) {
		words = append(words, w)
		stems = append(stems, s)
	})
	require.Equal(t, []string{"released", "generics"}, words)
	require.Equal(t, []string{"releas", "generic"}, stems)
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ want, in string }{
		{"en", "The Go team is happy to announce the release of the new version, which is available for download from the website and brings many improvements to the tools that you use every day in your work."},
		{"de", "Die nun verfügbare Version 10 des Enterprise-Java-Servers stellt die Basis für die kommerzielle Plattform dar, die zugleich mit einer Reihe von Neuerungen aufwartet und auf der Konferenz vorgestellt wurde."},
		{"pt", "O presidente do partido disse que a proposta não tem apoio no congresso e que a votação vai ficar para depois das eleições, segundo a pesquisa divulgada nesta segunda-feira pelo instituto."},
		{"fr", "Le gouvernement a annoncé que la réforme sera présentée au parlement dans les prochaines semaines et que les syndicats seront consultés avant le vote, selon un communiqué publié par le ministère."},
		{"", "too short to tell"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, DetectLanguage(tt.in))
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "  a   b\n c ", "a b c"},
		{"entities", "Tom &amp; Jerry &lt;3", "Tom & Jerry <3"},
		{"tags", "<p>Hello <b>world</b></p><p>again</p>", "Hello world again"},
		{"script and style dropped", "a<script>alert(1)</script><style>p{}</style>b", "a b"},
		{"br separates words", "one<br>two", "one two"},
		{"nbsp", "a\u00a0b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, PlainText(tt.in))
		})
	}
}

func TestTruncate(t *testing.T) {
	require.Equal(t, "short", Truncate("short", 10))
	got := Truncate("the quick brown fox jumps over the lazy dog", 20)
	require.Equal(t, "the quick brown fox…", got)
	require.LessOrEqual(t, len([]rune(got)), 20)
	require.Equal(t, "ääääääääää…", Truncate("ääääääääääääääääääää", 11))
}
