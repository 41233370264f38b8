package bytesize

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]float64{
		"64MiB": 64 << 20, "1GiB": 1 << 30, "4 GiB": 4 << 30, "200MiB/s": 200 << 20,
		"1000": 1000, "1.5KiB": 1536, "2MB": 2e6, "3G": 3 << 30, "7B": 7,
	} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MiB", "-1MiB", "12XB"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
