package taxii

import (
	"slices"

	"github.com/stixgate/stixgate/convert/kql"
)

// kqlProfile returns the configured exclusion profile called name.
func (s *Server) kqlProfile(name string) (kql.Profile, bool) {
	p, ok := s.profiles[name]
	return p, ok
}

// kqlProfileNames lists the configured exclusion profiles, sorted.
func (s *Server) kqlProfileNames() []string {
	names := make([]string, 0, len(s.profiles))
	for n := range s.profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
