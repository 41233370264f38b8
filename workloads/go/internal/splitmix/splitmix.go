// Package splitmix is the random generator of golab's Go twins and their Java counterparts:
// splitmix64, one word of state, cheap to seed anew and easy to reproduce on the JVM
// (Math.unsignedMultiplyHigh gives Below's multiply-shift).
package splitmix

import "math/bits"

// Rand is a splitmix64 generator; its zero value is seeded with 0.
type Rand struct{ State uint64 }

// Next returns the next 64 random bits.
func (s *Rand) Next() uint64 {
	s.State += 0x9e3779b97f4a7c15
	z := s.State
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Below returns a uniform integer in [0, n) (Lemire's multiply-shift, without the rejection step:
// the bias is at most n/2^64).
func (s *Rand) Below(n int) int {
	hi, _ := bits.Mul64(s.Next(), uint64(n))
	return int(hi)
}
