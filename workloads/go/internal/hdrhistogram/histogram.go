// Package hdrhistogram is a small HdrHistogram for Go: the same bucket layout as the Java
// HdrHistogram (org.HdrHistogram.Histogram), its V2 compressed encoding, and the interval log
// format 1.3 that org.HdrHistogram.HistogramLogReader parses. golab's Go twins record into it so
// that their .hlog files are read by the same code as the Java workloads'.
//
// Only what the twins need is here: recording, counts, percentiles, encoding and decoding. The
// layout must match Java's exactly, because an encoded histogram is a counts array by index.
package hdrhistogram

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Histogram counts int64 values with a fixed number of significant decimal digits. It is not safe
// for concurrent use; see Recorder.
type Histogram struct {
	lowest  int64 // lowest discernible value (1 for nanoseconds)
	highest int64 // highest trackable value; larger values are recorded as this
	digits  int

	unitMagnitude               uint
	subBucketHalfCountMagnitude uint
	subBucketCount              int
	subBucketHalfCount          int
	subBucketMask               int64
	leadingZeroCountBase        int

	counts []int64
	total  int64
	max    int64 // largest value recorded, as recorded (0 when empty)

	// StartMs and EndMs are the interval's bounds in epoch milliseconds, written into the log line.
	StartMs, EndMs int64
	// Tag is written as Tag=<tag> in the log line when not empty.
	Tag string
}

// New returns an empty histogram of values in [lowest, highest] with digits significant digits
// (0 to 5), the arguments of Java's Histogram(lowest, highest, digits).
func New(lowest, highest int64, digits int) (*Histogram, error) {
	if lowest < 1 {
		return nil, errors.New("hdrhistogram: lowest discernible value must be at least 1")
	}
	if digits < 0 || digits > 5 {
		return nil, errors.New("hdrhistogram: significant digits must be in 0..5")
	}
	if highest < 2*lowest {
		return nil, errors.New("hdrhistogram: highest trackable value must be at least twice the lowest")
	}
	h := &Histogram{lowest: lowest, highest: highest, digits: digits}
	// The same derivation as Java's AbstractHistogram.init: a sub-bucket holds every integer up to
	// 2*10^digits at unit resolution, rounded up to a power of two.
	largestSingleUnit := 2 * int64(math.Pow10(digits))
	h.unitMagnitude = uint(63 - bits.LeadingZeros64(uint64(lowest))) // floor(log2(lowest))
	subBucketCountMagnitude := uint(math.Ceil(math.Log2(float64(largestSingleUnit))))
	h.subBucketHalfCountMagnitude = subBucketCountMagnitude - 1
	h.subBucketCount = 1 << subBucketCountMagnitude
	h.subBucketHalfCount = h.subBucketCount / 2
	h.subBucketMask = int64(h.subBucketCount-1) << h.unitMagnitude
	h.leadingZeroCountBase = 64 - int(h.unitMagnitude) - int(subBucketCountMagnitude)
	buckets := h.bucketsNeededToCover(highest)
	h.counts = make([]int64, (buckets+1)*h.subBucketHalfCount)
	return h, nil
}

// NewNanos returns the histogram every golab stream uses: 3 significant digits from 1 ns up to
// one hour (values above an hour are recorded as one hour).
func NewNanos() *Histogram {
	h, err := New(1, 3600*1e9, 3)
	if err != nil {
		panic(err) // constant arguments
	}
	return h
}

func (h *Histogram) bucketsNeededToCover(value int64) int {
	smallestUntrackable := int64(h.subBucketCount) << h.unitMagnitude
	needed := 1
	for smallestUntrackable <= value {
		if smallestUntrackable > math.MaxInt64/2 {
			return needed + 1
		}
		smallestUntrackable <<= 1
		needed++
	}
	return needed
}

func (h *Histogram) bucketIndex(v int64) int {
	return h.leadingZeroCountBase - bits.LeadingZeros64(uint64(v|h.subBucketMask))
}

func (h *Histogram) subBucketIndex(v int64, bucket int) int {
	return int(v >> (uint(bucket) + h.unitMagnitude))
}

