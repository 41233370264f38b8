// Command memlimit is the Go twin of golab's GcBehaviourTest.gogcOffWithAMemoryLimitKeepsTheHeapNearTheLimit:
// with GOGC=off and a memory limit, the limit alone triggers collections, and the heap should stay near it.
//
// The program, as the test does it: a table of -live 64-byte nodes (two pointers, six int64 scalars) reachable
// from a global, optionally one forced collection (-forced, the test's Go.gc()), then -rounds rounds of
// -garbage nodes dropped at once, reading the heap's object bytes after every round. It prints the peak of those
// reads and the collections the limit triggered. GODEBUG=gctrace=1 prints each cycle; GODEBUG=gcpacertrace=1
// prints the pacer's expected scan work, which in a cycle without history is the runtime's own globals.
//
// Usage:
//
//	memlimit -limit 24MiB -live 80000 -forced=false
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"golab/internal/bytesize"
)

type node struct {
	left, right *node
	key         int64
	pad         [5]int64
}

var (
	table []*node
	sink  *node
)

func main() {
	limitFlag := flag.String("limit", "24MiB", "GOMEMLIMIT (GOGC is off)")
	live := flag.Int("live", 80000, "nodes in the live table")
	rounds := flag.Int("rounds", 1000, "rounds of garbage")
	garbage := flag.Int("garbage", 2000, "nodes allocated and dropped per round")
	forced := flag.Bool("forced", true, "run one forced collection once the table is built")
	flag.Parse()
	limit, err := bytesize.Parse(*limitFlag)
	if err != nil || limit < 1 {
		fmt.Fprintf(os.Stderr, "memlimit: -limit %q: want a positive byte size such as 24MiB\n", *limitFlag)
		os.Exit(2)
	}
	if *live < 0 || *rounds < 1 || *garbage < 1 {
		fmt.Fprintf(os.Stderr, "memlimit: -live %d, -rounds %d, -garbage %d: -live must be >= 0, the others >= 1\n",
			*live, *rounds, *garbage)
		os.Exit(2)
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(int64(limit))

	table = make([]*node, *live)
	for i := range table {
		table[i] = &node{key: int64(i)}
	}
	if *forced {
		runtime.GC()
	}
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(samples)
	before := samples[1].Value.Uint64()
	var peak uint64
	for r := 0; r < *rounds; r++ {
		for i := 0; i < *garbage; i++ {
			sink = &node{key: int64(i)}
		}
		metrics.Read(samples)
		if v := samples[0].Value.Uint64(); v > peak {
			peak = v
		}
	}
	metrics.Read(samples)
	fmt.Printf("peak %.1f MiB, %d cycles triggered by the limit, limit %d MiB, GOMAXPROCS %d\n",
		float64(peak)/(1<<20), samples[1].Value.Uint64()-before, int64(limit)>>20, runtime.GOMAXPROCS(0))
}
