package eval

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
)

// Marker shapes of the plot.
type Marker int

// Markers.
const (
	Circle Marker = iota
	Square
	Triangle
	Diamond
	Cross
)

// Series is one curve or point set of the trade-off plot.
type Series struct {
	Name   string
	Color  color.RGBA
	Marker Marker
	Line   bool // join the points in order
	Points []SweepPoint
	Labels []string // optional label per point
}

// Plot draws nDCG@10 against intra-list diversity as a PNG, with xLabel
// under the diversity axis.
func Plot(w io.Writer, title, xLabel string, series []Series) error {
	const (
		width, height = 1200, 700
		left, right   = 100, 400
		top, bottom   = 60, 90
		scale         = 2
	)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	fill(img, 0, 0, width, height, color.White)
	black := color.RGBA{0, 0, 0, 255}
	grey := color.RGBA{225, 225, 225, 255}

	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, p := range s.Points {
			xlo, xhi = min(xlo, p.ILD), max(xhi, p.ILD)
			ylo, yhi = min(ylo, p.NDCG), max(yhi, p.NDCG)
		}
	}
	if math.IsInf(xlo, 0) {
		return fmt.Errorf("plot: no points")
	}
	xstep, ystep := niceStep(xhi-xlo), niceStep(yhi-ylo)
	xlo, xhi = math.Floor(xlo/xstep)*xstep, math.Ceil(xhi/xstep)*xstep
	ylo, yhi = math.Floor(ylo/ystep)*ystep, math.Ceil(yhi/ystep)*ystep
	if xhi == xlo {
		xhi += xstep
	}
	if yhi == ylo {
		yhi += ystep
	}
	pw, ph := width-left-right, height-top-bottom
	px := func(x float64) int { return left + int(math.Round((x-xlo)/(xhi-xlo)*float64(pw))) }
	py := func(y float64) int { return top + ph - int(math.Round((y-ylo)/(yhi-ylo)*float64(ph))) }

	for x := xlo; x <= xhi+xstep/2; x += xstep {
		fill(img, px(x), top, 1, ph, grey)
		l := tick(x, xstep)
		drawText(img, px(x)-textWidth(l, scale)/2, top+ph+10, l, scale, black)
	}
	for y := ylo; y <= yhi+ystep/2; y += ystep {
		fill(img, left, py(y), pw, 1, grey)
		l := tick(y, ystep)
		drawText(img, left-12-textWidth(l, scale), py(y)-7, l, scale, black)
	}
	fill(img, left, top, 2, ph+1, black)
	fill(img, left, top+ph, pw+1, 2, black)
	drawText(img, left+pw/2-textWidth(xLabel, scale)/2, height-40, xLabel, scale, black)
	yl := "nDCG@10"
	drawTextUp(img, 22, top+ph/2+textWidth(yl, scale)/2, yl, scale, black)
	drawText(img, left, 20, title, scale, black)

	for _, s := range series {
		for k, p := range s.Points {
			if s.Line && k > 0 {
				q := s.Points[k-1]
				line(img, px(q.ILD), py(q.NDCG), px(p.ILD), py(p.NDCG), s.Color)
			}
		}
		for k, p := range s.Points {
			marker(img, px(p.ILD), py(p.NDCG), s.Marker, s.Color)
			if k < len(s.Labels) && s.Labels[k] != "" {
				drawText(img, px(p.ILD)+10, py(p.NDCG)-22, s.Labels[k], scale, s.Color)
			}
		}
	}

	lx, ly := width-right+25, top+10
	for _, s := range series {
		if s.Line {
			line(img, lx, ly+7, lx+30, ly+7, s.Color)
		}
		marker(img, lx+15, ly+7, s.Marker, s.Color)
		drawText(img, lx+40, ly, s.Name, scale, black)
		ly += 30
	}
	return png.Encode(w, img)
}

// niceStep is a tick step of 1, 2 or 5 times a power of ten giving about
// five ticks over span.
func niceStep(span float64) float64 {
	if span <= 0 {
		return 0.01
	}
	raw := span / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func tick(v, step float64) string {
	digits := max(0, int(-math.Floor(math.Log10(step))))
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// line draws a 3-pixel-wide segment.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		fill(img, x0-1, y0-1, 3, 3, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func marker(img *image.RGBA, x, y int, m Marker, c color.Color) {
	const r = 7
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			var on bool
			switch m {
			case Circle:
				on = dx*dx+dy*dy <= r*r
			case Square:
				on = abs(dx) <= r-1 && abs(dy) <= r-1
			case Triangle:
				on = dy >= -r && dy <= r-2 && 2*abs(dx) <= dy+r
			case Diamond:
				on = abs(dx)+abs(dy) <= r
			case Cross:
				on = abs(dx-dy) <= 2 || abs(dx+dy) <= 2
			}
			if on {
				img.Set(x+dx, y+dy, c)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
