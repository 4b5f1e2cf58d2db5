package demo

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// goDev is where the posts were published; links to the rest of the site
// point there.
const goDev = "https://go.dev"

// splitFrontMatter separates a post's YAML front matter from its Markdown and
// reports whether the front matter asks for template processing.
func splitFrontMatter(src string) (body string, template bool) {
	if !strings.HasPrefix(src, "---\n") {
		return src, false
	}
	head, body, ok := strings.Cut(src[4:], "\n---\n")
	if !ok {
		return src, false
	}
	for _, line := range strings.Split(head, "\n") {
		if strings.TrimSpace(line) == "template: true" {
			template = true
		}
	}
	return body, template
}

// expandActions replaces the go.dev site's template actions in a post with
// plain Markdown: the demo has neither the example files nor the images,
// and must not embed anything from other hosts.
func expandActions(src, slug string) string {
	var out strings.Builder
	for {
		i := strings.Index(src, "{{")
		if i < 0 {
			out.WriteString(src)
			return out.String()
		}
		args, n, ok := lexAction(src[i+2:])
		if !ok {
			// Not an action after all: keep the braces as text.
			out.WriteString(src[:i+2])
			src = src[i+2:]
			continue
		}
		out.WriteString(src[:i])
		out.WriteString(actionText(args, slug))
		src = src[i+2+n:]
	}
}

// token is one argument of an action; quoted strings are unquoted.
type token struct {
	text   string
	quoted bool
}

// lexAction reads the tokens of an action up to its closing braces and
// returns them with the number of bytes consumed.
func lexAction(s string) (args []token, n int, ok bool) {
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case strings.HasPrefix(s[i:], "}}"):
			return args, i + 2, len(args) > 0
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return nil, 0, false
			}
			args = append(args, token{s[i+1 : i+1+j], true})
			i += j + 2
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, 0, false
			}
			u, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, 0, false
			}
			args = append(args, token{u, true})
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\n' && !strings.HasPrefix(s[j:], "}}") {
				j++
			}
			args = append(args, token{s[i:j], false})
			i = j
		}
	}
	return nil, 0, false
}

func actionText(args []token, slug string) string {
	if args[0].quoted {
		return args[0].text // {{" < "}} prints its string
	}
	arg := func(i int) string {
		if i < len(args) {
			return args[i].text
		}
		return ""
	}
	original := goDev + "/blog/" + slug
	switch args[0].text {
	case "raw":
		return arg(1)
	case "code", "play":
		return "\n\n*(Code example `" + arg(1) + "`: see [the original post](" + original + ").)*\n\n"
	case "video":
		return "\n\n[Watch the video](" + videoPage(arg(1)) + ")\n\n"
	}
	return "" // image and anything else: nothing the demo can show
}

// videoPage turns an embed URL into the video's own page, a plain link.
func videoPage(u string) string {
	const embed = "https://www.youtube.com/embed/"
	if id, ok := strings.CutPrefix(u, embed); ok {
		id, _, _ = strings.Cut(id, "?")
		return "https://www.youtube.com/watch?v=" + id
	}
	return u
}

// markdown renders posts. Raw HTML in posts is left out (goldmark's safe
// default): it carries images from other hosts and inline styles that the
// demo's Content-Security-Policy forbids.
type markdown struct {
	md goldmark.Markdown
}

func newMarkdown(slugs map[string]bool) *markdown {
	md := goldmark.New(
		// GFM, with table alignment as align attributes: the default
		// style="text-align:..." is an inline style, which the CSP blocks.
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, extension.Linkify, extension.TaskList,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(&linkRewriter{slugs: slugs}, 100)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(noImages{}, 100)),
		),
	)
	return &markdown{md: md}
}

func (m *markdown) render(src string) (string, error) {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// linkRewriter keeps links between posts inside the demo and sends links to
// the rest of go.dev to go.dev.
type linkRewriter struct {
	slugs map[string]bool
}

func (r *linkRewriter) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if link, ok := n.(*ast.Link); ok && entering {
			link.Destination = []byte(r.rewrite(string(link.Destination)))
		}
		return ast.WalkContinue, nil
	})
}

func (r *linkRewriter) rewrite(dest string) string {
	path, frag, _ := strings.Cut(dest, "#")
	for _, prefix := range []string{goDev + "/blog/", "https://blog.golang.org/", "/blog/"} {
		if slug, ok := strings.CutPrefix(path, prefix); ok {
			slug = strings.TrimSuffix(strings.TrimSuffix(slug, "/"), ".article")
			if r.slugs[slug] {
				if frag != "" {
					return "/blog/" + slug + "#" + frag
				}
				return "/blog/" + slug
			}
		}
	}
	switch {
	case strings.HasPrefix(dest, "//"):
		return "https:" + dest
	case strings.HasPrefix(dest, "/"):
		return goDev + dest
	case strings.HasPrefix(dest, "#"), strings.Contains(dest, ":"):
		return dest
	}
	return goDev + "/blog/" + dest // relative to the post on go.dev
}

// noImages renders Markdown images as nothing: the image files are not part
// of the demo, and images from other hosts would be third-party requests.
type noImages struct{}

func (noImages) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkSkipChildren, nil
	})
}
