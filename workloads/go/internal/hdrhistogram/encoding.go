package hdrhistogram

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The V2 encoding cookies of Java's AbstractHistogram. The 0x10 bit is its "word size" nibble,
// which in V2 only says that counts are ZigZag LEB128 words; readers strip that nibble.
const (
	encodingCookie           = 0x1c849303 | 0x10
	compressedEncodingCookie = 0x1c849304 | 0x10
	cookieBaseMask           = ^0xf0
	headerBytes              = 40 // cookie, payload length, offset, digits, lowest, highest, ratio
)

// Encode returns the histogram in Java's V2 uncompressed layout (big-endian, as ByteBuffer writes):
//
//	int32 cookie, int32 payload length, int32 normalizing index offset (0), int32 significant
//	digits, int64 lowest discernible value, int64 highest trackable value, float64
//	integer-to-double ratio (1.0), then the counts up to the one holding the max value.
//
// Each count is a ZigZag LEB128 word, and a run of k > 1 zero counts is the single word -k, which
// keeps a sparse latency histogram to a few hundred bytes.
func (h *Histogram) Encode() []byte {
	relevant := h.countsIndex(h.max) + 1
	var payload []byte
	for i := 0; i < relevant; {
		c := h.counts[i]
		i++
		if c == 0 {
			zeros := int64(1)
			for i < relevant && h.counts[i] == 0 {
				zeros++
				i++
			}
			if zeros > 1 {
				payload = putZigZag(payload, -zeros)
				continue
			}
		}
		payload = putZigZag(payload, c)
	}
	out := make([]byte, headerBytes, headerBytes+len(payload))
	binary.BigEndian.PutUint32(out[0:], encodingCookie)
	binary.BigEndian.PutUint32(out[4:], uint32(len(payload)))
	binary.BigEndian.PutUint32(out[8:], 0) // no normalizing offset: the histogram is never shifted
	binary.BigEndian.PutUint32(out[12:], uint32(h.digits))
	binary.BigEndian.PutUint64(out[16:], uint64(h.lowest))
	binary.BigEndian.PutUint64(out[24:], uint64(h.highest))
	binary.BigEndian.PutUint64(out[32:], math.Float64bits(1))
	return append(out, payload...)
}

// EncodeCompressed returns Java's V2 compressed form: int32 compressed cookie, int32 length of
// the compressed bytes, then Encode's bytes through zlib (java.util.zip.Deflater's default format).
func (h *Histogram) EncodeCompressed() []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(h.Encode()) // writes to a bytes.Buffer cannot fail
	w.Close()
	out := make([]byte, 8, 8+z.Len())
	binary.BigEndian.PutUint32(out[0:], compressedEncodingCookie)
	binary.BigEndian.PutUint32(out[4:], uint32(z.Len()))
	return append(out, z.Bytes()...)
}

// Base64 is the compressed form as it appears in a log line.
func (h *Histogram) Base64() string {
	return base64.StdEncoding.EncodeToString(h.EncodeCompressed())
}

// DecodeBase64 reads a histogram from a log line's base64 field (the inverse of Base64).
func DecodeBase64(s string) (*Histogram, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	return DecodeCompressed(raw)
}

// DecodeCompressed reads Java's V2 compressed form.
func DecodeCompressed(b []byte) (*Histogram, error) {
	if len(b) < 8 || int32(binary.BigEndian.Uint32(b))&cookieBaseMask != 0x1c849304 {
		return nil, errors.New("hdrhistogram: not a V2 compressed histogram")
	}
	n := int(binary.BigEndian.Uint32(b[4:]))
	if n > len(b)-8 {
		return nil, errors.New("hdrhistogram: truncated compressed histogram")
	}
	r, err := zlib.NewReader(bytes.NewReader(b[8 : 8+n]))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Decode(raw)
}

// Decode reads Java's V2 uncompressed form (the inverse of Encode).
func Decode(b []byte) (*Histogram, error) {
	if len(b) < headerBytes || int32(binary.BigEndian.Uint32(b))&cookieBaseMask != 0x1c849303 {
		return nil, errors.New("hdrhistogram: not a V2 histogram")
	}
	payloadLen := int(binary.BigEndian.Uint32(b[4:]))
	if binary.BigEndian.Uint32(b[8:]) != 0 {
		return nil, errors.New("hdrhistogram: normalizing index offsets are not supported")
	}
	digits := int(binary.BigEndian.Uint32(b[12:]))
	lowest := int64(binary.BigEndian.Uint64(b[16:]))
	highest := int64(binary.BigEndian.Uint64(b[24:]))
	if payloadLen > len(b)-headerBytes {
		return nil, errors.New("hdrhistogram: truncated payload")
	}
	h, err := New(lowest, highest, digits)
	if err != nil {
		return nil, err
	}
	payload := b[headerBytes : headerBytes+payloadLen]
	for i := 0; len(payload) > 0; {
		v, size := getZigZag(payload)
		if size == 0 {
			return nil, errors.New("hdrhistogram: truncated count")
		}
		payload = payload[size:]
		if v < 0 {
			i += int(-v)
			continue
		}
		if i >= len(h.counts) {
			return nil, fmt.Errorf("hdrhistogram: count index %d out of range", i)
		}
		if v > 0 {
			h.counts[i] = v
			h.total += v
			h.max = h.HighestEquivalent(h.valueFromIndex(i))
		}
		i++
	}
	return h, nil
}

// putZigZag appends v as Java's ZigZagEncoding.putLong does: ZigZag, then LEB128 with at most 9
// bytes, the ninth carrying a full 8 bits (so any int64 fits in 9 bytes, not 10).
func putZigZag(buf []byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	for i := 0; i < 8; i++ {
		if u>>7 == 0 {
			return append(buf, byte(u))
		}
		buf = append(buf, byte(u&0x7f|0x80))
		u >>= 7
	}
	return append(buf, byte(u))
}

// getZigZag reads one putZigZag word and returns it with its length in bytes (0 if truncated).
func getZigZag(b []byte) (int64, int) {
	var u uint64
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0
		}
		if i == 8 {
			u |= uint64(b[i]) << 56
			return int64(u>>1) ^ -int64(u&1), 9
		}
		u |= uint64(b[i]&0x7f) << (7 * uint(i))
		if b[i]&0x80 == 0 {
			return int64(u>>1) ^ -int64(u&1), i + 1
		}
	}
	return 0, 0
}