func (h *Histogram) countsIndex(v int64) int {
	bucket := h.bucketIndex(v)
	sub := h.subBucketIndex(v, bucket)
	return (bucket+1)<<h.subBucketHalfCountMagnitude + sub - h.subBucketHalfCount
}

// valueFromIndex is the lowest value counted at counts[index].
func (h *Histogram) valueFromIndex(index int) int64 {
	bucket := index>>h.subBucketHalfCountMagnitude - 1
	sub := index&(h.subBucketHalfCount-1) + h.subBucketHalfCount
	if bucket < 0 {
		sub -= h.subBucketHalfCount
		bucket = 0
	}
	return int64(sub) << (uint(bucket) + h.unitMagnitude)
}

// LowestEquivalent is the lowest value counted together with v.
func (h *Histogram) LowestEquivalent(v int64) int64 {
	bucket := h.bucketIndex(v)
	return int64(h.subBucketIndex(v, bucket)) << (uint(bucket) + h.unitMagnitude)
}

// HighestEquivalent is the highest value counted together with v.
func (h *Histogram) HighestEquivalent(v int64) int64 {
	bucket := h.bucketIndex(v)
	shift := uint(bucket) + h.unitMagnitude
	if h.subBucketIndex(v, bucket) >= h.subBucketCount {
		shift++
	}
	return h.LowestEquivalent(v) + int64(1)<<shift - 1
}

// Record counts one value.
func (h *Histogram) Record(v int64) { h.RecordN(v, 1) }

// RecordN counts n occurrences of v. Negative values count as 0 and values above the highest
// trackable value as that value: a stream keeps every sample, its extreme ones clamped.
func (h *Histogram) RecordN(v, n int64) {
	if n <= 0 {
		return
	}
	if v < 0 {
		v = 0
	}
	if v > h.highest {
		v = h.highest
	}
	h.counts[h.countsIndex(v)] += n
	h.total += n
	if v > h.max {
		h.max = v
	}
}

// TotalCount is the number of values recorded.
func (h *Histogram) TotalCount() int64 { return h.total }

// Max is the highest value recorded, at the histogram's resolution (Java's getMaxValue).
func (h *Histogram) Max() int64 {
	if h.max == 0 {
		return 0
	}
	return h.HighestEquivalent(h.max)
}

// CountAt is the count of values equivalent to v.
func (h *Histogram) CountAt(v int64) int64 { return h.counts[h.countsIndex(v)] }

// ValueAtPercentile follows Java's getValueAtPercentile: the highest value equivalent to the one
// below which percentile % of the recorded values fall (the lowest equivalent for 0).
func (h *Histogram) ValueAtPercentile(percentile float64) int64 {
	if h.total == 0 {
		return 0
	}
	requested := math.Min(math.Max(math.Nextafter(percentile, math.Inf(-1)), 0), 100)
	countAt := int64(math.Ceil(requested / 100 * float64(h.total)))
	if countAt < 1 {
		countAt = 1
	}
	var running int64
	for i, c := range h.counts {
		running += c
		if running >= countAt {
			v := h.valueFromIndex(i)
			if percentile == 0 {
				return h.LowestEquivalent(v)
			}
			return h.HighestEquivalent(v)
		}
	}
	return 0
}

// Reset empties the histogram and clears its interval bounds and tag.
func (h *Histogram) Reset() {
	for i := range h.counts {
		h.counts[i] = 0
	}
	h.total, h.max, h.StartMs, h.EndMs, h.Tag = 0, 0, 0, 0, ""
}

// Add adds other's counts (same layout required).
func (h *Histogram) Add(other *Histogram) error {
	if !h.sameLayout(other) {
		return fmt.Errorf("hdrhistogram: cannot add a histogram of another layout")
	}
	for i, c := range other.counts {
		if c != 0 {
			h.counts[i] += c
		}
	}
	h.total += other.total
	if other.max > h.max {
		h.max = other.max
	}
	return nil
}

func (h *Histogram) sameLayout(o *Histogram) bool {
	return h.lowest == o.lowest && h.digits == o.digits && len(h.counts) == len(o.counts)
}
