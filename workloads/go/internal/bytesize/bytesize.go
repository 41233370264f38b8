// Package bytesize parses the byte sizes and rates that golab's Go twins take on the command line
// (64MiB, 1GiB, 200MiB/s), with the suffixes golab's Java side accepts and a few decimal ones.
package bytesize

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Parse accepts a plain number of bytes or one with a unit: B, KiB, MiB, GiB, TiB (binary),
// KB, MB, GB, TB (decimal), K, M, G, T (binary). A trailing "/s" is ignored so rates read naturally.
func Parse(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(t, "/s")
	units := []struct {
		suffix string
		mult   float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
		{"B", 1},
	}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("bad byte size %q", s)
	}
	return v * mult, nil
}
