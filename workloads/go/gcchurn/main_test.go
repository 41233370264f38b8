package main

import (
	"math"
	"runtime/metrics"
	"testing"
	"unsafe"

	"golab/internal/splitmix"
)

// The Java twin copies this layout, so it is pinned here.
func TestNodeLayout(t *testing.T) {
	var n node
	if got := unsafe.Sizeof(n); got != 64 {
		t.Fatalf("node is %d bytes, want 64", got)
	}
	if unsafe.Offsetof(n.left) != 0 || unsafe.Offsetof(n.right) != 8 || unsafe.Offsetof(n.key) != 16 {
		t.Fatalf("pointer words must be at offsets 0 and 8, scalars from 16")
	}
}

// The spans of the mutators cover the table exactly once, in whole groups.
func TestSpans(t *testing.T) {
	for _, n := range []int{8, 9, 100, 1001} {
		for m := 1; m <= 3; m++ {
			next := 0
			for _, s := range spans(n, m) {
				if s.lo != next || s.lo%groupSize != 0 {
					t.Fatalf("n=%d m=%d: span %v does not start at %d on a group boundary", n, m, s, next)
				}
				next = s.hi
			}
			if next != n {
				t.Fatalf("n=%d m=%d: spans end at %d", n, m, next)
			}
		}
	}
}

// After any number of replacements every link points at the node now in the linked slot, so the
// nodes reachable from the table are exactly the n in it: replaced nodes are all garbage.
func TestReplaceKeepsLiveHeapExact(t *testing.T) {
	const n = 1003 // a short last group
	tb := make([]*node, n)
	build(tb)
	check := func() {
		t.Helper()
		inTable := map[*node]bool{}
		for _, nd := range tb {
			inTable[nd] = true
		}
		for k, nd := range tb {
			if nd.key != int64(k) {
				t.Fatalf("slot %d holds key %d", k, nd.key)
			}
			b := k &^ (groupSize - 1)
			end := b + groupSize
			if end > n {
				end = n
			}
			var wantL, wantR *node
			if l := b + 2*(k-b) + 1; l < end {
				wantL = tb[l]
				if l+1 < end {
					wantR = tb[l+1]
				}
			}
			if nd.left != wantL || nd.right != wantR {
				t.Fatalf("slot %d: links do not point at the current children", k)
			}
			for _, c := range []*node{nd.left, nd.right} {
				if c != nil && !inTable[c] {
					t.Fatalf("slot %d links to a replaced node", k)
				}
			}
		}
	}
	check()
	rng := splitmix.Rand{State: mutatorSeed(1, 0)}
	for i := 0; i < 20000; i++ {
		replace(tb, rng.Below(n), int64(i))
	}
	check()
}

func TestHistDist(t *testing.T) {
	inf := math.Inf(1)
	before := &metrics.Float64Histogram{Counts: []uint64{0, 5, 0, 0}, Buckets: []float64{math.Inf(-1), 0.001, 0.002, 0.004, inf}}
	after := &metrics.Float64Histogram{Counts: []uint64{0, 5 + 98, 1, 1}, Buckets: before.Buckets}
	d := histDist(before, after, "")
	// 100 new values: 98 in [1, 2) ms, 1 in [2, 4) ms, 1 in [4 ms, +Inf).
	if d.Count != 100 || d.P50Ms != 2 || d.P99Ms != 4 || d.MaxMs != 4 {
		t.Fatalf("got %+v", d)
	}
}

func TestDistOfMs(t *testing.T) {
	v := make([]float64, 200)
	for i := range v {
		v[i] = float64(200 - i)
	}
	d := distOfMs(v, "")
	if d.Count != 200 || d.P50Ms != 100 || d.P99Ms != 198 || d.MaxMs != 200 {
		t.Fatalf("got %+v", d)
	}
}

func TestParseGCTrace(t *testing.T) {
	l := "gc 8 @3.589s 19%: 0.19+274+0.12 ms clock, 0.39+134/133/0+0.24 ms cpu, 147->168->85 MB, 172 MB goal, 0 MB stacks, 0 MB globals, 2 P"
	g, ok := parseGCTrace(l)
	if !ok || g.N != 8 || g.SweepTermMs != 0.19 || g.MarkMs != 274 || g.MarkTermMs != 0.12 ||
		g.SweepTermCPU != 0.39 || g.Assist != 134 || g.BG != 133 || g.Idle != 0 || g.MarkTC != 0.24 || g.Forced {
		t.Fatalf("got %+v, %v", g, ok)
	}
	if g, ok := parseGCTrace("gc 1 @0.010s 2%: 0.010+1.2+0.005 ms clock, 0.020+0/1.1/0.50+0.010 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)"); !ok || !g.Forced {
		t.Fatalf("forced line: %+v, %v", g, ok)
	}
}
