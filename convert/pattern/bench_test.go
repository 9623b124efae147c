package pattern

import "testing"

var benchPatterns = []struct{ name, src string }{
	{"ip-port", "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '20.81.43.36' AND network-traffic:dst_port = 1011]"},
	{"domain", "[domain-name:value = 'webdot.ddns.net']"},
	{"sha256", "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"},
	{"qualified", "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS"},
}

func BenchmarkParse(b *testing.B) {
	for _, bp := range benchPatterns {
		b.Run(bp.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bp.src)))
			for b.Loop() {
				if _, err := Parse(bp.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkString(b *testing.B) {
	e := mustParse(b, benchPatterns[0].src)
	b.ReportAllocs()
	for b.Loop() {
		_ = e.String()
	}
}

// BenchmarkLex isolates the lexer, which should not allocate.
func BenchmarkLex(b *testing.B) {
	src := benchPatterns[0].src
	b.ReportAllocs()
	for b.Loop() {
		l := lexer{src: src, state: lexAny}
		for l.nextItem().tok > EOF {
		}
	}
}
