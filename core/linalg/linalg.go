// Package linalg holds the one dense linear solve Hearth needs: a Cholesky
// factorisation and its triangular solves, shared by the engine's on-device
// fold-in (core/rank) and the builder's ALS (build/collab), so both solve
// the same least-squares problem the same way.
package linalg

import "math"

// Cholesky factors the symmetric positive definite d×d matrix whose lower
// triangle is in a into L Lᵀ, in place (L in the lower triangle). It
// reports false when a is not positive definite.
func Cholesky(a []float64, d int) bool {
	for j := range d {
		rj := a[j*d : j*d+j+1]
		s := rj[j]
		for k := range j {
			s -= rj[k] * rj[k]
		}
		if !(s > 1e-12) || math.IsInf(s, 0) {
			return false
		}
		ljj := math.Sqrt(s)
		rj[j] = ljj
		for i := j + 1; i < d; i++ {
			ri := a[i*d : i*d+j+1]
			t := ri[j]
			for k := range j {
				t -= ri[k] * rj[k]
			}
			ri[j] = t / ljj
		}
	}
	return true
}

// Solve overwrites b with the solution of L Lᵀ x = b for the factor L in a, from [Cholesky].
func Solve(a []float64, d int, b []float64) {
	for i := range d {
		s := b[i]
		for k := range i {
			s -= a[i*d+k] * b[k]
		}
		b[i] = s / a[i*d+i]
	}
	for i := d - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < d; k++ {
			s -= a[k*d+i] * b[k]
		}
		b[i] = s / a[i*d+i]
	}
}
