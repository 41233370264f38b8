package splitmix

import "testing"

// Reference values for the Java twin's generator.
func TestSplitmix64(t *testing.T) {
	s := Rand{}
	// First outputs of splitmix64 seeded with 0 (Vigna's reference implementation).
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for i, w := range want {
		if got := s.Next(); got != w {
			t.Fatalf("output %d = %#x, want %#x", i, got, w)
		}
	}
}
