// Package alloc measures real Go's allocator and stack growth, the reference figures for golab's
// golab.workloads.heap.AllocBench and StackGrowthBench (same sizes, same kinds, same frame shapes).
//
// Run (README.md beside this file records the figures):
//
//	cd workloads/go/alloc && GOGC=off go test -run '^$' -bench . -benchtime=1s -count=5
//	cd workloads/go/alloc && go test -run '^$' -bench 'Alloc$|StackGrowth' -benchtime=1s -count=5
//	cd workloads/go/alloc && GOGC=off GODEBUG=adaptivestackstart=0 go test -run '^$' -bench StackGrowth -benchtime=1s -count=5
//
// GOGC=off is the comparison that matches golab today: golab has no garbage collector yet, so its heap
// only grows, and with GOGC=off neither does Go's collect during the timed loop. What remains is the
// allocation path itself — mallocgc's tiny/small/large paths, mcache refills from mcentral, fresh spans
// from mheap — on a heap that grows into fresh address space (Go does not touch a fresh span's memory
// before handing it out: it is known to be zero). The testing package calls runtime.GC() before each
// b.N run (explicit collections still happen with GOGC=off), so garbage from the previous run is freed
// and its pages are reused, already zeroed or not, by the next one. The default-GOGC run adds the
// collector: pacing, mark assists, sweeping, and reuse of cache-warm memory; it is the figure a real Go
// program sees.
package alloc

import (
	"fmt"
	"runtime"
	"testing"
)

// Package-level sinks: storing each new object here makes it escape, so make() must use the heap.
var (
	sinkBytes []byte
	sinkPtrs  []*byte
	sinkByte  byte
)

// The sizes of AllocBench's @Param size. 8 is below maxTinySize (16): pointer-free, it goes to the tiny
// allocator (two 8-byte objects per 16-byte block); with pointers it is a slot of size class 1 (8 B).
var sizes = []int{8, 16, 64, 512, 4096, 65536}

// BenchmarkAlloc: one heap object of `size` bytes per op.
//   - noscan:   make([]byte, size)        -> mallocgc(size, uint8, needzero): tiny (8), small noscan, large (64 KiB)
//   - pointers: make([]*byte, size/8)     -> mallocgc(size, *byte, needzero): every word a pointer, so the
//     span is a scan span and heapBitsSetType writes the heap bitmap for the object
func BenchmarkAlloc(b *testing.B) {
	for _, size := range sizes {
		size := size
		b.Run(fmt.Sprintf("size=%d/kind=noscan", size), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkBytes = make([]byte, size)
			}
		})
		b.Run(fmt.Sprintf("size=%d/kind=pointers", size), func(b *testing.B) {
			b.ReportAllocs()
			n := size / 8
			for i := 0; i < b.N; i++ {
				sinkPtrs = make([]*byte, n)
			}
		})
	}
}

// BenchmarkAllocResident is BenchmarkAlloc on memory that is already resident: every 64 MiB of
// allocation it stops the timer and calls runtime.GC(), which frees the garbage and sweeps every span,
// so the timed allocations reuse pages the process has touched before (with GOGC=off the scavenger
// never returns them to the OS). Run it with GOGC=off. It exists because on this VM a first touch of a
// page is very slow (microseconds): in BenchmarkAlloc, GOGC=off lets the heap grow into fresh memory
// and the figures are mostly the kernel's page faults (sys time), not mallocgc. Here the allocator pays
// what it pays for reused memory instead: spans come back from mcentral swept, and each object is
// zeroed (memclrNoHeapPointers) because a reused span has needzero set.
func BenchmarkAllocResident(b *testing.B) {
	for _, size := range sizes {
		size := size
		every := (64 << 20) / size
		b.Run(fmt.Sprintf("size=%d/kind=noscan", size), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if i%every == every-1 {
					b.StopTimer()
					runtime.GC()
					b.StartTimer()
				}
				sinkBytes = make([]byte, size)
			}
		})
		b.Run(fmt.Sprintf("size=%d/kind=pointers", size), func(b *testing.B) {
			n := size / 8
			for i := 0; i < b.N; i++ {
				if i%every == every-1 {
					b.StopTimer()
					runtime.GC()
					b.StartTimer()
				}
				sinkPtrs = make([]*byte, n)
			}
		})
	}
}

// frame4k is one 4 KiB frame: a local array that escape analysis keeps on the stack (check with
// `go test -gcflags=-m`: "a does not escape" is not printed for arrays, but no "moved to heap: a" is).
// The prologue zeroes it (the array is declared without an initialiser), as golab's Frames.push zeroes
// its slots. Sixteen of them nested need 64 KiB + a little: the stack grows 2→4→8→16→32→64→128 KiB, six
// copystacks, each copying the frames in use so far.
//
//go:noinline
func frame4k(depth int) byte {
	var a [4096]byte
	a[depth&4095] = byte(depth)
	if depth == 0 {
		return a[0]
	}
	return a[(depth*7)&4095] + frame4k(depth-1)
}

// frame0 is the same nesting without the array: the baseline (a goroutine's life, 16 calls, no growth).
//
//go:noinline
func frame0(depth int) byte {
	if depth == 0 {
		return 0
	}
	return byte(depth) + frame0(depth-1)
}

// BenchmarkStackGrowth: per op, a fresh goroutine runs 16 nested frames and sends its result back on an
// unbuffered channel (main is parked on the receive, so the send is a direct hand-off). A fresh goroutine
// starts on a stack of the starting size (2 KiB; see the note on adaptivestackstart in AllocBench's
// comment) — its previous life's grown stack was freed when it exited (gfput keeps only starting-size
// stacks) — so every op pays the growth again.
func BenchmarkStackGrowth(b *testing.B) {
	for _, bc := range []struct {
		name string
		f    func(int) byte
	}{{"frameBytes=0", frame0}, {"frameBytes=4096", frame4k}} {
		f := bc.f
		b.Run(bc.name, func(b *testing.B) {
			done := make(chan byte)
			for i := 0; i < b.N; i++ {
				go func() { done <- f(15) }()
				sinkByte += <-done
			}
		})
	}
}
