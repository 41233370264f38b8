// Command cpugaps measures how often this machine takes the CPU away from a thread that never blocks:
// each of N threads spins reading the monotonic clock and counts the gaps between consecutive reads.
// On a dedicated core every gap is well under a microsecond; a gap of milliseconds is the operating
// system or the hypervisor running something else on that CPU. Every runtime's stop-the-world pause on
// the machine (golab's, Go's, the JVM's) can be stretched by such a gap, so read pause maxima against
// this baseline.
//
//	go run ./cpugaps -threads 2 -duration 20s
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
)

// thresholds are the gap sizes counted, in increasing order.
var thresholds = []time.Duration{500 * time.Microsecond, time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond}

type result struct {
	counts []int
	max    time.Duration
}

func spin(d time.Duration) result {
	runtime.LockOSThread()
	r := result{counts: make([]int, len(thresholds))}
	start := time.Now()
	last := start
	for last.Sub(start) < d {
		now := time.Now()
		gap := now.Sub(last)
		last = now
		for i, t := range thresholds {
			if gap > t {
				r.counts[i]++
			}
		}
		if gap > r.max {
			r.max = gap
		}
	}
	return r
}

func main() {
	threads := flag.Int("threads", runtime.NumCPU(), "spinning threads (one per CPU measures every CPU)")
	duration := flag.Duration("duration", 20*time.Second, "how long each thread spins")
	flag.Parse()
	if *threads < 1 || *duration <= 0 {
		fmt.Fprintln(os.Stderr, "cpugaps: -threads must be at least 1 and -duration positive")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*threads)
	results := make([]result, *threads)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = spin(*duration)
		}(i)
	}
	wg.Wait()
	fmt.Printf("%d threads spinning for %v on %d CPUs; gaps between clock reads, per thread:\n", *threads, *duration, runtime.NumCPU())
	for i, r := range results {
		fmt.Printf("thread %d:", i)
		for k, t := range thresholds {
			fmt.Printf("  >%v: %d", t, r.counts[k])
		}
		fmt.Printf("  max %v\n", r.max.Round(time.Microsecond))
	}
}
